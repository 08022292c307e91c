#!/usr/bin/env bash
# The benchmark in one command: builds the release binaries, installs the peers if they are
# missing (DuckDB from PyPI, hledger and ledger-cli from Debian), generates the logs, exports
# the peers' journal, and measures everything side by side. The Markdown report goes to standard
# output (and to Tools/benchmark/work/report.md); progress to standard error.
#
#   Tools/benchmark/run.sh [--sizes 100k,1m,10m] [--runs N] [--no-install] [--prepare-only] [--json]
#                          [other options of the benchmark executable: .build/release/benchmark --help]
#
# Run it from anywhere; it works in the package root. Generated data is kept in
# Tools/benchmark/work/SIZE/ and reused while the generator's arguments and sources are unchanged
# (10m takes about 6 to 10 minutes and 4.1 GB). Not part of `swift test` or CI.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
work="Tools/benchmark/work"
sizes="100k,1m,10m"
seed=321204
install=yes
prepare_only=no
report="$work/report.md"
passed=()
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) [ $# -ge 2 ] || { echo "run.sh: --sizes needs a value like 100k,1m" >&2; exit 64; }
                 sizes="$2"; shift 2 ;;
        --no-install) install=no; shift ;;
        --prepare-only) prepare_only=yes; shift ;;
        --json) report="$work/report.json"; passed+=("$1"); shift ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) passed+=("$1"); shift ;;
    esac
done

say() { echo "run.sh: $*" >&2; }

say "building the release binaries"
for product in incentives generate-events benchmark; do
    swift build -c release --product "$product" >&2
done
bin="$(swift build -c release --show-bin-path)"

# Peers: installed here when missing, never by CI. A failed install is reported as "not installed".
python="$(command -v python3 >/dev/null && python3 -c 'import sys; print(sys.executable)' || true)"
if [ -n "$python" ] && ! "$python" -c 'import duckdb' 2>/dev/null && [ "$install" = yes ]; then
    say "installing DuckDB (pip install duckdb)"
    "$python" -m pip install --quiet duckdb >&2 || say "pip install duckdb failed: DuckDB will be reported as not installed"
fi
if { ! command -v hledger >/dev/null || ! command -v ledger >/dev/null; } && [ "$install" = yes ]; then
    say "installing hledger and ledger-cli (apt-get)"
    { apt-get update >&2 && apt-get install -y hledger ledger >&2; } \
        || say "apt-get install hledger ledger failed: they will be reported as not installed"
fi
peers=()
if [ -n "$python" ] && "$python" -c 'import duckdb' 2>/dev/null; then peers+=(--python "$python"); fi
if command -v hledger >/dev/null; then peers+=(--hledger "$(command -v hledger)"); fi
if command -v ledger >/dev/null; then peers+=(--ledger "$(command -v ledger)"); fi

# Data: regenerated only when the generator's arguments or sources changed since the last run.
mkdir -p "$work"
generator_sources="$(cat Tools/generate-events/*.swift | sha256sum | cut -c1-16)"
IFS=',' read -r -a size_list <<< "$sizes"
for size in "${size_list[@]}"; do
    case "$size" in
        *k) events=$(( ${size%k} * 1000 )) ;;
        *m) events=$(( ${size%m} * 1000000 )) ;;
        *) echo "run.sh: size \"$size\" is not like 100k, 1m or 10m" >&2; exit 64 ;;
    esac
    folder="$work/$size"
    stamp="generate-events --events $events --seed $seed (sources $generator_sources)"
    if [ -f "$folder/stamp" ] && [ "$(cat "$folder/stamp")" = "$stamp" ] && [ -s "$folder/events/grants.jsonl" ]; then
        say "$size: reusing the logs in $folder/events"
    else
        say "$size: generating $events events into $folder/events"
        rm -rf "$folder"
        mkdir -p "$folder"
        "$bin/generate-events" --output "$folder/events" --events "$events" --seed "$seed" --quiet > "$folder/generate.log"
        echo "$stamp" > "$folder/stamp"
        rm -f "$folder/grants.journal"
    fi
    if [ ! -s "$folder/grants.journal" ] || [ "$folder/grants.journal" -ot "$folder/events/grants.jsonl" ]; then
        say "$size: exporting the awards to $folder/grants.journal for hledger and ledger-cli"
        "${python:-python3}" Tools/benchmark/export_journal.py "$folder/events/grants.jsonl" "$folder/grants.journal"
    fi
done

if [ "$prepare_only" = yes ]; then say "data ready in $work"; exit 0; fi

say "measuring (sizes $sizes)"
"$bin/benchmark" --work "$work" --scripts Tools/benchmark --incentives "$bin/incentives" --sizes "$sizes" \
    "${peers[@]}" "${passed[@]}" > "$report.partial"
mv "$report.partial" "$report"
cat "$report"
