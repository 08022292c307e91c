#!/usr/bin/env python3
"""Tampering: every way of editing a log by hand is caught, at the right line, and no query answers
from a log that does not verify.

Works on a copy of the bundled Events/ (never Events/ itself); without it, on a sample directory
written through `incentives append`. For each log:
  - one byte changed at many random positions (a random byte, one bit flipped, or a plausible
    digit), each restored before the next;
  - a line deleted, a copy of a line (of this log or another) inserted, a forged line inserted
    with a recomputed hash that links to the line before it, two lines swapped, the file cut at a
    random byte, and a forged line appended with a recomputed hash but a wrong prev.
After each: `verify` exits 1 and its first problem in that log is at the first line that differs
from the original (for a forged line that links correctly to the line before it, the line after
it, where the chain breaks); an independent reader finds the same first bad line; the text
output names FILE:LINE; a query (rotating through every query command) refuses with exit 65 and
says to run `verify`, and answers with --no-verify only, with a warning.
A cut at a line boundary (or deleting the last line) leaves a shorter chain that verifies: no
chain can show that its own end was removed. That is caught against a published checkpoint:
`replay --check` must fail and say events were removed; the campaign checks that every time.
Usage: tamper.py [--seed N] [--positions N] [--line-edits N] [--max-seconds S] [--events DIR]
"""
import json
import os
import random as random_module
import shutil
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ledgerharness as harness  # noqa: E402

HEX = b"0123456789abcdef"
DIGITS = b"0123456789"
NEWLINE = b"\n"


