#!/usr/bin/env bash
# Builds a libFuzzer target and runs it on its committed corpus.
#
#   Fuzz/run.sh FuzzYAML 600        fuzz the YAML reader for 10 minutes
#   Fuzz/run.sh FuzzRules 60        fuzz the rule loader for a minute
#   Fuzz/run.sh FuzzJSON 300        fuzz the OCPP JSON reader for 5 minutes
#   Fuzz/run.sh FuzzRuleTests 300   fuzz the rule-test reader and runner (against the demo site) for 5 minutes
#   Fuzz/run.sh FuzzYAML merge      minimise the committed corpus (with what earlier runs found)
#
# New inputs go to .build-fuzz/corpus/TARGET (not committed); crashes, timeouts and out-of-memory
# inputs to fuzz-artifacts/TARGET/ (gitignored). Replay one with: .build-fuzz/release/TARGET FILE
set -euo pipefail

usage() { echo "usage: $0 FuzzYAML|FuzzRules|FuzzAPDU|FuzzStation|FuzzJSON|FuzzRPC|FuzzRuleTests SECONDS|merge [libFuzzer flags…]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
target=$1 mode=$2
shift 2
case $target in FuzzYAML|FuzzRules|FuzzAPDU|FuzzStation|FuzzJSON|FuzzRPC|FuzzRuleTests) ;; *) usage ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$root/.build-fuzz
corpus=$root/Fuzz/Corpus/$target
found=$scratch/corpus/$target
artifacts=$root/fuzz-artifacts/$target
mkdir -p "$found" "$artifacts"
# A dictionary helps only the targets that read text: YAML for the YAML readers, JSON tokens for FuzzJSON and FuzzRPC.
dict=()
case $target in
    FuzzYAML|FuzzRules|FuzzRuleTests) dict=(-dict="$root/Fuzz/yaml.dict") ;;
    FuzzJSON|FuzzRPC) dict=(-dict="$root/Fuzz/json.dict") ;;
esac

# SwiftPM's --sanitize=fuzzer keeps libFuzzer's main (a plain -Xswiftc -sanitize=fuzzer fails to link:
# SwiftPM aliases main to TARGET_main, which -parse-as-library never emits); the -Xswiftc flag is what
# reaches the compiler, since the driver keeps only the last -sanitize= it is given. -enable-testing lets
# FuzzStation reach the station's internal application layer.
swift build -c release --package-path "$root/Fuzz" --scratch-path "$scratch" \
    --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing \
    --product "$target" >&2
binary=$scratch/release/$target

# Swift's crash backtracer would otherwise hold a crashing run for minutes.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

if [[ $mode == merge ]]; then
    merged=$(mktemp -d)
    "$binary" -merge=1 "${dict[@]}" "$merged" "$corpus" "$found" "$@"
    rm -f "$corpus"/*
    cp "$merged"/* "$corpus"/
    rm -rf "$merged"
    echo "corpus: $(ls "$corpus" | wc -l) files in $corpus"
    exit 0
fi
[[ $mode =~ ^[0-9]+$ ]] || usage

log=$artifacts/last-run.log
status=0
"$binary" -max_total_time="$mode" -timeout=10 -rss_limit_mb=4096 -max_len=16384 \
    "${dict[@]}" -artifact_prefix="$artifacts/" -print_final_stats=1 \
    "$@" "$found" "$corpus" 2>&1 | tee "$log" >&2 || status=$?

executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
echo "$target: ${executions:-unknown} executions in ${mode} s; exit status $status"
if ls "$artifacts" | grep -qE '^(crash|timeout|oom|leak|slow-unit)-'; then
    echo "artifacts in $artifacts:"
    ls -1 "$artifacts" | grep -E '^(crash|timeout|oom|leak|slow-unit)-'
fi
exit "$status"
