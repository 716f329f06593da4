#!/usr/bin/env bash
# Two builds of micromeso on the same circuit, alternated in one call so that
# both see the same machine load: A B A B ... Prints each run's real-time
# factor and build time from its summary.json, and its CPU time (user + system,
# /usr/bin/time), then the ratios of the medians (B / A). On a machine shared
# with other work the CPU time of a --threads 1 run is the steadier measure:
# waiting for a core does not count in it. Usage:
#   bench/scripts/compare_binaries.sh BINARY_A BINARY_B ROUNDS OUT_DIR -- run arguments...
# COMMAND=meso (or any command that writes summary.json into --out) compares
# another command than `run`.
# e.g. bench/scripts/compare_binaries.sh /tmp/base/build/micromeso build/micromeso 3 /tmp/ratio -- \
#        potjans2014 --t 1s --presim 0.1s --no-spikes --backend cpu
set -euo pipefail
a=$1 b=$2 rounds=$3 out=$4
shift 4
[[ ${1:-} == -- ]] && shift
mkdir -p "$out"
for ((r = 1; r <= rounds; ++r)); do
  for side in A B; do
    binary=$a
    [[ $side == B ]] && binary=$b
    /usr/bin/time -f "%U %S" -o "$out/$side-$r.cputime" "$binary" "${COMMAND:-run}" "$@" --out "$out/$side-$r" > "$out/$side-$r.log" 2>&1
  done
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
rows = {"A": [], "B": []}
for r in range(1, rounds + 1):
    for side in "AB":
        s = json.load(open(f"{out}/{side}-{r}/summary.json"))
        user, system = map(float, open(f"{out}/{side}-{r}.cputime").read().split()[-2:])
        rows[side].append((s["real_time_factor"], s["build_time_s"], user + system))
        print(f"{side} round {r}: RTF {s['real_time_factor']:.3f}, build {s['build_time_s']:.2f} s, "
              f"CPU {user + system:.2f} s, commit {s.get('commit')}")
rtf = {k: statistics.median(x[0] for x in v) for k, v in rows.items()}
build = {k: statistics.median(x[1] for x in v) for k, v in rows.items()}
print(f"median RTF A {rtf['A']:.3f}, B {rtf['B']:.3f}: B/A = {rtf['B'] / rtf['A']:.3f}")
if build["A"] > 0:  # the meso engine builds nothing
    print(f"median build A {build['A']:.2f} s, B {build['B']:.2f} s: B/A = {build['B'] / build['A']:.3f}")
cpu = {k: statistics.median(x[2] for x in v) for k, v in rows.items()}
print(f"median CPU time A {cpu['A']:.2f} s, B {cpu['B']:.2f} s: B/A = {cpu['B'] / cpu['A']:.3f}")
PY