class TamperCampaign:
    def __init__(self, options):
        self.options = options
        self.random = random_module.Random(options.seed)
        self.tally = harness.Tally("tamper")
        self.work = harness.make_temporary_directory("tamper")
        self.events = os.path.join(self.work, "events")
        # The snapshot is the reading user's cache: this campaign keeps its own, so that every
        # edit meets a snapshot saved from the untampered logs, and nothing lands in $HOME.
        self.cache = os.path.join(self.work, "cache")
        source = options.events or harness.bundled_events()
        if source:
            shutil.copytree(source, self.events, ignore=shutil.ignore_patterns(".ledger-journal"))
            self.source = source
        else:
            harness.build_sample_events(self.events, self.random)
            self.source = "a sample directory written through `incentives append` (no bundled Events/ yet)"
        self.figures = {"positions": {}, "edits": {}, "queries refused": 0, "answered with --no-verify": 0,
                        "refused even with --no-verify (line unreadable as an event)": 0,
                        "cuts at a line boundary caught by the checkpoint": 0, "snapshots saved before an edit": 0}
        self.query_number = 0
        self.codes = []
        self.some_id = None

    def incentives(self, arguments, events=None, env=None, **options):
        """`harness.run` with this campaign's snapshot cache (INCENTIVES_CACHE_DIR)."""
        return harness.run(arguments, events, env={"INCENTIVES_CACHE_DIR": self.cache, **(env or {})}, **options)

    # MARK: One tampered state

    def expect_detected(self, log, original, tampered, expected_line, what, first_changed=None):
        """Writes `tampered` over the log, checks every reader refuses it, then restores `original`."""
        path = os.path.join(self.events, f"{log}.jsonl")
        with open(path, "wb") as handle:
            handle.write(tampered)
        try:
            self.check_detected(log, tampered, expected_line, what, first_changed=first_changed)
        finally:
            with open(path, "wb") as handle:
                handle.write(original)

    def independent_problems(self, log, tampered, first_changed):
        """The independent reader over the tampered log from its first changed line on (the
        lines before it are the original's, already read), for a few lines."""
        before = first_changed - 1
        offset = self.line_starts[log][before]
        _, problems = harness.read_log(tampered[offset:], self.states[log][before], line_limit=4)
        return problems

    def check_detected(self, log, tampered, expected_line, what, text_output=False, query=False, first_changed=None):
        code, report = harness.verify_report(self.events)
        problems = [problem for problem in (report or {}).get("problems", []) if problem["log"] == log]
        first = min((problem["line"] for problem in problems), default=None)
        ok = self.tally.check(code == harness.EXIT_FINDINGS and first == expected_line,
                              f"{what} in {log}.jsonl: verify fails (exit 1) and names line {expected_line} first",
                              f"exit {code}, first problems {problems[:3]}")
        others = [problem for problem in (report or {}).get("problems", [])
                  if problem["log"] != log and "already used" not in problem["problem"]]
        self.tally.check(not others, f"{what} in {log}.jsonl: no other log is blamed", f"{others[:3]}")
        independent = self.independent_problems(log, tampered, first_changed or expected_line)
        self.tally.check(bool(independent) and independent[0][0] == expected_line,
                         f"{what} in {log}.jsonl: an independent reader finds the same first bad line",
                         f"independent reader: {independent[:2]}")
        if text_output:
            result = self.incentives(["verify"], self.events)
            self.tally.check(result.returncode == 1 and f"{log}.jsonl:{expected_line}: " in result.stdout,
                             f"{what} in {log}.jsonl: the text output names {log}.jsonl:{expected_line}",
                             result.stdout[-600:])
        if query:
            self.check_queries_refuse(log, what)
        return ok

    def query_commands(self):
        return [["summary"], ["grants", "--by", "year"], ["tiers"], ["centres"], ["replay"], ["checkpoint"]] + \
               ([["enterprise", self.codes[0]]] if self.codes else []) + \
               ([["history", self.some_id]] if self.some_id else [])

    def save_fresh_snapshot(self):
        """A query on the untampered logs, which saves the snapshot the next edit meets: a query
        after the edit must refuse all the same (the snapshot remembers the files' stamps)."""
        result = self.incentives(["summary"], self.events, env={"INCENTIVES_SNAPSHOT_TRACE": "1"})
        fresh = "snapshot saved" in result.stderr or "snapshot used, 0 events read after it" in result.stderr
        self.tally.check(result.returncode == 0 and fresh,
                         "a query on the untampered logs saves a snapshot", harness.describe(result))
        self.figures["snapshots saved before an edit"] += 1

    def check_queries_refuse(self, log, what):
        commands = self.query_commands()
        command = commands[self.query_number % len(commands)]
        self.query_number += 1
        result = self.incentives(command, self.events)
        self.figures["queries refused"] += 1
        self.tally.check(result.returncode == harness.EXIT_BAD_DATA and "incentives verify" in result.stderr
                         and f"{log}.jsonl:" in result.stderr,
                         f"{what} in {log}.jsonl: `{command[0]}` refuses (exit 65), names the log and says to run verify",
                         harness.describe(result))
        if command[0] not in ("replay", "checkpoint"):
            # On purpose: an answer with a warning, or, when a changed line no longer reads as an
            # event of a known kind, a refusal that names that line.
            answered = self.incentives(command + ["--no-verify"], self.events)
            if answered.returncode == 0:
                self.figures["answered with --no-verify"] += 1
            else:
                self.figures["refused even with --no-verify (line unreadable as an event)"] += 1
            self.tally.check("--no-verify" in answered.stderr and (
                answered.returncode == 0 or (answered.returncode == harness.EXIT_BAD_DATA and f"{log}.jsonl:" in answered.stderr)),
                f"{what} in {log}.jsonl: `{command[0]} --no-verify` answers with a warning, or names the unreadable line",
                harness.describe(answered))

    # MARK: Kinds of tampering

    def change_bytes(self, log, data, line_starts):
        path = os.path.join(self.events, f"{log}.jsonl")
        count = 0
        budget = self.options.max_seconds * 0.6 / len(harness.LOGS)
        started = self.tally.elapsed()
        for trial in range(self.options.positions):
            if self.tally.elapsed() - started > budget:
                break
            position = self.random.randrange(len(data))
            old = data[position]
            kind = self.random.random()
            if kind < 0.34:
                new = self.random.choice([byte for byte in range(256) if byte != old])
            elif kind < 0.67:
                new = old ^ (1 << self.random.randrange(8))
            else:
                alphabet = HEX if old in HEX else DIGITS if old in DIGITS else b"abcdefghijklmnopqrstuvwxyz{}[]\":,0123456789"
                new = self.random.choice([byte for byte in alphabet if byte != old])
            line = self.line_of(line_starts, position)
            query = trial % 15 == 0
            if query:
                self.save_fresh_snapshot()
            with open(path, "r+b") as handle:
                handle.seek(position)
                handle.write(bytes([new]))
            try:
                tampered = data[:position] + bytes([new]) + data[position + 1:]
                self.check_detected(log, tampered, line, f"byte {position} changed {old:#04x}->{new:#04x}",
                                    text_output=trial % 10 == 0, query=query)
            finally:
                with open(path, "r+b") as handle:
                    handle.seek(position)
                    handle.write(bytes([old]))
            count += 1
        with open(path, "rb") as handle:
            self.tally.check(handle.read() == data, f"{log}.jsonl is restored after the byte changes")
        self.figures["positions"][log] = count

    @staticmethod
    def line_of(line_starts, position):
        """1-based number of the line holding byte `position` (its newline included)."""
        low, high = 0, len(line_starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if line_starts[middle] <= position:
                low = middle
            else:
                high = middle - 1
        return low + 1

    def forged(self, template, seq, prev):
        event = json.loads(template)
        event["seq"] = seq
        event["prev"] = prev
        event["id"] = f"forged-{self.random.randrange(10**9)}"
        return harness.seal(event)

    def edit_lines(self, log, data, others):
        lines = data.split(b"\n")[:-1]
        count = len(lines)
        original = [line + b"\n" for line in lines]
        edits = self.figures["edits"].setdefault(log, {})

        def record(kind):
            edits[kind] = edits.get(kind, 0) + 1

        def first_difference(new_lines):
            for index, line in enumerate(new_lines):
                if index >= count or line != original[index]:
                    return index + 1
            return None

        for round_number in range(self.options.line_edits):
            query = round_number % 3 == 0
            # Delete a line (sometimes the last: then only the checkpoint can tell).
            index = count - 1 if round_number % 5 == 4 else self.random.randrange(count)
            new = original[:index] + original[index + 1:]
            if index == count - 1:
                self.expect_cut_caught(log, data, b"".join(new), "the last line deleted")
            else:
                self.expect_detected(log, data, b"".join(new), first_difference(new), f"line {index + 1} deleted")
            record("delete a line")

            # Insert a copy of a line of this log, or of another log.
            source = self.random.choice(original + [line for line in others if line])
            position = self.random.randrange(count + 1)
            new = original[:position] + [source] + original[position:]
            self.expect_detected(log, data, b"".join(new), first_difference(new),
                                 f"a copied line inserted at {position + 1}")
            record("insert a copied line")

            # Insert a forged line that links to the line before it: the break shows on the next line.
            position = self.random.randrange(count)
            prev = json.loads(original[position - 1])["hash"] if position > 0 else harness.ZERO_HASH
            forged = self.forged(original[position], position + 1, prev)
            new = original[:position] + [forged] + original[position:]
            self.expect_detected(log, data, b"".join(new), position + 2,
                                 f"a forged, correctly linked line inserted at {position + 1}", first_changed=position + 1)
            record("insert a forged linked line")

            # Swap two lines.
            if count >= 2:
                first, second = sorted(self.random.sample(range(count), 2))
                new = list(original)
                new[first], new[second] = new[second], new[first]
                self.expect_detected(log, data, b"".join(new), first + 1, f"lines {first + 1} and {second + 1} swapped")
                record("swap two lines")

            # Cut the file at a random byte: mid-line leaves a torn last line.
            cut = self.random.randrange(1, len(data))
            tampered = data[:cut]
            if tampered.endswith(b"\n"):
                self.expect_cut_caught(log, data, tampered, f"cut at byte {cut} (a line boundary)")
            else:
                self.expect_detected(log, data, tampered, tampered.count(b"\n") + 1, f"cut at byte {cut}")
            record("truncate")

            # Append a forged line with a recomputed hash but a wrong prev.
            wrong = json.loads(original[self.random.randrange(max(1, count - 1))])["hash"] if count > 1 else "1" * 64
            forged = self.forged(original[-1], count + 1, wrong)
            self.expect_detected(log, data, data + forged, count + 1, "a forged line appended with a wrong prev")
            record("append a forged line (wrong prev)")
            if query:
                self.save_fresh_snapshot()
                path = os.path.join(self.events, f"{log}.jsonl")
                with open(path, "wb") as handle:
                    handle.write(data + forged)
                try:
                    self.check_queries_refuse(log, "a forged line appended")
                finally:
                    with open(path, "wb") as handle:
                        handle.write(data)

    def expect_cut_caught(self, log, original, tampered, what):
        """A log cut at a line boundary verifies; the published checkpoint catches it."""
        path = os.path.join(self.events, f"{log}.jsonl")
        with open(path, "wb") as handle:
            handle.write(tampered)
        try:
            result = self.incentives(["replay", "--check", self.checkpoint], self.events)
            caught = result.returncode == harness.EXIT_FINDINGS and "events were removed" in result.stdout \
                and f"log {log} has" in result.stdout
            self.tally.check(caught, f"{what} in {log}.jsonl: `replay --check` against the checkpoint says events were "
                             "removed (exit 1)", harness.describe(result))
            if caught:
                self.figures["cuts at a line boundary caught by the checkpoint"] += 1
        finally:
            with open(path, "wb") as handle:
                handle.write(original)

    # MARK: The campaign

    def run(self):
        options = self.options
        code, report = harness.verify_report(self.events)
        if not self.tally.check(code == 0, "the untouched copy verifies", f"exit {code}, {report}"):
            return self.tally.finish()
        self.checkpoint = os.path.join(self.work, "checkpoint.json")
        result = self.incentives(["checkpoint"], self.events)
        self.tally.check(result.returncode == 0, "a checkpoint of the untouched copy is written", harness.describe(result))
        with open(self.checkpoint, "w", encoding="utf-8") as handle:
            handle.write(result.stdout)
        contents, line_starts = {}, {}
        for log in harness.LOGS:
            path = os.path.join(self.events, f"{log}.jsonl")
            if os.path.exists(path):
                with open(path, "rb") as handle:
                    contents[log] = handle.read()
        first_tiers = contents.get("tiers", b"").split(b"\n")[0]
        self.codes = [json.loads(first_tiers)["data"]["enterprise"]] if first_tiers else []
        first_grants = contents.get("grants", b"").split(b"\n")[0]
        self.some_id = json.loads(first_grants)["id"] if first_grants else None
        self.line_starts, self.states = {}, {}
        for log, data in contents.items():
            if not data:
                continue
            starts, offset = [], 0
            for line in data.split(b"\n")[:-1]:
                starts.append(offset)
                offset += len(line) + 1
            starts.append(offset)
            events, problems = harness.read_log(data)
            self.tally.check(not problems, f"the independent reader accepts the untouched {log}.jsonl", f"{problems[:3]}")
            states = [harness.ChainState()]
            for number, event in enumerate(events, 1):
                states.append(harness.ChainState(number, event["hash"], event["seq"] + 1, event["recorded"]))
            self.line_starts[log], self.states[log] = starts, states
            self.change_bytes(log, data, starts[:-1])
        for log, data in contents.items():
            if data:
                others = [line + b"\n" for other, other_data in contents.items() if other != log
                          for line in other_data.split(b"\n")[:-1][:200]]
                self.edit_lines(log, data, others)
        for log, data in contents.items():
            with open(os.path.join(self.events, f"{log}.jsonl"), "rb") as handle:
                self.tally.check(handle.read() == data, f"{log}.jsonl is restored at the end")
        self.tally.check(harness.verify_report(self.events)[0] == 0, "the restored copy verifies at the end")

        sizes = ", ".join(f"{log} {data.count(NEWLINE)} lines" for log, data in contents.items())
        positions = self.figures["positions"]
        edit_lines = []
        for log, edits in self.figures["edits"].items():
            edit_lines.append(f"  {log}: " + ", ".join(f"{kind} {number}" for kind, number in edits.items()))
        code = self.tally.finish([
            f"seed {options.seed}; logs from {self.source} ({sizes})",
            f"byte positions tampered: {sum(positions.values())} (" + ", ".join(f"{log} {number}" for log, number
                                                                             in positions.items()) + ")",
            "line edits:"] + edit_lines + [
            f"cuts at a line boundary caught by the checkpoint: {self.figures['cuts at a line boundary caught by the checkpoint']}",
            f"queries refused (exit 65): {self.figures['queries refused']}; with --no-verify: answered with a warning "
            f"{self.figures['answered with --no-verify']}, refused naming the unreadable line "
            f"{self.figures['refused even with --no-verify (line unreadable as an event)']}; "
            f"each of these queries met a snapshot saved from the untampered logs just before the edit "
            f"({self.figures['snapshots saved before an edit']} saved)"])
        if code == 0:
            harness.remove_directory(self.work)
        else:
            print(f"  work directory kept at {self.work}")
        return code


def main():
    options = harness.parse_arguments(__doc__, {
        "seed": (4242, "seed of every random choice"),
        "positions": (300, "byte positions to change in each log"),
        "line-edits": (12, "rounds of line edits (delete, insert, swap, cut, forge) in each log"),
        "max-seconds": (900.0, "time bound for the byte changes"),
        "events": ("", "events directory to copy (default: the bundled Events/)"),
    })
    return TamperCampaign(options).run()


if __name__ == "__main__":
    sys.exit(main())
