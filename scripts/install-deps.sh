#!/usr/bin/env bash
# Installs the Debian 12 packages micromeso needs, only those missing.
set -euo pipefail
packages=(cmake g++ make pkg-config git
  libtomlplusplus-dev libcli11-dev libhdf5-dev nlohmann-json3-dev libfmt-dev
  libfftw3-dev libsleef-dev libboost-dev librandom123-dev googletest libgtest-dev libbenchmark-dev
  python3 python3-numpy python3-h5py python3-matplotlib
  # the Python module (pybind11), its PyNN backend (PyNN, Neo) and the validation against Brian 2
  pybind11-dev python3-dev python3-pynn python3-neo python3-brian python3-scipy python3-pytest
  # the documentation (docs/, Sphinx with MyST Markdown; ctest docs_html) and the inventory of
  # Python's own documentation its links to standard types resolve against, offline
  python3-sphinx python3-myst-parser python3-doc
  # regenerating the ziggurat table (scripts/make_normal_ziggurat.py)
  python3-mpmath
  # cpack -G DEB and the test of its dependency list (dpkg-shlibdeps)
  dpkg-dev
  # MPI: the microscopic engine over ranks (mpirun), and its tests
  openmpi-bin libopenmpi-dev
  # the circuit-file fuzzer (scripts/fuzz.sh): clang's libFuzzer and sanitizer
  # runtimes (Debian 12 names libFuzzer libfuzzer-14-dev)
  clang libclang-rt-14-dev libfuzzer-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "installing: ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
