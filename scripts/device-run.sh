#!/usr/bin/env bash
# On the device machine (after scripts/device-bundle.sh here, carry ["devrun"]):
# the GPU tests, compute-sanitizer, a short run and the benchmark, each
# writing into $OUT (the folder the device tool brings back).
# scripts/device-run.sh [tests|sanitize|run|bench|all]   (default all)
set -uo pipefail
cd "$(dirname "$0")/.."
: "${OUT:?the device tool sets OUT}"
export LD_LIBRARY_PATH="$PWD/devrun/lib:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
what="${1:-all}"
nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1
devrun/micromeso devices --json > "$OUT/devices.json" 2>&1
if [[ $what == tests || $what == all ]]; then
  devrun/micromeso_tests --gtest_filter='Gpu*:CudaCheck*' > "$OUT/gpu-tests.txt" 2>&1
  echo "gpu tests: exit $?"
fi
if [[ $what == sanitize || $what == all ]]; then
  compute-sanitizer --tool memcheck devrun/micromeso_tests --gtest_filter='GpuBackend.ChunkBoundaries*' \
    > "$OUT/memcheck.txt" 2>&1
  echo "memcheck: exit $?"
  compute-sanitizer --tool racecheck devrun/micromeso_tests --gtest_filter='GpuBackend.StopsBetweenChunks' \
    > "$OUT/racecheck.txt" 2>&1
  echo "racecheck: exit $?"
fi
if [[ $what == run || $what == all ]]; then
  devrun/micromeso run potjans2014 --backend gpu --t 1s --presim 0.5s --no-spikes --out "$OUT/pd-1s" \
    > "$OUT/pd-1s.txt" 2>&1
  echo "run: exit $?"
fi
if [[ $what == bench || $what == all ]]; then
  devrun/micromeso bench potjans2014 --backend gpu --t 10s --scales 0.1 0.25 0.5 1 --out "$OUT/bench" \
    > "$OUT/bench.txt" 2>&1
  echo "bench: exit $?"
fi
