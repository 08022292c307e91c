#!/usr/bin/env python3
"""Attacks on the store's files by someone with write access to the events directory.

Each case works on a fresh copy of a small events directory and checks that no command hangs
(every run has a 20 s timeout), nothing acknowledged is lost, and the refusal names the file:
  - a symbolic link, a FIFO, a socket or a plain file where the quarantine directory goes: a repair
    that needs it is refused (74) and cuts nothing;
  - a FIFO, a socket, a symbolic link and a hard link in place of each log, of the journal and of
    the snapshot: logs and journal are refused (exit 74, "not a regular file" / "hard links") by
    summary, verify and append; a strange snapshot is not opened and the answer is the same; a
    symbolic link's target is never written;
  - one log hard-linked into two directories, 5 batches of 40 appended into each at once: every
    append is refused, nothing is lost or added;
  - a cut inside the acknowledged length (a torn line or whole lines removed): append and repair
    refuse (65), nothing is cut or quarantined, restoring the copy makes everything work again;
  - forged pending records (format 1 and 2, at a line end or not, with a wrong head): append
    refuses (65) and nothing changes; a format 1 record at a line end is rolled back only by
    `repair`, into quarantine, and the log plus quarantine equal the log before;
  - an interrupted append: queries answer from the acknowledged events with a warning, also as an
    unprivileged user in a directory it cannot write (setpriv), and `repair` moves the unacknowledged
    bytes to quarantine.
Usage: store_attacks.py [--seed N]
"""
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import random as random_module

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ledgerharness as harness  # noqa: E402

TIMEOUT = 20
KINDS = ("fifo", "socket", "symlink", "hardlink")
FILES = tuple(f"{log}.jsonl" for log in harness.LOGS) + (".ledger-journal", ".ledger-snapshot")


def sealed(text):
    """A format 2 journal record: its lines and the end line with their checksum (the first 16 hex
    digits of their SHA-256), as the writer writes it."""
    return text + "end " + hashlib.sha256(text.encode("ascii")).hexdigest()[:16] + "\n"


def digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


