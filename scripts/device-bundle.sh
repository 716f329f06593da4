#!/usr/bin/env bash
# Packs the built binaries with the shared libraries they need into devrun/
# (ignored by git), for the device machine, whose image lacks this project's
# libraries. Pass it to the device tool with carry ["devrun"] and run
# scripts/device-run.sh there (kernels/GPU_NOTES.md has the whole procedure).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
rm -rf devrun && mkdir -p devrun/lib
cp build/micromeso build/tests/micromeso_tests devrun/
# Everything but the C/C++ runtime the device image has anyway.
for binary in devrun/micromeso devrun/micromeso_tests; do
  ldd "$binary" | awk '/=> \// {print $3}'
done | sort -u | grep -v -E '/(libc|libm|libstdc\+\+|libgcc_s|libdl|libpthread|librt)\.so' |
  xargs -I{} cp -L {} devrun/lib/
du -sh devrun
