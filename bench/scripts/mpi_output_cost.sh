#!/usr/bin/env bash
# What the outputs cost over MPI ranks (rank 0 writes everything, gathering
# the multimeters from every rank): Potjans-Diesmann at --scale 0.1 (reduced)
# and 0.5 (larger), with spikes recorded and multimeters on V_m and I_syn_ex
# of K neurons per population every step (K = 100 and 500, spread over each
# population, so every rank records some), over 1, 2 and 3 ranks x 1 thread.
#   bench/scripts/mpi_output_cost.sh OUT_DIR [BINARY] [ROUNDS]
# OUT_DIR keeps each run's summary.json, log, wall time and state.h5 size,
# the circuit files, the commands, the machine and its load, and table.md
# (bench/scripts/mpi_output_table.py).
set -euo pipefail
out="$1"
bin="${2:-build/micromeso}"
rounds="${3:-1}"
mpirun=(mpirun --allow-run-as-root --oversubscribe --bind-to none)
common=(--t 300ms --presim 50ms --backend cpu --seed 55 --threads 1)
mkdir -p "$out"
{ lscpu; echo; free -g; mpirun --version | head -1; } > "$out/machine.txt"
: > "$out/load.txt"
: > "$out/command.txt"

circuit() {  # circuit NAME SCALE K: the built-in circuit plus the multimeters
  "$bin" models show potjans2014 --scale "$2" > "$out/$1.toml"
  /usr/bin/python3 - "$out/$1.toml" "$3" <<'PY'
import sys, tomllib
path, k = sys.argv[1], int(sys.argv[2])
with open(path, "rb") as f:
    pops = tomllib.load(f)["population"]
with open(path, "a") as f:
    for p in pops:
        n = min(k, p["size"])
        ids = ", ".join(str(i * p["size"] // n) for i in range(n))
        f.write(f'\n[[multimeter]]\npopulation = "{p["name"]}"\nneurons = [{ids}]\nrecord_from = ["V_m", "I_syn_ex"]\n')
PY
}

run() {  # run NAME RANKS CIRCUIT
  local name="$1" ranks="$2" file="$3"
  echo "${mpirun[*]} -np $ranks $bin run $file ${common[*]} --out RUN" >> "$out/command.txt"
  echo "$name: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
  rm -rf "$out/run"
  local start end
  start=$(date +%s.%N)
  "${mpirun[@]}" -np "$ranks" "$bin" run "$file" "${common[@]}" --out "$out/run" > "$out/$name.log" 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }' > "$out/$name.wall_s"
  stat -c %s "$out/run/state.h5" > "$out/$name.state_bytes"
  cp "$out/run/summary.json" "$out/$name.summary.json"
  rm -rf "$out/run"
}

circuit reduced 0.1 100
circuit larger 0.5 500
for round in $(seq 1 "$rounds"); do
  for size in reduced larger; do
    for ranks in 1 2 3; do
      run "$size-${ranks}ranks-$round" "$ranks" "$out/$size.toml"
    done
  done
done
/usr/bin/python3 "$(dirname "$0")/mpi_output_table.py" "$out" > "$out/table.md"
cat "$out/table.md"
