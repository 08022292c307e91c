#!/usr/bin/env python3
"""Exports the awards of an incentives grants log as a plain-text accounting journal.

One transaction per GrantAwarded event, dated on its effective date, with the amount in yuan:

    2022-04-29 JY-G2022-1119 YZ-HIGHTECH
        expenses:incentives:YZ-HIGHTECH      ¥1500000.00
        assets:district:91321204MA1XXXXXXX

hledger and ledger-cli read the same file. This is the peers' question, on purpose simpler than
the ledger's: it sums the amounts as awarded and ignores amendments, revocations and retractions.

usage: export_journal.py GRANTS_JSONL OUTPUT_JOURNAL
"""
import json
import os
import sys


def yuan(amount_fen):
    """Exact yuan decimal from integer fen (no floating point)."""
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen < 0:
        raise ValueError(f"amountFen must be a non-negative integer, got {amount_fen!r}")
    return f"{amount_fen // 100}.{amount_fen % 100:02d}"


def export(grants_path, journal_path):
    temporary = journal_path + ".partial"
    count = 0
    with open(grants_path, encoding="utf-8") as source, open(temporary, "w", encoding="utf-8") as target:
        for number, line in enumerate(source, start=1):
            # A cheap test first: most lines are payments and evaluations, not awards.
            if '"type":"GrantAwarded"' not in line:
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError as error:
                raise SystemExit(f"export_journal: {grants_path} line {number} is not JSON ({error}); "
                                 "run `incentives verify` on the log") from error
            if event.get("type") != "GrantAwarded":
                continue
            data = event["data"]
            target.write(f"{event['effective']} {data['grant']} {data['programme']}\n"
                         f"    expenses:incentives:{data['programme']}    ¥{yuan(data['amountFen'])}\n"
                         f"    assets:district:{data['enterprise']}\n\n")
            count += 1
    os.replace(temporary, journal_path)
    return count


def main(arguments):
    if len(arguments) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 64
    try:
        count = export(arguments[0], arguments[1])
    except OSError as error:
        print(f"export_journal: {error}", file=sys.stderr)
        return 74
    except (KeyError, ValueError) as error:
        print(f"export_journal: an award lacks a member or has a bad amount ({error})", file=sys.stderr)
        return 65
    print(f"export_journal: {count} awards written to {arguments[1]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
