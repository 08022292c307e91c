#!/usr/bin/env bash
# Builds the five libFuzzer targets with AddressSanitizer and runs each for SECONDS.
#
#   Tools/fuzz/run.sh [SECONDS] [TARGET...]      targets: scanner canonicaliser draft-parser ledger snapshot-decoder
#
# The ledger target decodes its input into batches of drafts of every type, appends them through
# AppendSession into a scratch directory (in /dev/shm when there is one), and runs every query.
# The snapshot decoder is fed any bytes with the MAC check left out.
#
# The targets are compiled with `swiftc -sanitize=fuzzer,address` straight over the library
# sources (LedgerLog, and IncentivesDomain for the draft parser, the ledger and the snapshot
# decoder; the SHA-256 C file with clang),
# together with the oracles the regression tests share (Tests/*/…FuzzOracle*.swift) and the
# support every suite shares (Tests/TestSupport, module IncentivesTestSupport: scratch directories).
# Seeds come from Tools/fuzz/corpus/TARGET (read only); what the fuzzer learns goes to
# .build/fuzz/corpus/TARGET and survives between runs. A crashing input is copied to
# Tests/LedgerLogTests/Fixtures/fuzz-regressions/TARGET/, where the regression tests replay it,
# and the script exits 1. Prints each target's executions; the last line is "N passed, M failed".
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(scanner canonicaliser draft-parser ledger snapshot-decoder)

build="$root/.build/fuzz"
mkdir -p "$build/include" "$build/modules"
sanitize="-sanitize=fuzzer,address"
# -Onone keeps the Swift code easy on the 2 cores of CI to compile; ASan and the coverage
# instrumentation are what matter for finding bugs.
# The log layer and the domain use the toolchain's Lifetimes feature (spans tied to a line), as Package.swift says.
swift_flags=(-Onone -g -parse-as-library -package-name IncentiveLedger "$sanitize" -enable-experimental-feature Lifetimes
             -I "$build/include" -I "$build/modules")

step() { echo "fuzz: $*" >&2; }
# gold warns about every ASan helper symbol it cannot export; nothing to act on, so not shown.
compile() {
    "$@" 2>&1 | { grep -v "Cannot export local symbol '__asan" || true; }
    return "${PIPESTATUS[0]}"
}

step "building (swiftc $sanitize)"
cat > "$build/include/module.modulemap" <<EOF
module CSHA256 {
    header "$root/Sources/CSHA256/include/CSHA256.h"
    export *
}
module CMemoryHints {
    header "$root/Sources/CMemoryHints/include/CMemoryHints.h"
    export *
}
EOF
compile clang -c -O1 -g -fsanitize=fuzzer-no-link,address -I Sources/CSHA256/include \
    Sources/CSHA256/CSHA256.c -o "$build/CSHA256.o"

mapfile -t ledger_sources < <(find Sources/LedgerLog -name '*.swift' | sort)
compile swiftc "${swift_flags[@]}" -enable-testing -module-name LedgerLog -wmo -emit-module \
    -emit-module-path "$build/modules/LedgerLog.swiftmodule" -c "${ledger_sources[@]}" -o "$build/LedgerLog.o"

mapfile -t support_sources < <(find Tests/TestSupport -name '*.swift' | sort)
compile swiftc "${swift_flags[@]}" -module-name IncentivesTestSupport -wmo -emit-module \
    -emit-module-path "$build/modules/IncentivesTestSupport.swiftmodule" -c "${support_sources[@]}" \
    -o "$build/IncentivesTestSupport.o"

mapfile -t columns_sources < <(find Sources/LedgerColumns -name '*.swift' | sort)
compile swiftc "${swift_flags[@]}" -enable-testing -module-name LedgerColumns -wmo -emit-module \
    -emit-module-path "$build/modules/LedgerColumns.swiftmodule" -c "${columns_sources[@]}" -o "$build/LedgerColumns.o"