class StoreAttackCampaign:
    def __init__(self, options):
        self.random = random_module.Random(options.seed)
        self.tally = harness.Tally("store-attacks")
        self.work = harness.make_temporary_directory("attacks")
        os.chmod(self.work, 0o755)
        self.binary = os.path.join(self.work, "incentives")
        shutil.copy2(harness.binary_path(), self.binary)
        os.chmod(self.binary, 0o755)
        self.template = os.path.join(self.work, "template")
        os.mkdir(self.template)
        lines, self.codes, self.programmes, self.grants = harness.seed_drafts(self.random, enterprises=6, awards=30)
        harness.append_lines(self.template, lines, path=os.path.join(self.work, "seed.jsonl"))
        self.case_number = 0
        self.figures = {"file-type cases": 0, "hang-free runs": 0, "refusals": 0, "forged records": 0,
                        "cuts inside the acknowledged length": 0, "quarantined rollbacks": 0,
                        "unprivileged reads": 0, "shared-log appends refused": 0}
        # Saves a snapshot too, so that every copy has one to attack.
        self.summary = self.run(["summary", "--format", "json", "--known-at", "2030-01-01"], self.template).stdout

    def run(self, arguments, events, prefix=(), timeout=TIMEOUT):
        command = list(prefix) + [self.binary] + list(arguments) + ["--events", events]
        environment = {key: value for key, value in os.environ.items() if key != "INCENTIVES_EVENTS"}
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout, env=environment, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            self.tally.check(False, f"{arguments[0]} answers within {timeout} s", " ".join(command))
            return subprocess.CompletedProcess(command, -1, "", "timed out")
        self.figures["hang-free runs"] += 1
        result.stdout = result.stdout.decode("utf-8", "replace")
        result.stderr = result.stderr.decode("utf-8", "replace")
        return result

    def fresh(self):
        self.case_number += 1
        events = os.path.join(self.work, f"events-{self.case_number}")
        shutil.copytree(self.template, events, symlinks=True)
        os.chmod(events, 0o755)
        return events

    def award(self, events, grant, prefix=()):
        return self.run(["award", "--grant", grant, "--enterprise", self.random.choice(self.codes),
                         "--programme", self.random.choice(self.programmes), "--amount", "1000.00",
                         "--project", "攻击测试", "--effective", "2023-05-01", "--actor", "attacks",
                         "--source", "doc-attacks", "--format", "json"], events, prefix=prefix)

    # MARK: File types

    def plant(self, events, name, kind):
        """Puts a FIFO, a socket, a symbolic link or a second hard link where `name` is; returns
        the path whose bytes must not change (the link's target), if any."""
        path = os.path.join(events, name)
        outside = os.path.join(self.work, f"outside-{self.case_number}-{name.lstrip('.')}")
        if kind == "hardlink":
            other = os.path.join(self.work, f"other-{self.case_number}")
            os.mkdir(other)
            os.link(path, os.path.join(other, name))
            return path
        shutil.move(path, outside)
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "socket":
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(path)
            server.listen(1)
            self.sockets.append(server)
        else:
            os.symlink(outside, path)
        return outside

    def file_types(self):
        self.sockets = []
        for name in FILES:
            for kind in KINDS:
                events = self.fresh()
                guarded = self.plant(events, name, kind)
                before = digest(guarded)
                self.figures["file-type cases"] += 1
                label = f"{kind} in place of {name}"
                if name == ".ledger-snapshot":
                    query = self.run(["summary", "--format", "json", "--known-at", "2030-01-01"], events)
                    self.tally.check(query.returncode == 0 and query.stdout == self.summary,
                                     f"{label}: the answer comes from the logs, unchanged", harness.describe(query))
                    appended = self.award(events, f"S-{self.case_number}")
                    self.tally.check(appended.returncode == 0, f"{label}: an append still works", harness.describe(appended))
                else:
                    why = "hard links" if kind == "hardlink" else "not a regular file"
                    for arguments in (["summary"], ["verify"], ["repair"]):
                        result = self.run(arguments, events)
                        self.figures["refusals"] += 1
                        self.tally.check(result.returncode == harness.EXIT_IO and name in result.stderr and why in result.stderr,
                                         f"{label}: {arguments[0]} is refused with 74 naming it",
                                         harness.describe(result))
                    result = self.award(events, f"F-{self.case_number}")
                    self.figures["refusals"] += 1
                    self.tally.check(result.returncode == harness.EXIT_IO and name in result.stderr,
                                     f"{label}: append is refused with 74 naming it", harness.describe(result))
                if kind != "hardlink":
                    self.tally.check(digest(guarded) == before, f"{label}: the file behind it is unchanged")
                else:
                    self.tally.check(name == ".ledger-snapshot" or digest(guarded) == before,
                                     f"{label}: the shared file is unchanged")

    def quarantine_place(self):
        """A symbolic link, a FIFO, a socket or a file where the quarantine directory goes: a repair
        that needs it is refused (74, naming it), cuts nothing and writes nothing through the link."""
        for kind in ("symlink", "fifo", "socket", "file"):
            events = self.fresh()
            path = os.path.join(events, "grants.jsonl")
            with open(path, "ab") as handle:
                handle.write(b'{"torn')
            with open(path, "rb") as handle:
                before = handle.read()
            place = os.path.join(events, harness.QUARANTINE)
            outside = os.path.join(self.work, f"outside-quarantine-{self.case_number}")
            os.mkdir(outside)
            if kind == "symlink":
                os.symlink(outside, place)
            elif kind == "fifo":
                os.mkfifo(place)
            elif kind == "socket":
                server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                server.bind(place)
                self.sockets.append(server)
            else:
                with open(place, "wb") as handle:
                    handle.write(b"not a directory")
            self.figures["file-type cases"] += 1
            for arguments in (["repair"], None):
                result = self.run(arguments, events) if arguments else self.award(events, f"Q-{self.case_number}")
                self.figures["refusals"] += 1
                self.tally.check(result.returncode == harness.EXIT_IO and harness.QUARANTINE in result.stderr,
                                 f"a {kind} where the quarantine goes: {(arguments or ['append'])[0]} refused with 74 naming it",
                                 harness.describe(result))
            with open(path, "rb") as handle:
                self.tally.check(handle.read() == before, f"a {kind} where the quarantine goes: nothing was cut")
            self.tally.check(os.listdir(outside) == [], f"a {kind} where the quarantine goes: nothing written through it")

    def shared_log(self):
        """Repro of a log shared by two directories: concurrent batches into each are all refused."""
        first, second = self.fresh(), self.fresh()
        os.unlink(os.path.join(second, "grants.jsonl"))
        os.link(os.path.join(first, "grants.jsonl"), os.path.join(second, "grants.jsonl"))
        before = digest(os.path.join(first, "grants.jsonl"))
        results = []

        def writer(events, side):
            for batch in range(5):
                lines = [harness.draft(f"{side}-{batch}-{index}", "GrantAwarded", "2023-01-01", {
                    "grant": f"H{side}-{batch}-{index}", "enterprise": self.codes[0], "programme": self.programmes[0],
                    "amountFen": 100, "project": "shared"}) for index in range(40)]
                path = os.path.join(self.work, f"shared-{side}-{batch}.jsonl")
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write("\n".join(lines) + "\n")
                results.append(self.run(["append", path], events))

        threads = [threading.Thread(target=writer, args=(events, side)) for events, side in ((first, "a"), (second, "b"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        refused = [result for result in results if result.returncode == harness.EXIT_IO and "hard links" in result.stderr]
        self.figures["shared-log appends refused"] += len(refused)
        self.tally.check(len(refused) == 10, "every append into a log shared by two directories is refused (74)",
                         "; ".join(harness.describe(result) for result in results if result not in refused)[:800])
        self.tally.check(digest(os.path.join(first, "grants.jsonl")) == before, "the shared log is unchanged")

    # MARK: The journal and the acknowledged length

    def cut_inside_acknowledged(self):
        for mode in ("torn", "lines"):
            events = self.fresh()
            result = self.award(events, f"ACK-{mode}")
            if not self.tally.check(result.returncode == 0, "an award is acknowledged", harness.describe(result)):
                continue
            path = os.path.join(events, "grants.jsonl")
            with open(path, "rb") as handle:
                original = handle.read()
            lines = original.split(b"\n")[:-1]
            if mode == "torn":
                cut = len(original) - self.random.randint(2, len(lines[-1]))
            else:
                cut = len(original) - sum(len(line) + 1 for line in lines[-self.random.randint(1, 3):])
            with open(path, "wb") as handle:
                handle.write(original[:cut])
            self.figures["cuts inside the acknowledged length"] += 1
            for arguments in (None, ["repair"]):
                result = self.award(events, f"ACK2-{mode}") if arguments is None else self.run(arguments, events)
                self.tally.check(result.returncode == harness.EXIT_BAD_DATA and "acknowledged" in result.stderr
                                 and "restore the log from a copy" in result.stderr,
                                 f"a cut inside the acknowledged length ({mode}) is refused with 65",
                                 harness.describe(result))
            with open(path, "rb") as handle:
                self.tally.check(handle.read() == original[:cut], f"nothing was cut ({mode})")
            self.tally.check(not harness.quarantine_files(events), f"nothing was quarantined ({mode})")
            with open(path, "wb") as handle:
                handle.write(original)
            result = self.award(events, f"ACK3-{mode}")
            self.tally.check(result.returncode == 0, f"restored from the copy, appends work again ({mode})",
                             harness.describe(result))
            history = self.run(["history", f"ACK-{mode}"], events)
            self.tally.check(history.returncode == 0 and "ACK-" in history.stdout, f"the acknowledged award is there ({mode})",
                             harness.describe(history))

    @staticmethod
    def last_state(path):
        with open(path, "rb") as handle:
            data = handle.read()
        lines = data.split(b"\n")[:-1]
        offsets, total = [], 0
        for line in lines:
            total += len(line) + 1
            offsets.append(total)
        return data, lines, offsets

    def forged_pending(self):
        zeros = harness.ZERO_HASH
        for variant in ("v1 mid-line", "v2 wrong head", "v2 mid-line", "v1 at a line end"):
            events = self.fresh()
            path = os.path.join(events, "grants.jsonl")
            data, lines, offsets = self.last_state(path)
            index = self.random.randrange(1, len(lines) - 1)
            boundary = offsets[index - 1]
            if variant == "v1 mid-line":
                record = f"pending\ngrants {boundary + 7} {len(data)} 983 {zeros}\nend\n"
            elif variant == "v1 at a line end":
                record = f"pending\ngrants {boundary} {len(data)} 983 {zeros}\nend\n"
            elif variant == "v2 mid-line":
                record = (f"ledger-journal 2 pending\ncommitted grants {boundary + 7} {index} {zeros[:-1]}1\n"
                          f"batch grants {len(data)} 983 {zeros}\nend\n")
            else:
                record = (f"ledger-journal 2 pending\ncommitted grants {boundary} {index} {zeros[:-1]}1\n"
                          f"batch grants {len(data)} 983 {zeros}\nend\n")
            if record.startswith("ledger-journal 2 "):
                record = sealed(record[:-len("end\n")])
            with open(os.path.join(events, ".ledger-journal"), "w", encoding="ascii") as handle:
                handle.write(record)
            self.figures["forged records"] += 1
            result = self.award(events, "FORGED-1")
            self.tally.check(result.returncode == harness.EXIT_BAD_DATA, f"forged pending record ({variant}): append refused (65)",
                             harness.describe(result))
            self.tally.check(digest(path) == hashlib.sha256(data).hexdigest(), f"forged pending record ({variant}): nothing cut")
            repair = self.run(["repair"], events)
            if variant == "v1 at a line end":
                kept = harness.quarantine_files(events)
                with open(path, "rb") as handle:
                    now = handle.read()
                self.tally.check(repair.returncode == 0 and len(kept) == 1 and harness.QUARANTINE in repair.stdout,
                                 "repair rolls a format 1 record back only into quarantine, naming the file",
                                 harness.describe(repair))
                self.tally.check(now + b"".join(kept.values()) == data, "the log and the quarantine together hold every byte")
                self.figures["quarantined rollbacks"] += 1
            else:
                self.tally.check(repair.returncode == harness.EXIT_BAD_DATA and digest(path) == hashlib.sha256(data).hexdigest(),
                                 f"forged pending record ({variant}): repair refuses, nothing cut", harness.describe(repair))

    def interrupted_reads(self):
        """An interrupted append written by hand (a pending record and half an event): readers
        answer from the acknowledged events, also without write access; repair quarantines it."""
        events = self.fresh()
        path = os.path.join(events, "grants.jsonl")
        data, lines, offsets = self.last_state(path)
        last = json.loads(lines[-1])
        event = {"actor": "attacks", "data": {"grant": "HALF", "enterprise": self.codes[0], "programme": self.programmes[0],
                                              "amountFen": 1, "project": "half"},
                 "effective": "2023-01-01", "id": "half-1", "prev": last["hash"], "recorded": last["recorded"],
                 "seq": last["seq"] + 1, "source": "attacks", "type": "GrantAwarded"}
        event["hash"] = harness.event_hash(event)
        line = (harness.canonical(event) + "\n").encode("utf-8")
        half = line[:len(line) // 2]
        with open(path, "ab") as handle:
            handle.write(half)
        with open(os.path.join(events, ".ledger-journal"), "w", encoding="ascii") as handle:
            handle.write(sealed(f"ledger-journal 2 pending\ncommitted grants {len(data)} {last['seq']} {last['hash']}\n"
                                f"batch grants {len(data) + len(line)} {last['seq'] + 1} {event['hash']}\n"))
        query = self.run(["summary", "--format", "json", "--known-at", "2030-01-01"], events)
        self.tally.check(query.returncode == 0 and query.stdout == self.summary and "warning: grants.jsonl" in query.stderr,
                         "a query answers from the acknowledged events past an interrupted append, with a warning",
                         harness.describe(query))
        prefix, reason = harness.nonroot_prefix()
        if prefix is None:
            self.tally.skip("unprivileged reader", reason)
        else:
            os.chmod(events, 0o755)
            for name in os.listdir(events):
                os.chmod(os.path.join(events, name), 0o444)
            query = self.run(["summary", "--format", "json", "--known-at", "2030-01-01", "--no-snapshot"], events, prefix=prefix)
            self.tally.check(query.returncode == 0 and query.stdout == self.summary,
                             "a user who may only read gets the answer after a crash", harness.describe(query))
            self.figures["unprivileged reads"] += 1
            for name in os.listdir(events):
                os.chmod(os.path.join(events, name), 0o644)
        repair = self.run(["repair"], events)
        kept = harness.quarantine_files(events)
        self.tally.check(repair.returncode == 0 and list(kept.values()) == [half], "repair moves the half event to quarantine",
                         harness.describe(repair))
        self.tally.check(digest(path) == hashlib.sha256(data).hexdigest(), "the log is as acknowledged after the repair")

    def run_all(self):
        self.file_types()
        self.quarantine_place()
        for server in self.sockets:
            server.close()
        self.shared_log()
        self.cut_inside_acknowledged()
        self.forged_pending()
        self.interrupted_reads()
        figures = self.figures
        lines = [f"{figures['file-type cases']} file-type cases (FIFO, socket, symbolic link, hard link × 3 logs, "
                 f"journal, snapshot; symbolic link, FIFO, socket, file for the quarantine directory), "
                 f"{figures['refusals']} refusals, {figures['hang-free runs']} runs, none hung",
                 f"{figures['shared-log appends refused']} of 10 concurrent appends into a shared log refused",
                 f"{figures['cuts inside the acknowledged length']} cuts inside the acknowledged length refused; "
                 f"{figures['forged records']} forged pending records, {figures['quarantined rollbacks']} rolled back "
                 f"into quarantine by repair; {figures['unprivileged reads']} unprivileged reads after a crash"]
        return harness.finish_campaign(self.tally, lines, self.work, self.work)


def main():
    options = harness.parse_arguments(__doc__, {"seed": (20261204, "seed of every random choice")})
    return StoreAttackCampaign(options).run_all()


if __name__ == "__main__":
    sys.exit(main())
