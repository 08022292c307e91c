#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IncentivesTestSupport
import Testing

@Suite("Temporary file fixture")
struct TemporaryFileFixtureTests {
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    @Test("a fresh private directory under TMPDIR, removed with everything in it when the value goes away")
    func removedWithEverythingInIt() throws {
        let other = TemporaryFileFixture(prefix: "fixture-test")
        other.write("kept", [7])
        var path = ""
        do {
            let fixture = TemporaryFileFixture(prefix: "fixture-test")
            path = fixture.path
            #expect(path != other.path)
            #expect(path.hasPrefix(TemporaryFileFixture.temporaryBase() + "/fixture-test."))
            #expect(fixture.names().isEmpty)
            var status = stat()
            #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o700)

            fixture.write("a.jsonl", Array("line\n".utf8))
            #expect(fixture.read("a.jsonl") == Array("line\n".utf8))
            #expect(fixture.read("missing") == nil)
            let nested = fixture.makeDirectory("nested")
            TemporaryFileFixture.write(path: nested + "/b", [1, 2, 3])
            let deeper = fixture.makeDirectory("nested/deeper")
            TemporaryFileFixture.write(path: deeper + "/c", [])
            // A directory a test closed to everyone, and a link that leads out: removal opens the
            // one and does not follow the other.
            #expect(chmod(nested, 0o000) == 0)
            #expect(symlink(other.path, fixture.file("link")) == 0)
            #expect(fixture.names() == ["a.jsonl", "link", "nested"])
            #expect(fixture.exists("link") && !fixture.exists("missing"))
        }
        #expect(!path.isEmpty && !Self.exists(path))
        #expect(other.read("kept") == [7], "what the link led to is left alone")
        #expect(other.names() == ["kept"])
    }

    @Test("a fixture under another base, and one that cannot be made")
    func otherBase() {
        let parent = TemporaryFileFixture(prefix: "fixture-parent")
        let child = TemporaryFileFixture.attempt(prefix: "child", under: parent.path)
        #expect(child?.path.hasPrefix(parent.path + "/child.") == true)
        #expect(TemporaryFileFixture.attempt(prefix: "child", under: parent.file("no-such-folder")) == nil)
    }
}
