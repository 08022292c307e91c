#!/usr/bin/env python3
"""Bad input: `append` and the shortcuts refuse every malformed or invalid event with exit 65,
the line number (or the option) and the reason, and append nothing: a batch is all or nothing.

Each file case hides one bad line among good ones, at a random line, and is run from a file and
from standard input: the message must give `NAME:LINE` and the reason, and every log must stay
byte-for-byte as it was. Further cases put several bad lines in one file (each must be reported),
and refuse a batch whose only fault is a reference or a repeated id. Shortcut cases give the
same faults as options. Finally the good lines alone are appended, to show they were refused
only for the company they kept.
Usage: bad_input.py [--seed N]
"""
import json
import os
import random as random_module
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ledgerharness as harness  # noqa: E402


class BadInputCampaign:
    def __init__(self, options):
        self.random = random_module.Random(options.seed)
        self.tally = harness.Tally("bad-input")
        self.work = harness.make_temporary_directory("bad-input")
        self.events = os.path.join(self.work, "events")
        harness.make_ledger(self.events)
        lines, self.codes, self.programmes, self.grants = harness.seed_drafts(self.random, enterprises=3, awards=3)
        harness.append_lines(self.events, lines)
        self.good_number = 0
        self.cases = 0
        self.verbose = options.verbose

    def good_line(self):
        self.good_number += 1
        return harness.draft(f"good-{self.good_number}", "GrantAwarded", "2023-01-05", {
            "grant": f"GOOD-{self.good_number}", "enterprise": self.codes[0], "programme": self.programmes[0],
            "amountFen": 1000 + self.good_number, "project": "正常的一行"}).encode("utf-8")

    def award(self, identifier="bad-1", effective="2023-01-05", data=None, extra=None, **changes):
        """An award draft as a dict, then changed: the raw material of most bad lines."""
        value = {"id": identifier, "type": "GrantAwarded", "effective": effective, "actor": "clerk",
                 "source": "文件 12 号", "data": {"grant": "BAD-G", "enterprise": self.codes[0],
                                                 "programme": self.programmes[0], "amountFen": 5000, "project": "项目"}}
        value["data"].update(data or {})
        value.update(changes)
        if extra:
            value.update(extra)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def file_cases(self):
        """(name, bad line bytes, words the reason must contain)."""
        award = self.award
        return [
            ("invalid JSON", b'{"id":"bad-1","type":"GrantAwarded",', "not valid JSON"),
            ("a JSON array instead of an object", b'["GrantAwarded"]', "JSON object"),
            ("invalid UTF-8", award(source="x").replace(b'"x"', b'"\xc3\x28"'), "UTF-8"),
            ("overlong UTF-8", award(source="x").replace(b'"x"', b'"\xc0\xaf"'), "UTF-8"),
            ("a UTF-8 byte-order mark before a line", b"\xef\xbb\xbf" + award(), "byte-order mark"),
            ("a NUL byte", award(source="x").replace(b'"x"', b'"a\x00b"'), "not valid JSON"),
            ("a CRLF line end", award() + b"\r", "CR LF"),
            ("a 10 MB line", award(data={"project": "长" * (10 * 1024 * 1024 // 3 + 1)}), "longer than"),
            ("a number with a fraction", award(data={"amountFen": 100.5}).replace(b"100.5", b"100.50"), "integer"),
            ("a number with an exponent", award().replace(b'"amountFen":5000', b'"amountFen":5e3'), "integer"),
            ("a number beyond 2^53", award().replace(b'"amountFen":5000', b'"amountFen":9007199254740993'), "2^53"),
            ("a duplicate key", award().replace(b'{"id":"bad-1",', b'{"id":"bad-1","id":"bad-2",'), "duplicate key"),
            ("a duplicate key in data", award().replace(b'"grant":"BAD-G"', b'"grant":"BAD-G","grant":"BAD-H"'),
             "duplicate key"),
            ("an unknown member", award(extra={"colour": "red"}), "unknown member"),
            ("an unknown member in data", award(data={"colour": "red"}), "unknown member"),
            ("a missing member", award().replace(b',"actor":"clerk"', b""), "missing member"),
            ("an unknown type", award(type="GrantGiven"), "unknown event type"),
            ("a payload version this build does not write", award(extra={"v": 2}), "v must be"),
            ("a date that does not exist (2023-02-30)", award(effective="2023-02-30"), "not a real date"),
            ("a date that does not exist (2024-13-01)", award(effective="2024-13-01"), "not a real date"),
            ("a date in another form (2023-2-3)", award(effective="2023-2-3"), "not a real date"),
            ("a recorded time that does not exist", award(extra={"recorded": "2023-02-30T10:00:00Z"}), "not a real"),
            ("a recorded time without its Z", award(extra={"recorded": "2023-02-03T10:00:00"}), "not a real"),
            ("a recorded time given (the ledger's clock records)", award(extra={"recorded": "9999-12-31T23:59:59Z"}),
             "incentives import"),
            # Within the absolute bounds (2199 at most), so that the 366-day rule is the one that refuses it.
            ("an effective date more than 366 days ahead (2103-09-28)", award(effective="2103-09-28"), "typo"),
            ("a negative amount", award(data={"amountFen": -5000}), "positive"),
            ("an amount beyond 10 billion yuan", award(data={"amountFen": 1_000_000_000_001}), "at most 1000000000000 fen"),
            ("an effective date after 2199", award(effective="2203-09-28"), "1900-01-01 to 2199-12-31"),
            ("terminal escapes in a project", award(data={"project": "\u001b[2J\u001b]0;pwned\u0007"}), "U+001B"),
            ("a bidirectional override in the actor", award(actor="clerk\u202e"), "U+202E"),
            ("a zero amount", award(data={"amountFen": 0}), "positive"),
            ("an amount as a string", award(data={"amountFen": "5000"}), "integer"),
            ("a USCC of the wrong length", award(data={"enterprise": self.codes[0][:17]}), "18 characters"),
            ("a USCC with a letter outside its alphabet", award(data={"enterprise": self.codes[0][:17] + "O"}),
             "uses only"),
            ("a USCC in lower case", award(data={"enterprise": self.codes[0].lower()}), "uses only"),
            ("an id with spaces", award(identifier="bad 1"), "no spaces"),
            ("an empty id", award(identifier=""), "invalid id"),
            ("an id of 65 characters", award(identifier="x" * 65), "invalid id"),
            ("a grant id with spaces in data", award(data={"grant": "BAD G"}), "no spaces"),
            ("an empty actor", award(actor=""), "actor"),
            ("a tier that does not exist", json.dumps({"id": "bad-1", "type": "TierPromoted", "effective": "2023-01-05",
                                                     "actor": "a", "source": "s", "data": {"enterprise": self.codes[0],
                                                                                          "tier": "platinum"}}).encode(),
             "must be one of"),
            ("a reference to a grant that does not exist",
             json.dumps({"id": "bad-1", "type": "GrantDisbursed", "effective": "2023-01-05", "actor": "a", "source": "s",
                         "data": {"grant": "NO-SUCH-GRANT", "amountFen": 5}}).encode(), "no grant NO-SUCH-GRANT"),
            ("an id already used by another event", award(identifier=f"seed:award:{self.grants[0]}"),
             "already in the ledger with different content"),
        ]

    def expect_refused(self, name, arguments, expected_location, reason, stdin=None, require_nothing_note=True,
                       code=harness.EXIT_BAD_DATA):
        self.cases += 1
        before = harness.log_snapshot(self.events)
        result = harness.run(arguments, self.events, stdin=stdin)
        if self.verbose:
            print(f"  {name}: exit {result.returncode}: {result.stderr.strip()[:300]}".replace(self.work, "$WORK"))
        self.tally.check(result.returncode == code, f"{name}: exit {code}", harness.describe(result))
        self.tally.check(expected_location in result.stderr and reason in result.stderr,
                         f"{name}: the message gives {expected_location!r} and the reason ({reason!r})",
                         result.stderr[:800])
        if require_nothing_note:
            self.tally.check("nothing was appended" in result.stderr, f"{name}: the message says nothing was appended",
                             result.stderr[:800])
        self.tally.check(harness.log_snapshot(self.events) == before, f"{name}: nothing was appended")
        self.tally.check(harness.journal_state(self.events) in ("idle", "absent"), f"{name}: the journal is idle")
        return result

    def run_file_cases(self):
        path = os.path.join(self.work, "drafts.jsonl")
        for name, bad, reason in self.file_cases():
            count = self.random.randint(2, 6)
            position = self.random.randint(1, count)
            lines = [self.good_line() for _ in range(count - 1)]
            lines.insert(position - 1, bad)
            content = b"\n".join(lines) + b"\n"
            with open(path, "wb") as handle:
                handle.write(content)
            self.expect_refused(f"{name} (file, line {position} of {count})", ["append", path],
                                f"drafts.jsonl:{position}", reason)
            if len(content) < 2 * 1024 * 1024:
                self.expect_refused(f"{name} (standard input, line {position} of {count})", ["append", "-"],
                                    f"standard input:{position}", reason, stdin=content)

    def run_batch_cases(self):
        path = os.path.join(self.work, "drafts.jsonl")
        # A byte-order mark at the very start of the file.
        with open(path, "wb") as handle:
            handle.write(b"\xef\xbb\xbf" + self.good_line() + b"\n" + self.good_line() + b"\n")
        self.expect_refused("a file starting with a byte-order mark", ["append", path], "drafts.jsonl:1",
                            "byte-order mark")
        # A whole file in CRLF, as a spreadsheet saves it: every line is named.
        lines = [self.good_line() for _ in range(3)]
        with open(path, "wb") as handle:
            handle.write(b"\r\n".join(lines) + b"\r\n")
        result = self.expect_refused("a file with CRLF line ends", ["append", path], "drafts.jsonl:1", "CR LF")
        self.tally.check(all(f"drafts.jsonl:{line}:" in result.stderr for line in (1, 2, 3)),
                         "a file with CRLF line ends: every line is reported", result.stderr)
        # Several bad lines: each reported with its number, nothing appended.
        good = [self.good_line() for _ in range(6)]
        good[1] = self.award(effective="2023-02-30")
        good[4] = self.award(identifier="bad 2")
        with open(path, "wb") as handle:
            handle.write(b"\n".join(good) + b"\n")
        result = self.expect_refused("two bad lines in six", ["append", path], "drafts.jsonl:2", "not a real date")
        self.tally.check("drafts.jsonl:5:" in result.stderr and "no spaces" in result.stderr,
                         "two bad lines in six: the second is reported too", result.stderr)
        # The same id twice in one batch.
        line = self.good_line()
        with open(path, "wb") as handle:
            handle.write(line + b"\n" + self.good_line() + b"\n" + line + b"\n")
        self.expect_refused("the same id twice in one batch", ["append", path], "drafts.jsonl:3", "already used by")
        # An event that is valid only after one the same batch refuses: all or nothing.
        award = self.award(identifier="chain-award", data={"grant": "CHAIN-G", "amountFen": -1})
        payment = json.dumps({"id": "chain-pay", "type": "GrantDisbursed", "effective": "2023-02-01", "actor": "a",
                              "source": "s", "data": {"grant": "CHAIN-G", "amountFen": 5}}).encode()
        with open(path, "wb") as handle:
            handle.write(self.good_line() + b"\n" + award + b"\n" + payment + b"\n")
        self.expect_refused("a batch whose second line is refused", ["append", path], "drafts.jsonl:2", "positive")
        # An empty file.
        with open(path, "wb") as handle:
            handle.write(b"\n\n")
        self.expect_refused("an empty file", ["append", path], "drafts.jsonl", "no events")

    def run_shortcut_cases(self):
        code, programme = self.codes[0], self.programmes[0]
        common = ["--actor", "clerk", "--source", "文件 12 号"]

        def award(**changes):
            options = {"grant": "SHORT-G", "enterprise": code, "programme": programme, "amount": "1,500.00",
                       "project": "项目", "effective": "2023-01-05"}
            options.update(changes)
            arguments = ["award"]
            for key, value in options.items():
                if value is not None:
                    arguments += ["--" + key, value]
            return arguments + common

        cases = [
            ("award --amount -5", award(amount="-5"), "--amount", "negative"),
            ("award --amount 0", award(amount="0"), "--amount", "positive"),
            ("award --amount with a fraction of a fen", award(amount="1.005"), "--amount", "two decimal"),
            ("award --amount beyond 2^53 fen", award(amount="99999999999999999"), "--amount", "too large"),
            ("award --amount 1e5", award(amount="1e5"), "--amount", "1e5"),
            ("award --effective 2023-02-30", award(effective="2023-02-30"), "--effective", "not a real date"),
            ("award --enterprise of 17 characters", award(enterprise=code[:17]), "enterprise", "18 characters"),
            ("award --enterprise with an O", award(enterprise=code[:17] + "O"), "enterprise", "uses only"),
            ("award --grant with a space", award(grant="SHORT G"), "--grant \"SHORT G\"", "no spaces"),
            ("award --id with a space", award(id="my award"), "my award", "no spaces"),
            ("award --recorded that does not exist", award(recorded="2023-02-29T08:00:00Z"), "--recorded", "not a UTC"),
            ("award --recorded of a real time", award(recorded="2023-02-28T08:00:00Z"), "--recorded", "incentives import"),
            ("disburse --id with a space", ["disburse", "--id", "pay 1", "--grant", self.grants[0], "--amount", "5",
                                            "--effective", "2023-01-05"] + common, "pay 1", "no spaces"),
            ("disburse --amount -1", ["disburse", "--id", "pay-1", "--grant", self.grants[0], "--amount", "-1",
                                      "--effective", "2023-01-05"] + common, "--amount", "negative"),
            ("promote --tier platinum", ["promote", "--enterprise", code, "--tier", "platinum", "--effective",
                                         "2023-01-05"] + common, "tier", "must be one of"),
            ("open-centre --kind spaceport", ["open-centre", "--centre", "C9", "--name", "n", "--kind", "spaceport",
                                              "--city", "c", "--effective", "2023-01-05"] + common, "kind", "must be one of"),
            ("retract --target with a space", ["retract", "--target", "x y", "--reason", "r", "--effective",
                                               "2023-01-05"] + common, "x y", "no spaces"),
        ]
        # A bad option value is refused before any event is made: the message names the option. A value
        # of the wrong form is a usage error (64); a well-formed one the ledger refuses is bad data (65).
        for name, arguments, location, reason in cases:
            well_formed = name in ("award --amount 0", "award --recorded of a real time")
            code = harness.EXIT_BAD_DATA if well_formed else harness.EXIT_USAGE
            self.expect_refused(name, arguments, location, reason, require_nothing_note=False, code=code)

    def run(self):
        self.run_file_cases()
        self.run_batch_cases()
        self.run_shortcut_cases()
        # The good lines were refused only for their company: alone, they append.
        lines = [self.good_line() for _ in range(3)]
        path = os.path.join(self.work, "good.jsonl")
        with open(path, "wb") as handle:
            handle.write(b"\n".join(lines) + b"\n")
        result = harness.run(["append", path], self.events)
        self.tally.check(result.returncode == 0 and "3 appended" in result.stdout,
                         "the same kind of good lines, alone, are appended", harness.describe(result))
        self.tally.check(harness.verify_report(self.events)[0] == 0, "the logs verify after every refusal")
        code = self.tally.finish([f"refusals checked: {self.cases} (file, standard input, batches and shortcuts)"])
        if code == 0:
            harness.remove_directory(self.work)
        return code


def main():
    options = harness.parse_arguments(__doc__, {"seed": (99, "seed of every random choice"),
                                                "verbose": (0, "1 prints every refusal's message")})
    return BadInputCampaign(options).run()


if __name__ == "__main__":
    sys.exit(main())