needs_domain=0
for target in "${targets[@]}"; do
    case "$target" in draft-parser|ledger|snapshot-decoder) needs_domain=1 ;; esac
done
if [ $needs_domain = 1 ]; then
    mapfile -t domain_sources < <(find Sources/IncentivesDomain -name '*.swift' | sort)
    compile swiftc "${swift_flags[@]}" -enable-testing -module-name IncentivesDomain -wmo -emit-module \
        -emit-module-path "$build/modules/IncentivesDomain.swiftmodule" -c "${domain_sources[@]}" \
        -o "$build/IncentivesDomain.o"
fi

target_sources() {
    case "$1" in
        scanner) echo "Tools/fuzz/ScannerFuzzTarget.swift Tests/LedgerLogTests/FuzzOracles.swift" ;;
        canonicaliser) echo "Tools/fuzz/CanonicaliserFuzzTarget.swift Tests/LedgerLogTests/FuzzOracles.swift" ;;
        draft-parser) echo "Tools/fuzz/DraftParserFuzzTarget.swift Tests/IncentivesDomainTests/DraftParserFuzzOracle.swift" ;;
        ledger) echo "Tools/fuzz/LedgerFuzzTarget.swift Tests/IncentivesDomainTests/LedgerFuzzOracle.swift" ;;
        snapshot-decoder) echo "Tools/fuzz/SnapshotDecoderFuzzTarget.swift Tests/IncentivesDomainTests/SnapshotDecoderFuzzOracle.swift" ;;
        *) echo "fuzz: unknown target $1 (scanner, canonicaliser, draft-parser, ledger, snapshot-decoder)" >&2; exit 64 ;;
    esac
}

passed=0
failed=0
for target in "${targets[@]}"; do
    objects=("$build/IncentivesTestSupport.o" "$build/LedgerLog.o" "$build/CSHA256.o")
    case "$target" in draft-parser|ledger|snapshot-decoder) objects=("$build/IncentivesDomain.o" "$build/LedgerColumns.o" "${objects[@]}") ;; esac
    # A snapshot has five interner tables of at least 8 KiB each: its seeds are larger than a line.
    max_len=8192
    [ "$target" = snapshot-decoder ] && max_len=262144
    # shellcheck disable=SC2046
    compile swiftc "${swift_flags[@]}" -module-name "FuzzTarget" $(target_sources "$target") "${objects[@]}" \
        -o "$build/fuzz-$target"

    work_corpus="$build/corpus/$target"
    artifacts="$build/artifacts/$target"
    mkdir -p "$work_corpus" "$artifacts"
    rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*
    log="$build/$target.log"
    step "running $target for $seconds s"
    set +e
    # The Swift runtime's own crash backtracer fights ASan's; libFuzzer and ASan report instead.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=0:abort_on_error=1" "$build/fuzz-$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len="$max_len" -print_final_stats=1 \
        -dict="$root/Tools/fuzz/json.dict" -artifact_prefix="$artifacts/" \
        "$work_corpus" "$root/Tools/fuzz/corpus/$target" > "$log" 2>&1
    status=$?
    set -e
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    corpus=$(find "$work_corpus" -type f | wc -l)
    found=$(find "$artifacts" -type f | wc -l)
    if [ $status -eq 0 ] && [ "$found" -eq 0 ]; then
        passed=$((passed + 1))
        echo "fuzz $target: ${executions:-?} executions in $seconds s, $coverage, corpus $corpus inputs, 0 crashes"
    else
        failed=$((failed + 1))
        keep="$root/Tests/LedgerLogTests/Fixtures/fuzz-regressions/$target"
        mkdir -p "$keep"
        for input in "$artifacts"/*; do
            [ -f "$input" ] || continue
            cp "$input" "$keep/$(basename "$input")"
            echo "fuzz $target: kept $(basename "$input") in ${keep#"$root"/} (replayed by the regression tests)"
        done
        echo "fuzz $target: FAILED (exit $status) after ${executions:-?} executions; the end of its log:"
        tail -30 "$log"
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
