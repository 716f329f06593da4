#!/usr/bin/env bash
# Fuzzes the circuit-file loader (fuzz/fuzz_circuit.cpp) with libFuzzer under
# AddressSanitizer and UndefinedBehaviorSanitizer for FUZZ_SECONDS (default
# 60), in its own build folder, build-fuzz/, with clang. Seeds: fuzz/corpus/
# (circuits from the tests and the built-ins); what the run adds is kept in
# build-fuzz/corpus/ for the next run. A crashing input is left as
# build-fuzz/crash-*: add it to the unit tests (tests/model/test_fuzz_findings.cpp)
# once fixed. Exits non-zero on a finding.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
CXX=clang++ cmake -S fuzz -B build-fuzz -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-fuzz -j "$(nproc)"
mkdir -p build-fuzz/corpus
cd build-fuzz
# -timeout: a single input that takes seconds is a finding (the quadratic
# checks); -rss_limit_mb: as is one that needs gigabytes; -max_len: circuit
# files of the corpus's size. Findings go to build-fuzz/crash-* etc.
# The whole log stays in build-fuzz/fuzz.log; its end (a finding's report) is printed.
status=0
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
  ./fuzz_circuit corpus ../fuzz/corpus -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=32768 -print_final_stats=1 -dict=../fuzz/circuit.dict >fuzz.log 2>&1 || status=$?
grep -m1 -A12 -E "^==[0-9]+==ERROR|runtime error|deadly signal|terminate called" fuzz.log || true
tail -n 8 fuzz.log
exit "$status"
