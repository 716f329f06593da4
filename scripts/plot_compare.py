#!/usr/bin/env python3
"""Micro vs meso figure of `micromeso compare OUT`: power spectra of the
population activity overlaid (one panel per population, log-log, micro with
its 95 % band) and short activity traces. Writes OUT/figures/compare.{png,svg}."""
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


def main():
    out = sys.argv[1]
    micro = h5py.File(os.path.join(out, "micro", "analysis.h5"), "r")
    meso = h5py.File(os.path.join(out, "meso", "analysis.h5"), "r")
    act = {k: h5py.File(os.path.join(out, k, "activity.h5"), "r") for k in ("micro", "meso")}
    names = names_of(micro)
    cols = min(4, len(names))
    rows = int(math.ceil(len(names) / cols))
    fig, axes = plt.subplots(2 * rows, cols, figsize=(3.8 * cols, 5.0 * rows), squeeze=False)
    for i, name in enumerate(names):
        ax = axes[2 * (i // cols)][i % cols]
        g, h = micro["spectra"][name], meso["spectra"][name]
        f = g["frequency_hz"][1:]
        lo, hi = float(g.attrs["ci95_lower_factor"]), float(g.attrs["ci95_upper_factor"])
        ax.fill_between(f, g["power_hz"][1:] * lo, g["power_hz"][1:] * hi, color="C0", alpha=0.2, lw=0)
        ax.loglog(f, g["power_hz"][1:], color="C0", lw=0.8, label="micro")
        ax.loglog(h["frequency_hz"][1:], h["power_hz"][1:], color="C3", lw=0.8, label="meso")
        ax.set_title(name)
        ax.set_xlabel("frequency (Hz)")
        ax.set_ylabel("PSD of A(t) (Hz)")
        if i == 0:
            ax.legend(fontsize="small")
        tr = axes[2 * (i // cols) + 1][i % cols]
        for k, color in (("micro", "C0"), ("meso", "C3")):
            d = act[k]["activity"][name]
            bin_ms = float(act[k].attrs["bin_ms"])
            n = min(len(d), int(round(1000.0 / bin_ms)))
            t = float(act[k].attrs["t_start_ms"]) + bin_ms * np.arange(n)
            tr.plot(t, d[:n] / (float(d.attrs["size"]) * bin_ms * 1e-3), color=color, lw=0.6, label=k)
        tr.set_xlabel("time (ms)")
        tr.set_ylabel("A(t) (Hz)")
    for j in range(len(names), rows * cols):
        axes[2 * (j // cols)][j % cols].set_visible(False)
        axes[2 * (j // cols) + 1][j % cols].set_visible(False)
    fig.suptitle("micro (spiking network) vs meso (population equations)")
    fig.tight_layout()
    os.makedirs(os.path.join(out, "figures"), exist_ok=True)
    for ext in ("png", "svg"):
        fig.savefig(os.path.join(out, "figures", f"compare.{ext}"), dpi=150)
    print(f"wrote {out}/figures/compare.png, compare.svg")


if __name__ == "__main__":
    sys.exit(main())
