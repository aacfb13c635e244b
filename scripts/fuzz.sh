#!/usr/bin/env bash
# Runs each cargo-fuzz target for SECONDS (default 5) with one job, seeded from
# fuzz/seeds/<target>; new crash inputs land in fuzz/artifacts/<target>/ (copy them to
# tests/regressions/<target>/ to keep them as tests). Needs nightly and cargo-fuzz:
# `make fuzz-smoke` skips with a message when they are missing.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-5}"; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(token keys permissions sql full differential)
if ! command -v cargo-fuzz >/dev/null || ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: cargo-fuzz or the nightly toolchain is missing; skipped (tests/regressions.rs replays the corpora on stable)"
  exit 0
fi
cargo +nightly fuzz build -O --debug-assertions
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "fuzz: $t for ${seconds}s"
  cargo +nightly fuzz run -O --debug-assertions "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$seconds" -jobs=1 -workers=1 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 2>&1 \
    | grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|Done|stat::(number_of_executed_units|peak_rss|new_units_added)|SUMMARY|==[0-9]+==|thread .* panicked|Test unit written)' || true
  if [ -n "$(ls -A "artifacts/$t" 2>/dev/null)" ]; then
    echo "fuzz: $t found crashes: $(ls "artifacts/$t")"; exit 1
  fi
done
