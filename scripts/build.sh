#!/usr/bin/env bash
# Installs missing packages, configures and builds into build/ (Release).
# CUDA kernels are compiled when nvcc is found (/usr/local/cuda/bin/nvcc).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${MICROMESO_CMAKE_ARGS:-} >/dev/null
cmake --build build -j "$(nproc)"
