#!/usr/bin/env python3
"""Issue 15's full-scale acceptance run: the PyNN microcircuit script
(examples/potjans2014_pynn.py, full scale, Poisson background) on micromeso.pynn
against the built-in `micromeso run potjans2014` with the same seed, on the
backend `auto` picks (the GPU when present). Prints and writes (--json) both
runs' rates per population over the recorded window and whether the spike
trains are identical.

    PYTHONPATH=build/python /usr/bin/python3 bench/scripts/pynn_full_scale.py --out /tmp/pd-full --json result.json
"""
import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples"))
import potjans2014_pynn as pd  # noqa: E402
import micromeso  # noqa: E402
import micromeso.pynn as sim  # noqa: E402


def window_rates(result, t0_ms, t1_ms):
    """Spikes in [t0, t1) per neuron and second, per population (Hz)."""
    rates = {}
    for name, train in result.spikes.items():
        n = result.summary["populations"][[p["name"] for p in result.summary["populations"]].index(name)]["size"]
        k = np.count_nonzero((train.times_ms >= t0_ms) & (train.times_ms < t1_ms))
        rates[name] = k / (n * (t1_ms - t0_ms) * 1e-3)
    return rates


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="folder for both runs")
    ap.add_argument("--t-sim", type=float, default=1000.0, help="recorded time, ms")
    ap.add_argument("--t-presim", type=float, default=100.0, help="transient, ms")
    ap.add_argument("--seed", type=int, default=55)
    ap.add_argument("--scale", type=float, default=1.0, help="neuron numbers (1: full scale)")
    ap.add_argument("--k-scale", type=float, default=1.0, help="in-degrees (1: full scale)")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--json", help="write the result here")
    a = ap.parse_args()
    t_end = a.t_presim + a.t_sim
    start = time.time()
    pd.build_and_run(sim, a.scale, a.k_scale, a.t_sim, a.t_presim, a.seed, "poisson", threads=a.threads,
                     out=os.path.join(a.out, "pynn"))
    ours = sim.get_run_result()
    pynn_s = time.time() - start
    start = time.time()
    builtin = micromeso.run("potjans2014", scale=a.scale, k_scale=a.k_scale, t=t_end, presim=0, seed=a.seed, threads=a.threads, progress=False,
                            out=os.path.join(a.out, "builtin"))
    builtin_s = time.time() - start
    identical = list(ours.spikes) == list(builtin.spikes) and all(
        np.array_equal(ours.spikes[n].times_ms, builtin.spikes[n].times_ms)
        and np.array_equal(ours.spikes[n].node_ids, builtin.spikes[n].node_ids) for n in builtin.spikes)
    result = {
        "backend": builtin.summary.get("backend"),
        "window_ms": [a.t_presim, t_end],
        "seed": a.seed,
        "scale": a.scale,
        "k_scale": a.k_scale,
        "rates_pynn_hz": window_rates(ours, a.t_presim, t_end),
        "rates_builtin_hz": window_rates(builtin, a.t_presim, t_end),
        "spikes_identical": bool(identical),
        "spikes_total": int(sum(len(s.times_ms) for s in builtin.spikes.values())),
        "wall_s": {"pynn": pynn_s, "builtin": builtin_s},
    }
    print(json.dumps(result, indent=2))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=2)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
