#!/usr/bin/env bash
# The main job: build, then simulate a circuit (default: the full-scale
# Potjans & Diesmann 2014 microcircuit) with `micromeso run`.
# Usage: scripts/run.sh [CIRCUIT] [run options...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
if [ $# -eq 0 ]; then set -- potjans2014; fi
exec build/micromeso run "$@"
