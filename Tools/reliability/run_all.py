#!/usr/bin/env python3
"""Runs every reliability harness in turn and prints their figures and one summary line.

Usage: run_all.py [--only NAME[,NAME]] [--kills N] [--min-kills N] [--crash-seconds S]
                  [--writers N] [--events-per-writer N] [--positions N] [--line-edits N]
Exits 0 only if every harness passed. The binary is $INCENTIVES_BIN or .build/release/incentives.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated harness names to run")
    parser.add_argument("--kills", default="400")
    parser.add_argument("--min-kills", default="200")
    parser.add_argument("--crash-seconds", default="900")
    parser.add_argument("--writers", default="4")
    parser.add_argument("--events-per-writer", default="500")
    parser.add_argument("--positions", default="1000")
    parser.add_argument("--line-edits", default="12")
    options = parser.parse_args()

    harnesses = [
        ("crash", ["crash.py", "--kills", options.kills, "--min-kills", options.min_kills,
                   "--max-seconds", options.crash_seconds]),
        ("concurrent", ["concurrent.py", "--writers", options.writers, "--events-per-writer",
                        options.events_per_writer]),
        ("tamper", ["tamper.py", "--positions", options.positions, "--line-edits", options.line_edits]),
        ("io-failures", ["io_failures.py"]),
        ("bad-input", ["bad_input.py"]),
        ("retry", ["retry.py"]),
        ("store-attacks", ["store_attacks.py"]),
    ]
    chosen = {name for name in options.only.split(",") if name}
    results = []
    for name, arguments in harnesses:
        if chosen and name not in chosen:
            continue
        print(f"== reliability: {name}", flush=True)
        started = time.monotonic()
        code = subprocess.run([sys.executable, os.path.join(HERE, arguments[0])] + arguments[1:]).returncode
        results.append((name, code, time.monotonic() - started))
    print("== reliability summary")
    for name, code, seconds in results:
        print(f"  {name:12} {'passed' if code == 0 else 'FAILED'}  {seconds:7.1f} s")
    failed = sum(1 for _, code, _ in results if code != 0)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 0 if failed == 0 and results else 1


if __name__ == "__main__":
    sys.exit(main())
