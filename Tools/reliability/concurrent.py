#!/usr/bin/env python3
"""Concurrent writers: several processes append to one events directory at once.

Each writer appends its share of events, some in batches through `append FILE`, some one at a
time through the `award` and `disburse` shortcuts, while a reader runs `verify` and `summary`
over and over. Afterwards:
  - every command succeeded, and every reader saw logs that verify (never half a batch);
  - every event is present exactly once, in the log and at the seq and hash its acknowledgement
    gave; the logs hold nothing else;
  - the chains are valid (`verify`, an independent reader, and verify-chain.py when present);
  - no interleaved bytes: every line is one whole canonical event, each batch's events are
    consecutive in their log, and each writer's events appear in the order it appended them.
Usage: concurrent.py [--seed N] [--writers N] [--events-per-writer N]
"""
import json
import os
import random as random_module
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ledgerharness as harness  # noqa: E402


class Writer(threading.Thread):
    """One writing process at a time; several writers run at once."""

    def __init__(self, number, campaign, seed):
        super().__init__(name=f"writer-{number}")
        self.number = number
        self.campaign = campaign
        self.random = random_module.Random(seed)
        self.acknowledged = []     # (id, log, seq, hash, command index) in acknowledgement order
        self.failures = []
        self.batches = []          # lists of ids appended together
        self.commands = 0

    def run(self):
        target = self.campaign.options.events_per_writer
        grants = []
        produced = 0
        while produced < target:
            left = target - produced
            if self.random.random() < 0.5 and left >= 2:
                size = min(left, self.random.randint(2, 25))
                ids, grants_made = self.append_batch(produced, size, grants)
                produced += size
                grants += grants_made
                self.batches.append(ids)
            elif grants and self.random.random() < 0.5:
                self.shortcut(["disburse", "--id", f"w{self.number}-pay-{produced}", "--grant", self.random.choice(grants),
                               "--amount", str(self.random.randint(1, 99999)), "--effective", "2023-06-01"])
                produced += 1
            else:
                grant = f"W{self.number}-S{produced}"
                if self.shortcut(["award", "--grant", grant, "--enterprise", self.random.choice(self.campaign.codes),
                                  "--programme", self.random.choice(self.campaign.programmes), "--amount", "88000",
                                  "--project", f"写入者 {self.number}", "--effective", "2023-04-01"]):
                    grants.append(grant)
                produced += 1

    def execute(self, arguments, stdin=None):
        self.commands += 1
        result = harness.run(arguments + ["--format", "json"], self.campaign.events, stdin=stdin, timeout=300)
        if result.returncode != 0:
            self.failures.append(harness.describe(result))
            return None
        outcome = json.loads(result.stdout)
        if outcome["alreadyPresent"]:
            self.failures.append(f"fresh events reported already present: {outcome['alreadyPresent']}")
        for event in outcome["appended"]:
            self.acknowledged.append((event["id"], event["log"], event["seq"], event["hash"], self.commands))
        return outcome

    def shortcut(self, arguments):
        return self.execute(arguments + ["--actor", f"writer-{self.number}", "--source", "concurrency"]) is not None

    def append_batch(self, produced, size, grants):
        lines, ids, made = [], [], []
        for index in range(size):
            identifier = f"w{self.number}-b{produced + index}"
            ids.append(identifier)
            choice = self.random.random()
            if choice < 0.5 or not (grants or made):
                grant = f"W{self.number}-B{produced + index}"
                made.append(grant)
                lines.append(harness.draft(identifier, "GrantAwarded", "2023-03-01", {
                    "grant": grant, "enterprise": self.random.choice(self.campaign.codes),
                    "programme": self.random.choice(self.campaign.programmes),
                    "amountFen": self.random.randint(1, 10**9), "project": f"并发 {self.number}"}))
            elif choice < 0.8:
                lines.append(harness.draft(identifier, "GrantDisbursed", "2023-07-01", {
                    "grant": self.random.choice(grants + made), "amountFen": self.random.randint(1, 10**6)}))
            else:
                lines.append(harness.draft(identifier, "CapabilityEvaluated", "2023-02-01", {
                    "enterprise": self.random.choice(self.campaign.codes), "score": self.random.randint(0, 100)}))
        # Half the batches from a file, half on standard input.
        if self.random.random() < 0.5:
            path = os.path.join(self.campaign.work, f"writer-{self.number}.jsonl")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")
            outcome = self.execute(["append", path])
        else:
            outcome = self.execute(["append", "-"], stdin="\n".join(lines) + "\n")
        return ids, (made if outcome is not None else [])


class Reader(threading.Thread):
    """Verifies and queries while the writers write: a reader never sees half a batch."""

    def __init__(self, campaign):
        super().__init__(name="reader")
        self.campaign = campaign
        self.stop = threading.Event()
        self.runs = 0
        self.failures = []

    def run(self):
        while not self.stop.is_set():
            for arguments in (["verify"], ["summary"]):
                result = harness.run(arguments, self.campaign.events, timeout=300)
                self.runs += 1
                if result.returncode != 0:
                    self.failures.append(f"{arguments[0]} during the writes: {harness.describe(result)}")


