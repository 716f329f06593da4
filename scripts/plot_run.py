#!/usr/bin/env python3
"""Figures of a micromeso run: spike raster, rates, population activity and power spectra.

Reads RUN_DIR/spikes.h5 (when the run recorded spikes), summary.json,
activity.h5 and analysis.h5 (written by `micromeso analyze`) and writes
RUN_DIR/figures/{raster,rates,activity,spectra}.{png,svg}. Called by
`micromeso plot`; usable alone. The figures are drawn by
micromeso_figures.py, beside this script (also `micromeso.figures` in Python).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import micromeso_figures as figures  # noqa: E402


def save(fig, out_dir, stem):
    for ext in ("png", "svg"):
        fig.savefig(os.path.join(out_dir, f"{stem}.{ext}"), dpi=150)
    return [f"{stem}.png", f"{stem}.svg"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir")
    parser.add_argument("--trace-ms", type=float, default=500.0, help="length of the activity traces (ms)")
    parser.add_argument("--bin-ms", type=float, default=None,
                        help="bin of the activity traces (ms; a multiple of the run's activity bin; "
                             "default: the multiple nearest 1 ms)")
    parser.add_argument("--sample", type=int, default=100, help="neurons per population in the raster")
    parser.add_argument("--raster-ms", type=float, default=200.0, help="length of the raster (ms)")
    args = parser.parse_args()
    out_dir = os.path.join(args.run_dir, "figures")
    os.makedirs(out_dir, exist_ok=True)
    written = []
    if os.path.exists(os.path.join(args.run_dir, "spikes.h5")):
        written += save(figures.raster(args.run_dir, args.sample, args.raster_ms), out_dir, "raster")
    written += save(figures.rates(args.run_dir), out_dir, "rates")
    written += save(figures.activity(args.run_dir, args.trace_ms, args.bin_ms), out_dir, "activity")
    written += save(figures.spectra(args.run_dir), out_dir, "spectra")
    print(f"wrote {out_dir}/" + ", ".join(written))


if __name__ == "__main__":
    sys.exit(main())
