#!/usr/bin/env bash
# CI, called by .ci/run. Two builds, both with warnings as errors
# (-DMICROMESO_WERROR=ON):
#   1. scripts/test.sh, the README's test command: the full build (CUDA kernels
#      when nvcc is found) in build/, every test, unit and validation;
#   2. a CPU-only build (-DMICROMESO_CUDA=OFF) under AddressSanitizer and
#      UndefinedBehaviorSanitizer in build-asan/: the unit tests. Any sanitizer
#      report fails the test that made it. This build is without MPI
#      (-DMICROMESO_MPI=OFF): LeakSanitizer reports Open MPI's own allocations
#      that MPI_Finalize leaves (Open MPI 4.1.4: 121 kB in 3,347 allocations
#      per rank for a program that only initialises, all-gathers and
#      finalises), which a suppression list would have to track across Open
#      MPI versions; the engine's
#      multi-rank code (partitioned construction, spike exchange, agreed stop,
#      rank checks) still runs sanitized here, over ranks that are threads of
#      one test (tests/micro/thread_ranks.hpp), and the refusal of a build
#      without MPI under mpirun is tested. Only the thin MPI calls
#      (src/micro/mpi/communicator_mpi.cpp) run unsanitized, in stage 1;
#   3. the circuit-file loader fuzzed with libFuzzer under ASan and UBSan for
#      60 s (scripts/fuzz.sh, its own clang build in build-fuzz/).
# The validation tests run once, in stage 1: they use the CPU engine in every
# configuration, and take about 14 of the 40 minutes CI may take on 2 cores.
# Each stage's wall time is printed at the end. MICROMESO_CMAKE_ARGS adds to
# stage 1's configuration, as for scripts/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"
timings=()

stage() {  # stage NAME FUNCTION
  local start=$SECONDS
  echo "=== ci: $1" >&2
  "$2"
  timings+=("$(printf '%-40s %5d s' "$1" $((SECONDS - start)))")
  echo "=== ci: $1: $((SECONDS - start)) s" >&2
}

# Stage 1 leaves MICROMESO_WERROR=ON in build/'s CMake cache: put back what was
# there before, so that a later scripts/build.sh builds as it did.
werror_before="$(sed -n 's/^MICROMESO_WERROR:BOOL=//p' build/CMakeCache.txt 2>/dev/null || true)"
restore_build_cache() {
  if [ -f build/CMakeCache.txt ]; then
    cmake -S . -B build -DMICROMESO_WERROR="${werror_before:-OFF}" >/dev/null 2>&1 || true
  fi
}
trap restore_build_cache EXIT

full_build_every_test() {
  MICROMESO_CMAKE_ARGS="-DMICROMESO_WERROR=ON ${MICROMESO_CMAKE_ARGS:-}" scripts/test.sh
}

sanitized_cpu_unit_tests() {
  # -O1 -g (Debug adds -g): the sanitizers' usual level. At -O3 this build takes
  # twice as long (37 instead of 17 CPU minutes), for no more findings.
  local flags="-O1 -fsanitize=address,undefined -fno-omit-frame-pointer"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMICROMESO_CUDA=OFF -DMICROMESO_MPI=OFF -DMICROMESO_WERROR=ON \
    -DMICROMESO_BENCH=OFF "-DCMAKE_CXX_FLAGS=$flags" "-DCMAKE_EXE_LINKER_FLAGS=$flags" >/dev/null
  # The unit tests and the program the CLI tests run; not the validation tests.
  cmake --build build-asan -j "$jobs" --target micromeso micromeso_tests
  # halt_on_error: undefined behaviour fails the test, not only a line in its log.
  (cd build-asan &&
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
      ctest --output-on-failure -j "$jobs" -L unit)
}

stage "1 full build (WERROR), every test" full_build_every_test
stage "2 CPU-only ASan+UBSan, unit tests" sanitized_cpu_unit_tests
stage "3 circuit-file fuzzer, 60 s" scripts/fuzz.sh

echo "=== ci: passed" >&2
printf '%s\n' "${timings[@]}" >&2
