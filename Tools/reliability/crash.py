#!/usr/bin/env python3
"""Crash safety: appends in a loop, killing `incentives` with SIGKILL at random moments.

After every kill it checks that
  - every append that reported success is still in the log, exactly once;
  - the logs verify, or `verify` reports only an interrupted append (line 0) or a torn last line;
  - a query answers from the acknowledged events with a warning while an append is interrupted;
  - `incentives repair` is run before some retries, and killed at random moments and right after
    it creates a quarantine file (while it copies the bytes it will remove); what it cannot finish
    the next command finishes;
  - retrying the killed command (itself sometimes killed again, during the repair) succeeds,
    says what it repaired, and finds the killed batch either wholly written or not at all:
    all of its events appended, or all of them already present;
  - every notice of a rollback names a quarantine file that exists.
Every so often it also leaves a torn last line (bytes of an event without a newline after what was
acknowledged, as a writer that died mid-line without a journal would) and checks that `verify`
names that line, queries refuse, and the next append moves it to quarantine after saying so.

Bounded by count and by time; fails when fewer than --min-kills kills landed.
Usage: crash.py [--seed N] [--kills N] [--min-kills N] [--max-seconds S]
"""
import json
import os
import re
import signal
import subprocess
import sys
import time
import random as random_module

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ledgerharness as harness  # noqa: E402

INTERRUPTED = "an append was interrupted"
TORN = "last line has no newline"
ROLLBACK_NOTICE = "was interrupted before it was acknowledged"
TORN_NOTICE = "the last line was unfinished"
MOVED = re.compile(r"moved to (\S+\.removed)")


class Operation:
    """One command to run until it succeeds: its arguments, its input file, the ids it appends."""

    def __init__(self, arguments, ids, input_path=None, grants=()):
        self.arguments = arguments
        self.ids = ids
        self.input_path = input_path
        self.grants = list(grants)


