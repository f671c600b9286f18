#!/usr/bin/env bash
# Runs the benchmarks in release mode with their own build folder (.build-bench, gitignored).
#   Benchmarks/run.sh                         all benchmarks
#   Benchmarks/run.sh --filter 'load.*'       one of them; any other `benchmark` options pass through
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec swift package --package-path "$root/Benchmarks" --scratch-path "$root/.build-bench" \
    --allow-writing-to-package-directory benchmark "$@"
