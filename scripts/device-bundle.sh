#!/usr/bin/env bash
# Packs the built binaries with the shared libraries they need into devrun/
# (ignored by git), for the device machine, whose image lacks this project's
# libraries: micromeso, micromeso_tests, lib/, launch_floor (the standalone
# launch-overhead benchmark, bench/device/launch_floor.cu) and commit.txt (the
# commit and the count of uncommitted files: only the working tree travels, so
# git cannot tell there). Pass it to the device tool with carry ["devrun"] and
# run scripts/device-run.sh there (kernels/GPU_NOTES.md, "The device
# procedure", has the whole procedure).
# scripts/device-bundle.sh [--no-build]   (--no-build: pack build/ as it is)
set -euo pipefail
cd "$(dirname "$0")/.."
NVCC=${NVCC:-/usr/local/cuda/bin/nvcc}
if [[ ${1:-} != --no-build ]]; then scripts/build.sh; fi
rm -rf devrun && mkdir -p devrun/lib
cp build/micromeso build/tests/micromeso_tests devrun/
# Everything but the C/C++ runtime the device image has anyway. glibc's own
# libraries (libresolv, libanl, ...) must stay behind: they need the
# GLIBC_PRIVATE symbols of the exact glibc they came with, and the device image
# has a newer one.
for binary in devrun/micromeso devrun/micromeso_tests; do
  ldd "$binary" | awk '/=> \// {print $3}'
done | sort -u |
  grep -v -E '/(libc|libm|libstdc\+\+|libgcc_s|libdl|libpthread|librt|libresolv|libanl|libutil|libnsl|libnss_[a-z]+|libmvec|libBrokenLocale|ld-linux-x86-64)\.so' |
  xargs -r -I{} cp -L {} devrun/lib/
# The Nsight Systems importer on the device image (QdstrmImporter) lacks
# libdw.so.1 (seen 2026-11-30): carried, with the libraries it needs, so that
# nsys can turn its capture into a report (device-run.sh puts devrun/lib on
# LD_LIBRARY_PATH).
for lib in libdw.so.1 libelf.so.1 libbz2.so.1.0 liblzma.so.5; do
  cp -L "/usr/lib/x86_64-linux-gnu/$lib" devrun/lib/ 2>/dev/null || cp -L "/lib/x86_64-linux-gnu/$lib" devrun/lib/ || true
done
# Standalone: the CUDA runtime is linked statically (nvcc's default).
"$NVCC" -O2 -arch=sm_90 -o devrun/launch_floor bench/device/launch_floor.cu
{
  echo "commit $(git rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "uncommitted_files $(git status --short 2>/dev/null | wc -l)"
  echo "bundled $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "built_on $(uname -srm)"
} >devrun/commit.txt
du -sh devrun
# The device tool carries at most 64 MiB with the working tree.
if (($(du -sm devrun | cut -f1) > 56)); then
  echo "warning: devrun/ is over 56 MiB; with the tree it may not fit the device tool's 64 MiB" >&2
fi
