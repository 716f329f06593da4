#!/usr/bin/env python3
"""Table of the MPI scaling runs (bench/scripts/mpi_scaling.sh): per run, the
build time, and per simulated step each rank's compute (simulation time minus
the exchanges), waiting (the counts' all-gather: the slowest rank and one
latency) and transfer (the spikes' all-gather), from summary.json's per_rank."""
import json
import pathlib
import sys

out = pathlib.Path(sys.argv[1])
print("| run | ranks x threads | neurons | synapses | build (s) | sim (s) | RTF | per step, each rank: compute / waiting / transfer (us) |")
print("|---|---|---|---|---|---|---|---|")
for f in sorted(out.glob("*.summary.json")):
    s = json.loads(f.read_text())
    steps = (s["t_sim_ms"] + s["t_presim_ms"]) / s["dt_ms"]
    ranks = s.get("per_rank") or []
    parts = []
    for r in ranks:
        compute = r["sim_time_s"] - r["exchange_wait_s"] - r["exchange_transfer_s"]
        parts.append(f'{1e6 * compute / steps:.0f} / {1e6 * r["exchange_wait_s"] / steps:.0f} / '
                     f'{1e6 * r["exchange_transfer_s"] / steps:.0f}')
    build = max(r["build_time_s"] for r in ranks) if ranks else s["build_time_s"]
    name = f.name.replace(".summary.json", "")
    print(f'| {name} | {s.get("ranks", 1)} x {s["threads"]} | {s["neurons"]} | {s["synapses"]} | {build:.2f} | '
          f'{s["sim_time_s"]:.2f} | {s["real_time_factor"]:.2f} | {"; ".join(parts)} |')
