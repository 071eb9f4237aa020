#!/usr/bin/env bash
# Builds every fuzz target with libFuzzer and runs each for a few seconds on a copy of its
# seed corpus (fuzz/corpus/<target>/). Fails if a target does not build or any input crashes
# it (panic, overflow, abort, timeout or out-of-memory); the crashing input is kept in
# fuzz/artifacts/<target>/.
#
#   fuzz/smoke.sh [seconds]        # default 10 seconds per target
#
# Works on stable Rust without cargo-fuzz: the targets are built the way `cargo fuzz build`
# builds them (the same sanitizer-coverage instrumentation and `--cfg fuzzing`, with debug
# assertions and overflow checks on), minus AddressSanitizer, which needs nightly. Safe Rust
# does not need it to find panics. libfuzzer-sys compiles libFuzzer from C++ source, so a C++
# compiler (g++ or clang++) must be installed.
#
# Environment: FUZZ_TARGETS="a b" runs only those targets; CARGO_TARGET_DIR defaults to
# fuzz/target.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

seconds=${1:-10}
case $seconds in '' | *[!0-9]*)
    echo "usage: fuzz/smoke.sh [seconds]" >&2
    exit 2
    ;;
esac

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
# cargo-fuzz's instrumentation (`cargo fuzz build` without -Zsanitizer=address).
flags="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
flags+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters"
flags+=" -Cllvm-args=-sanitizer-coverage-pc-table"
flags+=" -Cllvm-args=-sanitizer-coverage-trace-compares"
flags+=" -Cdebug-assertions -Coverflow-checks"
if [ "$(uname -s)" = Linux ]; then
    flags+=" -Cllvm-args=-sanitizer-coverage-stack-depth"
fi
triple=$(rustc -vV | sed -n 's/^host: //p')

targets=${FUZZ_TARGETS:-$(sed -n 's/^name = "\(.*\)"/\1/p' Cargo.toml | grep -v '^session-infra-fuzz$')}

echo "fuzz smoke: building $(echo "$targets" | wc -w) targets ($triple, release + sancov)"
# --target keeps RUSTFLAGS off the build scripts and proc macros, as cargo-fuzz does.
RUSTFLAGS="$flags" cargo build --release --manifest-path Cargo.toml --bins --target "$triple"

bin_dir=$CARGO_TARGET_DIR/$triple/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
for target in $targets; do
    corpus=$work/corpus/$target
    mkdir -p "$corpus" "artifacts/$target"
    if [ -d "corpus/$target" ]; then
        cp -r "corpus/$target/." "$corpus/"
    fi
    seeds=$(find "$corpus" -type f | wc -l)
    log=$work/$target.log
    if "$bin_dir/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="artifacts/$target/" -print_final_stats=1 "$corpus" >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
        echo "ok      $target: ${execs:-?} runs in ${seconds} s from $seeds seeds (${cov:-cov: ?})"
    else
        echo "CRASHED $target (input kept in fuzz/artifacts/$target/):"
        grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" | head -n 8 | sed 's/^/    /'
        failed+=("$target")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz smoke: ${#failed[@]} target(s) crashed: ${failed[*]}"
    exit 1
fi
echo "fuzz smoke: every target ran ${seconds} s without a crash"
