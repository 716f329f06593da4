#!/usr/bin/env bash
# Build, then run every test: the fast unit tests (label `unit`) and the slow
# validation runs against theory and published figures (label `validation`).
# scripts/test.sh -L unit   runs the unit tests only (any ctest option works).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd build
exec ctest --output-on-failure -j 2 "$@"