class ConcurrencyCampaign:
    def __init__(self, options):
        self.options = options
        self.random = random_module.Random(options.seed)
        self.tally = harness.Tally("concurrent")
        self.work = harness.make_temporary_directory("concurrent")
        self.events = os.path.join(self.work, "events")
        harness.make_ledger(self.events)

    def run(self):
        options = self.options
        # The reader starts on the empty directory, so that it also meets the very first append,
        # the one that creates the journal its lock lives on.
        reader = Reader(self)
        reader.start()
        lines, self.codes, self.programmes, _ = harness.seed_drafts(self.random, enterprises=10, awards=0)
        seeded = harness.append_lines(self.events, lines, path=os.path.join(self.work, "seed.jsonl"))
        seed_ids = {event["id"] for event in seeded["appended"]}

        writers = [Writer(number, self, self.random.getrandbits(64)) for number in range(options.writers)]
        started = time.monotonic()
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()
        reader.stop.set()
        reader.join()
        seconds = time.monotonic() - started

        for writer in writers:
            self.tally.check(not writer.failures, f"every command of writer {writer.number} succeeded",
                             "; ".join(writer.failures[:3]))
        self.tally.check(not reader.failures, "every verify and query run during the writes succeeded",
                         "; ".join(reader.failures[:3]))

        by_log, problems = harness.read_events(self.events)
        self.tally.check(not problems, "every line is one whole canonical event, chained (independent reader)",
                         f"{problems[:5]}")
        position = {}
        for log, events in by_log.items():
            for event in events:
                position.setdefault(event["id"], []).append((log, event["seq"], event["hash"]))
        repeated = [identifier for identifier, places in position.items() if len(places) != 1]
        self.tally.check(not repeated, "no event is in the logs twice", f"{repeated[:5]}")

        # Evidence that the writers really ran at once: how often the log passes from one writer's
        # events to another's.
        owner = {entry[0]: writer.number for writer in writers for entry in writer.acknowledged}
        switches = 0
        for events in by_log.values():
            owners = [owner[event["id"]] for event in events if event["id"] in owner]
            switches += sum(1 for before, after in zip(owners, owners[1:]) if before != after)
        self.tally.check(switches >= options.writers, "the writers' events interleave in the logs (they ran at once)",
                         f"{switches} switches between writers")

        acknowledged = [entry for writer in writers for entry in writer.acknowledged]
        expected_total = options.writers * options.events_per_writer
        self.tally.check(len(acknowledged) == expected_total,
                         f"{expected_total} events acknowledged ({options.writers} writers x {options.events_per_writer})",
                         f"{len(acknowledged)}")
        mismatched = [entry[0] for entry in acknowledged
                      if position.get(entry[0], [None])[0] != (entry[1], entry[2], entry[3])]
        self.tally.check(not mismatched, "each event is in the log, at the seq and with the hash, its acknowledgement gave",
                         f"{mismatched[:5]}")
        extra = set(position) - seed_ids - {entry[0] for entry in acknowledged}
        self.tally.check(not extra, "the logs hold nothing that was not acknowledged", f"{sorted(extra)[:5]}")

        for writer in writers:
            order = {}
            for identifier, log, seq, _, _ in writer.acknowledged:
                order.setdefault(log, []).append(seq)
            self.tally.check(all(seqs == sorted(seqs) for seqs in order.values()),
                             f"writer {writer.number}'s events are in its logs in the order it appended them")
            split = 0
            for batch in writer.batches:
                places = [position[identifier][0] for identifier in batch if identifier in position]
                for log in {place[0] for place in places}:
                    seqs = sorted(place[1] for place in places if place[0] == log)
                    if seqs != list(range(seqs[0], seqs[0] + len(seqs))):
                        split += 1
            self.tally.check(split == 0, f"each batch of writer {writer.number} is consecutive in every log it touched",
                             f"{split} batches interleaved with other writers' events")

        code, report = harness.verify_report(self.events)
        self.tally.check(code == 0, "verify passes after the concurrent appends", f"{report}")
        ran, ok, output = harness.run_independent_checker(self.events)
        if ran:
            self.tally.check(ok, "the independent checker (verify-chain.py) accepts the logs", output)
        else:
            self.tally.skip("independent checker", output)

        commands = sum(writer.commands for writer in writers)
        batches = sum(len(writer.batches) for writer in writers)
        return harness.finish_campaign(self.tally, [
            f"seed {options.seed}",
            f"events appended concurrently: {len(acknowledged)} by {options.writers} processes "
            f"({commands} commands: {batches} batches, {commands - batches} single shortcuts) in {seconds:.1f} s",
            f"turns between writers in the logs: {switches}",
            f"reads during the writes: {reader.runs} (verify and summary), all consistent: {not reader.failures}",
            f"events in the logs: {sum(len(events) for events in by_log.values())}"], self.work, self.events)


def main():
    options = harness.parse_arguments(__doc__, {
        "seed": (31337, "seed of every random choice"),
        "writers": (4, "processes appending at once"),
        "events-per-writer": (500, "events each writer appends"),
    })
    return ConcurrencyCampaign(options).run()


if __name__ == "__main__":
    sys.exit(main())
