#!/usr/bin/env python3
"""A full disk and I/O errors: appends that cannot be written fail with exit 74, a message that
names the file and the cause, and leave every log exactly as it was.

Each case checks: exit 74; the message names the cause and says nothing was appended; every log
byte-identical; the journal idle; `verify` passes; and the same append, run again without the
obstacle, succeeds silently (nothing to repair) and grows the log past the point where the
obstacle stopped it, which proves the obstacle really stopped a write.

Cases: a file-size limit (setrlimit and `ulimit -f`) met inside the log, at its current end,
inside the second log of a multi-log batch, and inside the journal itself; a read-only bind mount;
an unprivileged user (setpriv) facing root's files; an immutable log or journal (chattr +i); a
full tmpfs, before the batch and part way through it. A way this machine does not allow (mount,
chattr, setpriv) is reported as skipped; at least one read-only way and one size limit must run.
Usage: io_failures.py [--seed N]
"""
import os
import random as random_module
import resource
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ledgerharness as harness  # noqa: E402


class IOFailureCampaign:
    def __init__(self, options):
        self.random = random_module.Random(options.seed)
        self.tally = harness.Tally("io-failures")
        self.work = harness.make_temporary_directory("io")
        os.chmod(self.work, 0o755)
        # A copy anyone may run, for the unprivileged-user case.
        self.binary = os.path.join(self.work, "incentives")
        shutil.copy2(harness.binary_path(), self.binary)
        os.chmod(self.binary, 0o755)
        self.template = os.path.join(self.work, "template")
        harness.make_ledger(self.template)
        lines, self.codes, self.programmes, _ = harness.seed_drafts(self.random, enterprises=4, awards=150)
        harness.append_lines(self.template, lines, path=os.path.join(self.work, "seed.jsonl"))
        self.case_number = 0
        self.ran = {"size limit": 0, "read-only": 0, "full disk": 0}
        self.messages = []

    def fresh_events(self, parent=None):
        self.case_number += 1
        events = os.path.join(parent or self.work, f"events-{self.case_number}")
        shutil.copytree(self.template, events)
        os.chmod(events, 0o755)
        return events

    def award_arguments(self, grant):
        return ["award", "--grant", grant, "--enterprise", self.random.choice(self.codes),
                "--programme", self.random.choice(self.programmes), "--amount", "1234567.89",
                "--project", "扩建生产线 " * 8, "--effective", "2023-05-01", "--actor", "io-harness",
                "--source", "doc-io"]

    def batch_file(self, name, grants, with_tier_event):
        """A batch file of awards (grants log), optionally led by an evaluation (tiers log)."""
        lines = []
        if with_tier_event:
            lines.append(harness.draft(f"{name}-eval", "CapabilityEvaluated", "2023-01-01",
                                       {"enterprise": self.codes[0], "score": 77}))
        for number in range(grants):
            lines.append(harness.draft(f"{name}-{number}", "GrantAwarded", "2023-05-01", {
                "grant": f"{name}-G{number}", "enterprise": self.random.choice(self.codes),
                "programme": self.random.choice(self.programmes), "amountFen": 10**8 + number,
                "project": "新建研发中心 " * 6}))
        path = os.path.join(self.work, f"{name}.jsonl")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        os.chmod(path, 0o644)
        return path

    def size(self, events, log):
        path = os.path.join(events, f"{log}.jsonl")
        return os.path.getsize(path) if os.path.exists(path) else 0

    def expect_failure(self, name, events, arguments, expected_reason, command=None, preexec_fn=None,
                       rolled_back=None):
        """Runs the append that must fail and checks the failure and that nothing changed. With
        `rolled_back`, also that this log was written and then cut back: its bytes are as they
        were but its modification time moved (the copy kept the template's older time)."""
        before = harness.log_snapshot(events)
        if rolled_back:
            modified_before = os.stat(os.path.join(events, f"{rolled_back}.jsonl")).st_mtime_ns
        if command is None:
            result = harness.run(arguments, events, preexec_fn=preexec_fn, binary=self.binary)
        else:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=120)
            result = completed
        self.tally.check(result.returncode == harness.EXIT_IO, f"{name}: exit 74", harness.describe(result))
        self.messages.append(f"{name}: exit {result.returncode}: {harness.without_audit_warnings(result.stderr).strip()}")
        self.tally.check(expected_reason in result.stderr, f"{name}: the message gives the cause ({expected_reason})",
                         result.stderr)
        self.tally.check("nothing was appended" in result.stderr or ".ledger-journal" in result.stderr,
                         f"{name}: the message says nothing was appended (or that the journal could not be opened)",
                         result.stderr)
        self.tally.check(harness.log_snapshot(events) == before, f"{name}: every log is byte-for-byte as it was")
        self.tally.check(harness.journal_state(events) in ("idle", "absent"), f"{name}: the journal is idle",
                         harness.journal_state(events))
        if rolled_back:
            self.tally.check(os.stat(os.path.join(events, f"{rolled_back}.jsonl")).st_mtime_ns != modified_before,
                             f"{name}: {rolled_back}.jsonl was written and then rolled back (same bytes, new time)")
        code, report = harness.verify_report(events)
        self.tally.check(code == 0, f"{name}: the logs verify afterwards", f"exit {code}, {report}")
        return result

    def expect_recovery(self, name, events, arguments, stopped_at=None, stopped_log="grants"):
        again = harness.run(arguments, events, binary=self.binary)
        self.tally.check(again.returncode == 0 and harness.without_audit_warnings(again.stderr) == "",
                         f"{name}: the same append succeeds once the obstacle is gone, with nothing to repair",
                         harness.describe(again))
        if stopped_at is not None:
            self.tally.check(self.size(events, stopped_log) > stopped_at,
                             f"{name}: the append needed to write past the point where it was stopped "
                             f"({stopped_log}.jsonl now {self.size(events, stopped_log)} bytes > {stopped_at})")
        self.tally.check(harness.verify_report(events)[0] == 0, f"{name}: the logs verify after the retry")
        ran, ok, output = harness.run_independent_checker(events)
        if ran:
            self.tally.check(ok, f"{name}: the independent checker accepts the logs", output)

    # MARK: File-size limit

    @staticmethod
    def limit(bytes_count):
        def apply():
            resource.setrlimit(resource.RLIMIT_FSIZE, (bytes_count, bytes_count))
        return apply

    def size_limits(self):
        # Inside the new line of a single-log append: part of it is written, then EFBIG.
        events = self.fresh_events()
        arguments = self.award_arguments("LIMIT-1")
        limit = self.size(events, "grants") + 100
        self.expect_failure("limit inside the new line", events, arguments, "File too large",
                            preexec_fn=self.limit(limit))
        self.expect_recovery("limit inside the new line", events, arguments, stopped_at=limit)
        self.ran["size limit"] += 1

        # At the log's current end: not one byte fits.
        events = self.fresh_events()
        arguments = self.award_arguments("LIMIT-2")
        limit = self.size(events, "grants")
        self.expect_failure("limit at the log's end", events, arguments, "File too large", preexec_fn=self.limit(limit))
        self.expect_recovery("limit at the log's end", events, arguments, stopped_at=limit)
        self.ran["size limit"] += 1

        # A batch over two logs: tiers (small, written first) fits, grants (large) does not.
        events = self.fresh_events()
        batch = self.batch_file("limit-3", grants=6, with_tier_event=True)
        limit = self.size(events, "grants") + 1500
        self.tally.check(self.size(events, "tiers") + 1000 < limit, "the tiers log stays under the limit it is "
                         "tested against, so its part of the batch is really written and must be rolled back")
        self.expect_failure("limit in the second log of a batch", events, ["append", batch], "File too large",
                            preexec_fn=self.limit(limit), rolled_back="tiers")
        self.expect_recovery("limit in the second log of a batch", events, ["append", batch], stopped_at=limit)
        self.ran["size limit"] += 1

        # Inside the journal: the intent record itself cannot be written whole.
        events = self.fresh_events()
        arguments = self.award_arguments("LIMIT-4")
        result = self.expect_failure("limit inside the journal", events, arguments, "File too large",
                                     preexec_fn=self.limit(20))
        self.tally.check(".ledger-journal" in result.stderr, "limit inside the journal: the message names the journal",
                         result.stderr)
        self.expect_recovery("limit inside the journal", events, arguments, stopped_at=20, stopped_log="grants")
        self.ran["size limit"] += 1

        # The shell's own `ulimit -f` (KiB blocks in bash), as an operator would meet it.
        events = self.fresh_events()
        batch = self.batch_file("limit-5", grants=8, with_tier_event=False)
        blocks = self.size(events, "grants") // 1024 + 1
        command = ["bash", "-c", f'ulimit -f {blocks} && exec "$0" append "$1" --events "$2"', self.binary, batch, events]
        self.expect_failure("ulimit -f in bash", events, None, "File too large", command=command)
        self.expect_recovery("ulimit -f in bash", events, ["append", batch], stopped_at=blocks * 1024)
        self.ran["size limit"] += 1

    # MARK: Read-only

    def read_only_bind_mount(self):
        events = self.fresh_events()
        mount_point = os.path.join(self.work, f"readonly-{self.case_number}")
        os.mkdir(mount_point)
        bound = subprocess.run(["mount", "--bind", events, mount_point], capture_output=True, text=True)
        if bound.returncode != 0:
            self.tally.skip("read-only bind mount", f"mount --bind not permitted: {bound.stderr.strip()}")
            return
        try:
            remounted = subprocess.run(["mount", "-o", "remount,ro,bind", mount_point], capture_output=True, text=True)
            if remounted.returncode != 0:
                self.tally.skip("read-only bind mount", f"remount ro not permitted: {remounted.stderr.strip()}")
                return
            arguments = self.award_arguments("RO-1")
            self.expect_failure("read-only bind mount", mount_point, arguments, "Read-only file system")
            query = harness.run(["summary"], mount_point, binary=self.binary)
            self.tally.check(query.returncode == 0, "read-only bind mount: queries still answer", harness.describe(query))
            self.ran["read-only"] += 1
        finally:
            subprocess.run(["umount", mount_point], capture_output=True)
        self.expect_recovery("read-only bind mount", events, self.award_arguments("RO-1b"))

    def unprivileged_user(self):
        runner = shutil.which("setpriv")
        if runner is None:
            self.tally.skip("unprivileged user", "setpriv is not installed")
            return
        prefix = [runner, "--reuid=65534", "--regid=65534", "--clear-groups"]
        probe = subprocess.run(prefix + ["true"], capture_output=True, text=True)
        if probe.returncode != 0:
            self.tally.skip("unprivileged user", f"setpriv cannot switch user here: {probe.stderr.strip()}")
            return
        events = self.fresh_events()
        arguments = self.award_arguments("USER-1")
        command = prefix + [self.binary] + arguments + ["--events", events]
        self.expect_failure("directory not writable by the user", events, None, "Permission denied", command=command)
        query = subprocess.run(prefix + [self.binary, "verify", "--events", events], capture_output=True, text=True)
        self.tally.check(query.returncode == 0, "a user who may only read can still verify", query.stdout + query.stderr)
        self.expect_recovery("directory not writable by the user", events, arguments)
        self.ran["read-only"] += 1

    def immutable_files(self):
        events = self.fresh_events()
        grants = os.path.join(events, "grants.jsonl")
        marked = subprocess.run(["chattr", "+i", grants], capture_output=True, text=True)
        if marked.returncode != 0:
            self.tally.skip("immutable log", f"chattr +i not supported here: {marked.stderr.strip()}")
            return
        batch = self.batch_file("immutable-1", grants=3, with_tier_event=True)
        try:
            # The journal is written, tiers is written, then grants cannot be opened: roll back tiers.
            self.expect_failure("immutable log in a two-log batch", events, ["append", batch], "Operation not permitted",
                                rolled_back="tiers")
            self.ran["read-only"] += 1
        finally:
            subprocess.run(["chattr", "-i", grants], capture_output=True)
        self.expect_recovery("immutable log in a two-log batch", events, ["append", batch])

        journal = os.path.join(events, ".ledger-journal")
        subprocess.run(["chattr", "+i", journal], capture_output=True)
        arguments = self.award_arguments("IMMUTABLE-2")
        try:
            self.expect_failure("immutable journal", events, arguments, "Operation not permitted")
            self.ran["read-only"] += 1
        finally:
            subprocess.run(["chattr", "-i", journal], capture_output=True)
        self.expect_recovery("immutable journal", events, arguments)

    # MARK: Full disk

    def full_disk(self):
        for name, slack, batch_grants in (("full disk before the batch", 0, 2),
                                          ("disk fills part way through the batch", 1, 40)):
            mount_point = os.path.join(self.work, f"tmpfs-{self.case_number}-{slack}")
            os.mkdir(mount_point)
            mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mount_point],
                                     capture_output=True, text=True)
            if mounted.returncode != 0:
                self.tally.skip(name, f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
                return
            try:
                events = self.fresh_events(parent=mount_point)
                filler = os.path.join(mount_point, "filler")
                self.fill(filler)
                if slack:
                    # Free a page or two: the batch starts to fit, then the disk is full part way.
                    with open(filler, "r+b") as handle:
                        handle.truncate(os.path.getsize(filler) - 4096 * slack)
                batch = self.batch_file(f"full-{slack}", grants=batch_grants, with_tier_event=True)
                stopped_at = self.size(events, "grants") + 4096 * slack
                self.expect_failure(name, events, ["append", batch], "No space left on device", rolled_back="tiers")
                os.remove(filler)
                self.expect_recovery(name, events, ["append", batch], stopped_at=stopped_at)
                self.ran["full disk"] += 1
            finally:
                subprocess.run(["umount", mount_point], capture_output=True)

    @staticmethod
    def fill(path):
        block = b"\0" * 4096
        with open(path, "wb", buffering=0) as handle:
            try:
                while handle.write(block):
                    pass
            except OSError:
                pass

    def run(self):
        self.size_limits()
        self.read_only_bind_mount()
        self.unprivileged_user()
        self.immutable_files()
        self.full_disk()
        self.tally.check(self.ran["size limit"] >= 1, "at least one file-size limit case ran")
        self.tally.check(self.ran["read-only"] >= 1, "at least one read-only case ran on this machine")
        for message in self.messages:
            print("  " + message.replace(self.work, "$WORK"))
        code = self.tally.finish([f"cases run: {self.ran['size limit']} file-size limit, {self.ran['read-only']} "
                                  f"read-only, {self.ran['full disk']} full disk"])
        if code == 0:
            harness.remove_directory(self.work)
        else:
            print(f"  work directory kept at {self.work}")
        return code


def main():
    options = harness.parse_arguments(__doc__, {"seed": (7, "seed of every random choice")})
    return IOFailureCampaign(options).run()


if __name__ == "__main__":
    sys.exit(main())