class CrashCampaign:
    def __init__(self, options):
        self.options = options
        self.random = random_module.Random(options.seed)
        self.tally = harness.Tally("crash")
        self.binary = harness.binary_path()
        self.work = harness.make_temporary_directory("crash")
        self.events = os.path.join(self.work, "events")
        harness.make_ledger(self.events)
        self.acknowledged = {}          # id -> log, for every append that reported success
        self.grants = []                # grants whose award was acknowledged
        self.durations = []             # seconds of attempts that ran to the end
        self.figures = {"kills": 0, "killed before writing": 0, "killed mid-write (rolled back)": 0,
                        "killed after the sync, before the acknowledgement": 0, "kills during a repair": 0,
                        "killed after the intent record, before any log byte": 0,
                        "operations": 0, "attempts": 0, "torn tails repaired": 0, "queries refused": 0,
                        "kills aimed at the write": 0, "kills at a random moment": 0,
                        "repairs run": 0, "repairs killed": 0, "repairs killed at a quarantine write": 0,
                        "quarantine files named": 0, "queries answered past an interrupted append": 0,
                        "quarantine kills": 0, "quarantine kills during the copy": 0,
                        "quarantine kills after the copy": 0}
        self.operation_number = 0
        self.follower = harness.LogFollower(self.events)

    # MARK: Operations

    def setup(self):
        lines, self.codes, self.programmes, grants = harness.seed_drafts(self.random, enterprises=12, awards=20)
        report = harness.append_lines(self.events, lines, path=os.path.join(self.work, "seed.jsonl"))
        for event in report["appended"]:
            self.acknowledged[event["id"]] = event["log"]
        self.grants += grants

    def next_operation(self):
        self.operation_number += 1
        number = self.operation_number
        choice = self.random.random()
        common = ["--actor", "crash-harness", "--source", f"doc-{number}", "--format", "json"]
        if choice < 0.55:
            return self.batch_operation(number)
        if choice < 0.75 or not self.grants:
            grant = f"K{number}"
            return Operation(["award", "--grant", grant, "--enterprise", self.random.choice(self.codes),
                              "--programme", self.random.choice(self.programmes),
                              "--amount", f"{self.random.randint(1, 10**7)}.{self.random.randint(0, 99):02d}",
                              "--project", f"project {number}", "--effective", "2022-06-01"] + common,
                             [f"award:{grant}"], grants=[grant])
        if choice < 0.92:
            return Operation(["disburse", "--id", f"pay-{number}", "--grant", self.random.choice(self.grants),
                              "--amount", str(self.random.randint(1, 10**6)), "--effective", "2022-07-01"] + common,
                             [f"pay-{number}"])
        return Operation(["open-centre", "--centre", f"CC{number}", "--name", f"中心 {number}", "--kind", "rnd",
                          "--city", "泰州", "--effective", "2022-01-01"] + common, [f"open:CC{number}"])

    def batch_operation(self, number):
        """A batch over several logs, so that an interrupted write can leave one log written and
        another not: exactly what the journal must roll back."""
        lines, ids, grants = [], [], []
        size = self.random.randint(1, 80)
        for index in range(size):
            kind = self.random.random()
            identifier = f"b{number}-{index}"
            if kind < 0.45:
                grant = f"B{number}-{index}"
                grants.append(grant)
                lines.append(harness.draft(identifier, "GrantAwarded", "2022-03-01", {
                    "grant": grant, "enterprise": self.random.choice(self.codes),
                    "programme": self.random.choice(self.programmes),
                    "amountFen": self.random.randint(1, 10**10), "project": f"批次 {number} 项目 {index}"}))
            elif kind < 0.7 and (self.grants or grants):
                lines.append(harness.draft(identifier, "GrantDisbursed", "2022-08-01", {
                    "grant": self.random.choice(self.grants + grants), "amountFen": self.random.randint(1, 10**8)}))
            elif kind < 0.95:
                lines.append(harness.draft(identifier, "CapabilityEvaluated", "2022-02-01", {
                    "enterprise": self.random.choice(self.codes), "score": self.random.randint(0, 100)}))
            else:
                lines.append(harness.draft(identifier, "CentreOpened", "2022-01-01", {
                    "centre": f"BC{number}-{index}", "name": "批次中心", "kind": "offshore", "city": "Singapore"}))
            ids.append(identifier)
        path = os.path.join(self.work, "batch.jsonl")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        return Operation(["append", path, "--format", "json"], ids, input_path=path, grants=grants)

    # MARK: Running and killing

    def attempt(self, operation, kill):
        """Runs the operation once, SIGKILLing it when `kill`: half the time after a random delay
        anywhere in its run, half the time a random moment (0–1.5 ms) after its journal says a
        batch is pending, that is while it writes and syncs the logs.
        Returns (exit code, stdout, stderr, killed)."""
        command = [self.binary] + operation.arguments + ["--events", self.events]
        delay, at_write = None, False
        if kill:
            typical = sorted(self.durations[-50:])[len(self.durations[-50:]) // 2] if self.durations else 0.02
            at_write = self.random.random() < 0.5
            delay = self.random.uniform(0, 0.0015) if at_write else self.random.uniform(0, typical * 1.1)
        journal = os.path.join(self.events, ".ledger-journal")
        journal_written_before = os.stat(journal).st_mtime_ns if os.path.exists(journal) else 0
        started = time.monotonic()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env={key: value for key, value in os.environ.items() if key != "INCENTIVES_EVENTS"})
        if at_write:
            self.wait_for_pending_journal(process, journal, journal_written_before)
        if delay is not None:
            time.sleep(delay)
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=120)
        self.figures["attempts"] += 1
        killed = process.returncode == -signal.SIGKILL
        if killed:
            self.figures["kills aimed at the write" if at_write else "kills at a random moment"] += 1
        else:
            self.durations.append(time.monotonic() - started)
        return process.returncode, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"), killed

    @staticmethod
    def wait_for_pending_journal(process, journal, written_before):
        """Polls until this process has written a pending batch to the journal (the record says
        pending and the file changed since the process started) or the process ends; at most 5 s."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with open(journal, "rb") as handle:
                    head = handle.read(24)
                    pending = head.startswith(b"pending") or head.startswith(b"ledger-journal 2 pending")
                    if pending and os.fstat(handle.fileno()).st_mtime_ns != written_before:
                        return
            except OSError:
                pass

    def check_after_kill(self):
        """What a kill may leave: logs that verify, or an interrupted append / torn tail that
        verify reports. Returns the set of kinds of problem reported."""
        code, report = harness.verify_report(self.events)
        kinds = set()
        if code == harness.EXIT_OK:
            self.tally.check(report is not None and report["ok"], "verify exits 0 only when it reports ok")
        elif self.tally.check(code == harness.EXIT_FINDINGS and report is not None,
                              "after a kill, verify either passes or reports problems (exit 1)",
                              f"exit {code}, report {report!r}"):
            for problem in report["problems"]:
                if problem["line"] == 0 and INTERRUPTED in problem["problem"]:
                    kinds.add("interrupted")
                elif TORN in problem["problem"]:
                    kinds.add("torn")
                else:
                    self.tally.check(False, "after a kill, the only problems are an interrupted append or a torn tail",
                                     f"{problem}")
            if self.operation_number % 4 == 0:
                query = harness.run(["summary"], self.events)
                if kinds == {"interrupted"}:
                    self.figures["queries answered past an interrupted append"] += 1
                    self.tally.check(query.returncode == 0 and "answering from the acknowledged events" in query.stderr,
                                     "a query answers from the acknowledged events past an interrupted append, warning",
                                     harness.describe(query))
                else:
                    self.figures["queries refused"] += 1
                    self.tally.check(query.returncode == harness.EXIT_BAD_DATA and "incentives verify" in query.stderr,
                                     "a query refuses (exit 65, naming verify) while a log has a torn line",
                                     harness.describe(query))
        self.check_acknowledged(require_valid=False)
        return kinds

    def check_acknowledged(self, require_valid):
        """Every acknowledged append is in the logs exactly once, in its log (read independently);
        once every command has succeeded, nothing else is."""
        ids_by_log, problems = self.follower.read(commit=require_valid)
        counts, wrong_log = {}, []
        for log, ids in ids_by_log.items():
            for identifier in ids:
                counts[identifier] = counts.get(identifier, 0) + 1
                expected = self.acknowledged.get(identifier)
                if expected is not None and expected != log:
                    wrong_log.append(identifier)
        missing = [identifier for identifier in self.acknowledged if counts.get(identifier, 0) != 1]
        self.tally.check(not missing, "every acknowledged event is in the logs exactly once",
                         f"{len(missing)} missing or repeated, e.g. {missing[:5]}")
        self.tally.check(not wrong_log, "every acknowledged event is in the log it was acknowledged in",
                         f"{wrong_log[:5]}")
        if require_valid:
            self.tally.check(not problems, "the logs read back cleanly by an independent reader", f"{problems[:5]}")
            unacknowledged = [identifier for identifier in counts if identifier not in self.acknowledged]
            self.tally.check(not unacknowledged, "the logs hold no event that was never acknowledged",
                             f"{len(unacknowledged)}, e.g. {unacknowledged[:5]}")

    def run_operation(self, operation, kill_first):
        """Runs an operation until it succeeds, killing the first attempt (and some retries)."""
        self.figures["operations"] += 1
        pending_notices = set()
        killed_before = False
        first_kill = None
        attempt_number = 0
        while True:
            attempt_number += 1
            kill = (kill_first and attempt_number == 1) or (killed_before and self.random.random() < 0.25
                                                               and attempt_number < 6)
            if killed_before and self.random.random() < 0.4:
                pending_notices = self.repair(pending_notices)
            code, stdout, stderr, killed = self.attempt(operation, kill)
            self.check_named_quarantine(stderr)
            if ROLLBACK_NOTICE in stderr:
                pending_notices.discard("interrupted")
            if TORN_NOTICE in stderr:
                pending_notices.discard("torn")
            if killed:
                self.figures["kills"] += 1
                if attempt_number > 1:
                    self.figures["kills during a repair"] += 1
                journal = harness.journal_state(self.events)
                kinds = self.check_after_kill()
                pending_notices |= kinds
                if attempt_number == 1:
                    first_kill = "mid-write" if "interrupted" in kinds else journal
                killed_before = True
                continue
            if not self.tally.check(code == 0, f"{operation.arguments[0]} succeeds (attempt {attempt_number})",
                                    f"exit {code}; stdout {stdout[-400:]!r}; stderr {stderr[-800:]!r}"):
                return
            outcome = json.loads(stdout)
            appended = [event["id"] for event in outcome["appended"]]
            present = outcome["alreadyPresent"]
            self.tally.check(sorted(appended + present) == sorted(operation.ids),
                             "the acknowledgement accounts for every event of the command",
                             f"appended {appended[:5]}, present {present[:5]}, expected {operation.ids[:5]}")
            if killed_before:
                whole = (len(appended) == len(operation.ids) and not present) or \
                        (len(present) == len(operation.ids) and not appended)
                self.tally.check(whole, "a killed batch was written wholly or not at all",
                                 f"{len(appended)} appended and {len(present)} already present of {len(operation.ids)}")
                # A batch that had reached every log when the kill came is kept without a notice
                # (nothing is removed); any other interrupted write is rolled back and said so.
                kept_whole = len(present) == len(operation.ids) and not appended
                self.tally.check(not pending_notices or (pending_notices == {"interrupted"} and kept_whole),
                                 "the append that repaired an interrupted write said so",
                                 f"no notice for {pending_notices}; last stderr {stderr[-800:]!r}")
                if kill_first:
                    # Where the first kill landed, as the logs, the journal and the retry tell it.
                    if first_kill == "mid-write":
                        self.figures["killed mid-write (rolled back)"] += 1
                    elif present:
                        self.figures["killed after the sync, before the acknowledgement"] += 1
                    elif first_kill == "pending":
                        self.figures["killed after the intent record, before any log byte"] += 1
                    else:
                        self.figures["killed before writing"] += 1
            else:
                self.tally.check(not present, "a first attempt finds none of its fresh events present")
            for event in outcome["appended"]:
                self.acknowledged[event["id"]] = event["log"]
            # Found present by the retry: acknowledged now, by that answer (its log is not reported).
            for identifier in present:
                self.acknowledged[identifier] = None
            self.grants += operation.grants
            return

    def check_named_quarantine(self, text):
        for path in MOVED.findall(text):
            self.figures["quarantine files named"] += 1
            self.tally.check(os.path.isfile(path), "a rollback notice names a quarantine file that exists", path)

    def repair(self, pending_notices):
        """`incentives repair`, killed half the time: at a random moment, or just after it creates a
        quarantine file (while it copies what it will remove). Returns the notices still owed."""
        self.figures["repairs run"] += 1
        command = [self.binary, "repair", "--events", self.events]
        quarantine = os.path.join(self.events, harness.QUARANTINE)
        before = set(os.listdir(quarantine)) if os.path.isdir(quarantine) else set()
        mode = self.random.choice(("none", "random", "quarantine"))
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env={key: value for key, value in os.environ.items() if key != "INCENTIVES_EVENTS"})
        landed_at_copy = False
        if mode == "random":
            time.sleep(self.random.uniform(0, 0.01))
        elif mode == "quarantine":
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and process.poll() is None:
                if os.path.isdir(quarantine) and set(os.listdir(quarantine)) - before:
                    landed_at_copy = True
                    break
        if mode != "none" and process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=120)
        stdout, stderr = stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace")
        if process.returncode == -signal.SIGKILL:
            self.figures["repairs killed"] += 1
            if landed_at_copy:
                self.figures["repairs killed at a quarantine write"] += 1
            # What is owed now is what the logs still need: the killed repair may have finished a
            # rollback whose notice died with it.
            return self.check_after_kill()
        self.check_named_quarantine(stdout)
        self.tally.check(process.returncode == 0, "repair succeeds after a kill", f"exit {process.returncode}; {stdout[-400:]!r} {stderr[-400:]!r}")
        if ROLLBACK_NOTICE in stdout:
            pending_notices = pending_notices - {"interrupted"}
        self.tally.check(harness.verify_report(self.events)[0] == 0, "the logs verify after a repair")
        return pending_notices

    def quarantine_kill(self):
        """A large torn tail (64 KB to 1 MB without a newline) after what was acknowledged, and
        `repair` killed just after it creates the quarantine file: the log must still hold the
        bytes, or the quarantine must hold all of them; a second repair finishes, and some
        quarantine file then holds exactly the bytes the log lost."""
        log = self.random.choice(harness.LOGS)
        path = os.path.join(self.events, f"{log}.jsonl")
        with open(path, "rb") as handle:
            intact = handle.read()
        fragment = b'{"torn":"' + bytes(self.random.choice(b"abcdef") for _ in range(self.random.randint(1 << 16, 1 << 20)))
        with open(path, "ab") as handle:
            handle.write(fragment)
        quarantine = os.path.join(self.events, harness.QUARANTINE)
        before = set(os.listdir(quarantine)) if os.path.isdir(quarantine) else set()
        process = subprocess.Popen([self.binary, "repair", "--events", self.events], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env={key: value for key, value in os.environ.items() if key != "INCENTIVES_EVENTS"})
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and process.poll() is None:
            if os.path.isdir(quarantine) and set(os.listdir(quarantine)) - before:
                time.sleep(self.random.uniform(0, 0.002))
                break
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=120)
        if process.returncode == -signal.SIGKILL:
            self.figures["quarantine kills"] += 1
            with open(path, "rb") as handle:
                now = handle.read()
            copies = [data for name, data in harness.quarantine_files(self.events).items() if name not in before]
            self.tally.check(now in (intact, intact + fragment), "a kill during repair leaves the log whole or cut, never between")
            self.tally.check(all(fragment.startswith(data) for data in copies),
                             "a quarantine copy cut short by a kill is a prefix of the bytes, nothing else")
            if now == intact:
                self.figures["quarantine kills after the copy"] += 1
                self.tally.check(fragment in copies, "a log cut before the kill: its bytes were already whole in quarantine")
            else:
                self.figures["quarantine kills during the copy"] += 1
            before = set(os.listdir(quarantine))
            repair = harness.run(["repair"], self.events)
            self.tally.check(repair.returncode == 0, "repair finishes after a kill during its quarantine write",
                             harness.describe(repair))
            if now != intact:
                copies = [data for name, data in harness.quarantine_files(self.events).items() if name not in before]
                self.tally.check(copies == [fragment], "the second repair keeps the whole torn tail in quarantine")
        with open(path, "rb") as handle:
            self.tally.check(handle.read() == intact, "after the repairs the log is as acknowledged")

    def tear_tail(self):
        """Leaves part of an event line without its newline at the end of a log, as a writer that
        died mid-line without a journal would, and checks verify names it and an append removes it."""
        log = self.random.choice(harness.LOGS)
        path = os.path.join(self.events, f"{log}.jsonl")
        with open(path, "rb") as handle:
            data = handle.read()
        lines = data.split(b"\n")[:-1]
        if not lines:
            return
        fragment = self.random.choice(lines)[:self.random.randint(1, len(lines[-1]) - 1)]
        with open(path, "ab") as handle:
            handle.write(fragment)
        code, report = harness.verify_report(self.events)
        torn = [problem for problem in (report or {}).get("problems", []) if problem["log"] == log]
        self.tally.check(code == harness.EXIT_FINDINGS and len(torn) == 1 and torn[0]["line"] == len(lines) + 1
                         and TORN in torn[0]["problem"],
                         "verify names a torn last line by its number",
                         f"exit {code}, problems {report and report['problems']}, expected {log} line {len(lines) + 1}")
        query = harness.run(["summary"], self.events)
        self.tally.check(query.returncode == harness.EXIT_BAD_DATA and "incentives verify" in query.stderr,
                         "a query refuses while a log has a torn last line", harness.describe(query))
        operation = self.next_operation()
        kept_before = harness.quarantine_files(self.events)
        code, stdout, stderr, _ = self.attempt(operation, kill=False)
        self.tally.check(code == 0 and TORN_NOTICE in stderr and f"{log}.jsonl" in stderr,
                         "the next append moves the torn line to quarantine after saying so",
                         f"exit {code}; stderr {stderr!r}")
        self.check_named_quarantine(stderr)
        kept = {name: data for name, data in harness.quarantine_files(self.events).items() if name not in kept_before}
        self.tally.check(list(kept.values()) == [fragment], "the quarantine holds exactly the torn line's bytes",
                         f"{list(kept)}")
        if code == 0:
            for event in json.loads(stdout)["appended"]:
                self.acknowledged[event["id"]] = event["log"]
            self.grants += operation.grants
            self.figures["torn tails repaired"] += 1
        self.tally.check(harness.verify_report(self.events)[0] == 0, "the logs verify after the repair")

    # MARK: The campaign

    def run(self):
        options = self.options
        self.setup()
        # A few unkilled runs first, to learn how long an append takes.
        for _ in range(5):
            self.run_operation(self.next_operation(), kill_first=False)
        while self.figures["kills"] < options.kills and self.tally.elapsed() < options.max_seconds:
            self.run_operation(self.next_operation(), kill_first=True)
            if self.operation_number % 25 == 0:
                self.tear_tail()
            if self.operation_number % 5 == 0:
                self.quarantine_kill()
            if self.operation_number % 10 == 0:
                self.check_acknowledged(require_valid=True)
                code, report = harness.verify_report(self.events)
                self.tally.check(code == 0, "the logs verify once every command has succeeded", f"{report}")
        self.check_acknowledged(require_valid=True)
        code, report = harness.verify_report(self.events)
        self.tally.check(code == 0, "the logs verify at the end", f"{report}")
        ran, ok, output = harness.run_independent_checker(self.events)
        if ran:
            self.tally.check(ok, "the independent checker (verify-chain.py) accepts the logs at the end", output)
        else:
            self.tally.skip("independent checker", output)
        self.tally.check(self.figures["kills"] >= options.min_kills,
                         f"at least {options.min_kills} kills landed within {options.max_seconds} s",
                         f"only {self.figures['kills']}")
        figures = self.figures
        killed_first = figures["kills"] - figures["kills during a repair"]
        total = sum(len(ids) for ids in self.follower.read(commit=False)[0].values())
        lines = [f"seed {options.seed}",
                 f"kills survived: {figures['kills']} ({killed_first} of appends, {figures['kills during a repair']} "
                 f"of the retries that repaired them)",
                 f"  of the killed appends: {figures['killed before writing']} before writing anything, "
                 f"{figures['killed after the intent record, before any log byte']} after the journal's intent record "
                 f"but before any log byte, "
                 f"{figures['killed mid-write (rolled back)']} mid-write (rolled back by the next append), "
                 f"{figures['killed after the sync, before the acknowledgement']} after the sync "
                 f"(kept; the retry found them already present)",
                 f"  {figures['kills at a random moment']} sent at a random moment of the run, "
                 f"{figures['kills aimed at the write']} aimed at the write (0-1.5 ms after the journal said pending)",
                 f"commands run: {figures['attempts']} for {figures['operations']} operations; "
                 f"acknowledged events: {len(self.acknowledged)}; events in the logs: {total}",
                 f"torn tails reported and repaired: {figures['torn tails repaired']}; "
                 f"queries refused while a log had a torn line: {figures['queries refused']}; "
                 f"queries answered past an interrupted append: {figures['queries answered past an interrupted append']}",
                 f"repairs run: {figures['repairs run']}, killed {figures['repairs killed']} "
                 f"({figures['repairs killed at a quarantine write']} right after creating a quarantine file); "
                 f"quarantine files named by notices, all present: {figures['quarantine files named']}",
                 f"repairs killed while moving a torn tail of 64 KB-1 MB to quarantine: {figures['quarantine kills']} "
                 f"({figures['quarantine kills during the copy']} before the cut, the log whole; "
                 f"{figures['quarantine kills after the copy']} after it, the copy whole)"]
        return harness.finish_campaign(self.tally, lines, self.work, self.events, keep=bool(options.keep))


def main():
    options = harness.parse_arguments(__doc__, {
        "seed": (20240601, "seed of every random choice"),
        "kills": (250, "stop after this many kills"),
        "min-kills": (200, "fail unless at least this many kills landed"),
        "max-seconds": (900.0, "stop after this long even if fewer kills landed"),
        "keep": (0, "1 keeps the events directory"),
    })
    return CrashCampaign(options).run()


if __name__ == "__main__":
    sys.exit(main())
