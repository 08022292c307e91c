import LedgerLog
import Testing

/// RFC 4231 test cases: short key, short key with a short message, key longer than a block.
@Suite("HMAC-SHA256")
struct HMACSHA256Tests {
    @Test("RFC 4231 test case 1")
    func case1() {
        let key = [UInt8](repeating: 0x0b, count: 20)
        #expect(HMACSHA256.authenticate(Array("Hi There".utf8), key: key).hex
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test("RFC 4231 test case 2")
    func case2() {
        #expect(HMACSHA256.authenticate(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8)).hex
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("RFC 4231 test case 6: a key longer than a block is hashed first")
    func case6() {
        let key = [UInt8](repeating: 0xaa, count: 131)
        let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        #expect(HMACSHA256.authenticate(message, key: key).hex
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("fed in pieces it equals fed at once; another key gives another digest")
    func streaming() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let key = Array("key".utf8)
        var mac = HMACSHA256(key: key)
        mac.update(Array(message[..<333]))
        mac.update(Array(message[333...]))
        let whole = HMACSHA256.authenticate(message, key: key)
        #expect(mac.finalize() == whole)
        #expect(whole.equalsInConstantTime(whole))
        #expect(!whole.equalsInConstantTime(HMACSHA256.authenticate(message, key: Array("kez".utf8))))
    }
}
