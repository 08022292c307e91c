#!/usr/bin/env python3
"""Idempotent retries: running the same append again (after a timeout, a lost answer, a double
click) adds nothing and says the events were already present.

Checks, for a batch from a file, a batch on standard input and every shortcut: the retry exits
0, says `already present` for each event, reports `0 appended`, and leaves every log byte-for-byte
as it was; it does so even when the clock has moved on (events whose `recorded` came from the
clock) and in JSON output (`alreadyPresent`). A batch mixing old and new events appends only the
new ones. The same id with different content is refused (exit 65): an id names one event.
(Retries after a kill, when the first attempt's fate is unknown, are checked by crash.py.)
Usage: retry.py [--seed N]
"""
import json
import os
import random as random_module
import sys
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ledgerharness as harness  # noqa: E402


class RetryCampaign:
    def __init__(self, options):
        self.random = random_module.Random(options.seed)
        self.tally = harness.Tally("retry")
        self.work = harness.make_temporary_directory("retry")
        self.events = os.path.join(self.work, "events")
        harness.make_ledger(self.events)
        lines, self.codes, self.programmes, self.grants = harness.seed_drafts(self.random, enterprises=3, awards=2)
        harness.append_lines(self.events, lines)
        self.retries = 0

    def expect_idempotent(self, name, arguments, ids, stdin=None):
        first = harness.run(arguments, self.events, stdin=stdin)
        self.tally.check(first.returncode == 0 and f"{len(ids)} appended, 0 already present" in first.stdout,
                         f"{name}: the first run appends", harness.describe(first))
        before = harness.log_snapshot(self.events)
        # Let the clock move on: a retry must match events whose recorded time the clock gave.
        time.sleep(1.1)
        for attempt in (1, 2):
            self.retries += 1
            again = harness.run(arguments, self.events, stdin=stdin)
            self.tally.check(again.returncode == 0, f"{name}: retry {attempt} exits 0", harness.describe(again))
            self.tally.check(f"0 appended, {len(ids)} already present" in again.stdout
                             and all(f"already present: {identifier} " in again.stdout for identifier in ids),
                             f"{name}: retry {attempt} says each event was already present", again.stdout)
            self.tally.check(harness.log_snapshot(self.events) == before, f"{name}: retry {attempt} added nothing")
        answer = harness.run(arguments + ["--format", "json"], self.events, stdin=stdin)
        outcome = json.loads(answer.stdout) if answer.returncode == 0 else {}
        self.tally.check(outcome.get("appended") == [] and sorted(outcome.get("alreadyPresent", [])) == sorted(ids),
                         f"{name}: in JSON, the retry lists the events under alreadyPresent", harness.describe(answer))

    def run(self):
        common = ["--actor", "clerk", "--source", "文件 7 号", "--effective", "2023-03-03"]
        lines = [harness.draft(f"retry-{number}", "GrantAwarded", "2023-03-01", {
            "grant": f"RETRY-G{number}", "enterprise": self.codes[number % 3], "programme": self.programmes[0],
            "amountFen": 10**6 * (number + 1), "project": "重试"}) for number in range(5)]
        lines.append(harness.draft("retry-eval", "CapabilityEvaluated", "2023-03-02",
                                   {"enterprise": self.codes[0], "score": 64}))
        path = os.path.join(self.work, "batch.jsonl")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        ids = [f"retry-{number}" for number in range(5)] + ["retry-eval"]
        # A batch lists each event only with --verbose (otherwise a summary line and each log's end).
        self.expect_idempotent("a batch from a file", ["append", "--verbose", path], ids)

        stdin_lines = [harness.draft(f"stdin-{number}", "GrantDisbursed", "2023-04-01", {
            "grant": "RETRY-G1", "amountFen": 5000 + number}) for number in range(3)]
        self.expect_idempotent("a batch on standard input", ["append", "--verbose", "-"], [f"stdin-{n}" for n in range(3)],
                               stdin="\n".join(stdin_lines) + "\n")

        self.expect_idempotent("award", ["award", "--grant", "SHORT-1", "--enterprise", self.codes[1], "--programme",
                                         self.programmes[0], "--amount", "2,000,000.00", "--project", "项目"] + common,
                               ["award:SHORT-1"])
        self.expect_idempotent("disburse", ["disburse", "--id", "pay-short-1", "--grant", "SHORT-1", "--amount", "500000"]
                               + common, ["pay-short-1"])
        self.expect_idempotent("promote", ["promote", "--enterprise", self.codes[2], "--tier", "sme"] + common,
                               [f"promote:{self.codes[2]}:sme:2023-03-03"])
        self.expect_idempotent("open-centre", ["open-centre", "--centre", "RC1", "--name", "中心", "--kind", "rnd",
                                               "--city", "泰州"] + common, ["open:RC1"])
        self.expect_idempotent("retract", ["retract", "--target", "pay-short-1", "--reason", "entered twice"] + common,
                               ["retract:pay-short-1"])
        # A draft that gives its own recorded time is refused, the first time and every retry alike.
        given = harness.draft("given-1", "CapabilityEvaluated", "2023-03-05", {"enterprise": self.codes[1], "score": 80},
                              recorded="2030-01-01T00:00:00Z") + "\n"
        before = harness.log_snapshot(self.events)
        for attempt in (1, 2):
            refused = harness.run(["append", "-"], self.events, stdin=given)
            self.tally.check(refused.returncode == 65 and "incentives import" in refused.stderr
                             and harness.log_snapshot(self.events) == before,
                             f"a draft with its recorded time given: attempt {attempt} is refused and adds nothing",
                             harness.describe(refused))

        # Old and new together: only the new is appended.
        mixed = lines[:2] + [harness.draft("retry-new", "CapabilityEvaluated", "2023-03-02",
                                           {"enterprise": self.codes[1], "score": 12})]
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(mixed) + "\n")
        result = harness.run(["append", path], self.events)
        self.tally.check(result.returncode == 0 and "1 appended, 2 already present" in result.stdout,
                         "a batch of two old events and a new one appends only the new one", harness.describe(result))

        # Same id, different content: refused.
        before = harness.log_snapshot(self.events)
        changed = ["award", "--grant", "SHORT-1", "--enterprise", self.codes[1], "--programme", self.programmes[0],
                   "--amount", "2,000,000.01", "--project", "项目"] + common
        result = harness.run(changed, self.events)
        self.tally.check(result.returncode == harness.EXIT_BAD_DATA and "different content" in result.stderr,
                         "the same id with a different amount is refused (exit 65)", harness.describe(result))
        self.tally.check(harness.log_snapshot(self.events) == before, "the refused retry added nothing")
        self.tally.check(harness.verify_report(self.events)[0] == 0, "the logs verify after the retries")
        code = self.tally.finish([f"retries checked: {self.retries}"])
        if code == 0:
            harness.remove_directory(self.work)
        return code


def main():
    options = harness.parse_arguments(__doc__, {"seed": (5, "seed of every random choice")})
    return RetryCampaign(options).run()


if __name__ == "__main__":
    sys.exit(main())
