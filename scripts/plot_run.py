#!/usr/bin/env python3
"""Figures of a micromeso run: population activity traces and power spectra.

Reads RUN_DIR/activity.h5 and RUN_DIR/analysis.h5 (written by `micromeso
analyze`) and writes RUN_DIR/figures/activity.{png,svg} and
RUN_DIR/figures/spectra.{png,svg}. Called by `micromeso plot`; usable alone.
"""
import argparse
import math
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def names_of(h5):
    return [n.decode() if isinstance(n, bytes) else str(n) for n in h5.attrs["populations"]]


def grid(n):
    cols = min(4, n)
    return int(math.ceil(n / cols)), cols


def plot_activity(run_dir, out_dir, trace_ms):
    with h5py.File(os.path.join(run_dir, "activity.h5"), "r") as f:
        names = names_of(f)
        bin_ms = float(f.attrs["bin_ms"])
        t0 = float(f.attrs["t_start_ms"])
        rows, cols = grid(len(names))
        fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.4 * rows), squeeze=False, sharex=True)
        for ax, name in zip(axes.flat, names):
            d = f["activity"][name]
            n_bins = min(len(d), max(1, int(round(trace_ms / bin_ms))))
            counts = d[:n_bins]
            rate = counts / (float(d.attrs["size"]) * bin_ms * 1e-3)
            t = t0 + bin_ms * np.arange(n_bins)
            ax.plot(t, rate, lw=0.6, color="C0")
            ax.set_title(name)
            ax.set_ylabel("A(t) (Hz)")
        for ax in axes[-1]:
            ax.set_xlabel("time (ms)")
        for ax in list(axes.flat)[len(names):]:
            ax.set_visible(False)
    fig.suptitle(f"population activity, bin {bin_ms:g} ms")
    fig.tight_layout()
    save(fig, out_dir, "activity")


def plot_spectra(run_dir, out_dir):
    with h5py.File(os.path.join(run_dir, "analysis.h5"), "r") as f:
        names = names_of(f)
        rows, cols = grid(len(names))
        fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.8 * rows), squeeze=False)
        for ax, name in zip(axes.flat, names):
            g = f["spectra"][name]
            freq = g["frequency_hz"][1:]
            power = g["power_hz"][1:]
            lo, hi = float(g.attrs["ci95_lower_factor"]), float(g.attrs["ci95_upper_factor"])
            ax.fill_between(freq, power * lo, power * hi, color="C0", alpha=0.25, lw=0, label="95 % band")
            ax.loglog(freq, power, color="C0", lw=0.8, label="micromeso")
            ax.set_title(name)
            ax.set_xlabel("frequency (Hz)")
            ax.set_ylabel("PSD of A(t) (Hz)")
        for ax in list(axes.flat)[len(names):]:
            ax.set_visible(False)
        axes.flat[0].legend(fontsize="small")
    fig.suptitle("power spectra of the population activity (Welch, two-sided PSD)")
    fig.tight_layout()
    save(fig, out_dir, "spectra")


def save(fig, out_dir, stem):
    for ext in ("png", "svg"):
        fig.savefig(os.path.join(out_dir, f"{stem}.{ext}"), dpi=150)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir")
    parser.add_argument("--trace-ms", type=float, default=500.0, help="length of the activity traces (ms)")
    args = parser.parse_args()
    out_dir = os.path.join(args.run_dir, "figures")
    os.makedirs(out_dir, exist_ok=True)
    plot_activity(args.run_dir, out_dir, args.trace_ms)
    plot_spectra(args.run_dir, out_dir)
    print(f"wrote {out_dir}/activity.png, activity.svg, spectra.png, spectra.svg")


if __name__ == "__main__":
    sys.exit(main())
