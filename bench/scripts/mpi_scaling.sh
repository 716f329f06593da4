#!/usr/bin/env bash
# Strong and weak scaling of the CPU engine over MPI ranks on this machine.
#   bench/scripts/mpi_scaling.sh OUT_DIR [BINARY] [ROUNDS]
# Strong: full-scale Potjans-Diesmann, 1 rank x 1 thread, 1 rank x 2 threads,
# 2 ranks x 1 thread. Weak: one Potjans-Diesmann at --scale 0.25 per rank
# (--replicas), 1 and 2 ranks x 1 thread. Each configuration runs ROUNDS
# times (default 2), alternated; OUT_DIR keeps every run's summary.json and
# log, the commands, the machine and its load, and table.md
# (bench/scripts/mpi_table.py).
set -euo pipefail
out="$1"
bin="${2:-build/micromeso}"
rounds="${3:-2}"
mpirun=(mpirun --allow-run-as-root --oversubscribe --bind-to none)
common=(--t 300ms --presim 50ms --backend cpu --seed 55)
mkdir -p "$out"
{ lscpu; echo; free -g; } > "$out/machine.txt"
: > "$out/load.txt"
: > "$out/command.txt"

run() {  # run NAME COMMAND...
  local name="$1"
  shift
  echo "$*" >> "$out/command.txt"
  echo "$name: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
  rm -rf "$out/run"
  "$@" --out "$out/run" > "$out/$name.log" 2>&1
  cp "$out/run/summary.json" "$out/$name.summary.json"
  rm -rf "$out/run"
}

for round in $(seq 1 "$rounds"); do
  run "strong-1rank-1thread-$round" "$bin" run potjans2014 "${common[@]}" --threads 1
  run "strong-1rank-2threads-$round" "$bin" run potjans2014 "${common[@]}" --threads 2
  run "strong-2ranks-1thread-$round" "${mpirun[@]}" -np 2 "$bin" run potjans2014 "${common[@]}" --threads 1
  run "weak-1rank-1thread-$round" "${mpirun[@]}" -np 1 "$bin" run potjans2014 --scale 0.25 "${common[@]}" --threads 1
  run "weak-2ranks-1thread-$round" "${mpirun[@]}" -np 2 "$bin" run potjans2014 --scale 0.25 --replicas 2 \
    "${common[@]}" --threads 1
done
/usr/bin/python3 "$(dirname "$0")/mpi_table.py" "$out" > "$out/table.md"
cat "$out/table.md"
