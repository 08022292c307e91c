#!/usr/bin/env bash
# Renders the report of an events directory (default: the bundled Events/) the way a reader sees
# it, in headless Chromium: a PNG of the first screen, a PDF on A4, and the DOM as the browser
# built it. Then check.py compares the text on the page with the numbers the JSON queries give
# (summary, grants --by programme, audit) and fails if any is missing.
#
# Usage: Tools/report-check/check.sh [EVENTS_DIR]
# Environment: INCENTIVES_BIN (default .build/release/incentives), REPORT_CHECK_DIR (where the
# files go, default .build/report-check), REPORT_CHECK_SECONDS (per Chromium run, default 120).
# Installs the Debian packages chromium and fonts-noto-cjk when they are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary="${INCENTIVES_BIN:-.build/release/incentives}"
events="${1:-Events}"
out="${REPORT_CHECK_DIR:-.build/report-check}"
seconds="${REPORT_CHECK_SECONDS:-120}"

browser() { command -v chromium || command -v chromium-browser || true; }
# Read whole before matching: `grep -q` stopping early would fail the pipe under pipefail.
has_cjk_font() { case "$(fc-list 2> /dev/null || true)" in *"Noto Sans CJK"*) return 0 ;; *) return 1 ;; esac; }
if [ -z "$(browser)" ] || ! has_cjk_font; then
    echo "installing chromium and fonts-noto-cjk"
    if ! command -v apt-get > /dev/null; then
        echo "chromium or fonts-noto-cjk is missing and apt-get is not available"
        exit 1
    fi
    timeout 900 apt-get update -qq
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq chromium fonts-noto-cjk > /dev/null
fi
chromium="$(browser)"
[ -n "$chromium" ] || { echo "chromium is not installed"; exit 1; }
case "$(fc-match "Noto Sans CJK SC")" in
    *"Noto Sans CJK"*) ;;
    *) echo "the font Noto Sans CJK SC is not available"; exit 1 ;;
esac
[ -x "$binary" ] || { echo "$binary is not built (swift build -c release --product incentives)"; exit 1; }

rm -rf "$out"
mkdir -p "$out"
# One moment for every command, so that they all answer the same window.
known_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
"$binary" report --events "$events" --known-at "$known_at" --html "$out/report.html"
"$binary" summary --events "$events" --known-at "$known_at" --format json > "$out/summary.json"
"$binary" grants --by programme --events "$events" --known-at "$known_at" --format json > "$out/grants-by-programme.json"
# audit exits 0 here (no --fail-on); its findings are what the page must show.
"$binary" audit --events "$events" --known-at "$known_at" --format json > "$out/audit.json"

page="file://$(cd "$out" && pwd)/report.html"
render() {
    timeout "$seconds" "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$out/profile" "$@" "$page" 2> "$out/chromium.log"
}
render --screenshot="$out/report.png" --window-size=1240,1754
render --print-to-pdf="$out/report.pdf" --no-pdf-header-footer
render --dump-dom > "$out/report.dom.html"
rm -rf "$out/profile"

python3 Tools/report-check/check.py --directory "$out"
