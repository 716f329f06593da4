#!/usr/bin/env python3
"""Table of the output-cost runs (bench/scripts/mpi_output_cost.sh): per run,
the wall time of the whole mpirun, and per rank the seconds of its outputs
(summary.json per_rank: output_s = recording during the run + the
multimeters' gather + the files written; output_gather_s; output_write_s, rank
0's HDF5 writes), and rank 0's output_s as a share of the wall time."""
import json
import pathlib
import sys

out = pathlib.Path(sys.argv[1])
print("| run | ranks | neurons | state.h5 (MB) | wall (s) | build (s) | sim (s) | output_s per rank | "
      "gather_s per rank | write_s (rank 0) | rank 0 outputs / wall | gather / wall |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for f in sorted(out.glob("*.summary.json")):
    name = f.name.replace(".summary.json", "")
    s = json.loads(f.read_text())
    wall = float((out / f"{name}.wall_s").read_text())
    state_mb = int((out / f"{name}.state_bytes").read_text()) / 1e6
    ranks = s["per_rank"]
    build = max(r["build_time_s"] for r in ranks)
    sim = max(r["sim_time_s"] for r in ranks)
    output = " / ".join(f'{r["output_s"]:.2f}' for r in ranks)
    gather = " / ".join(f'{r["output_gather_s"]:.3f}' for r in ranks)
    gather_max = max(r["output_gather_s"] for r in ranks)
    print(f'| {name} | {s["ranks"]} | {s["neurons"]} | {state_mb:.1f} | {wall:.1f} | {build:.1f} | {sim:.1f} | '
          f'{output} | {gather} | {ranks[0]["output_write_s"]:.2f} | {100 * ranks[0]["output_s"] / wall:.1f} % | '
          f'{100 * gather_max / wall:.2f} % |')
