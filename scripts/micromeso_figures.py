"""Figures of a micromeso run, as matplotlib figures: the spike raster of a
sample of each population, the rates per population, the population activity
and its power spectra.

One source for two users: `scripts/plot_run.py` (what `micromeso plot` runs)
imports it from its own folder, and the Python package installs it as
`micromeso.figures`. Each function takes a run folder and returns a
matplotlib Figure; nothing is drawn on screen or saved here.
"""
import json
import math
import os

import h5py
import numpy as np
from matplotlib.figure import Figure

# Colours of excitatory and inhibitory populations, told apart by the last
# letter of the name (the convention of the Potjans-Diesmann circuit: L23E,
# L23I, ...); other names take matplotlib's cycle.
EXCITATORY_COLOUR, INHIBITORY_COLOUR = "#3465a4", "#cc0000"


def population_names(h5):
    """Population names in circuit order (root attribute `populations`)."""
    return [n.decode() if isinstance(n, bytes) else str(n) for n in h5.attrs["populations"]]


def colour_of(name, index):
    if name.endswith("E"):
        return EXCITATORY_COLOUR
    if name.endswith("I"):
        return INHIBITORY_COLOUR
    return f"C{index % 10}"


def _grid(n):
    cols = min(4, n)
    return int(math.ceil(n / cols)), cols


def raster(run_dir, sample=100, window_ms=200.0):
    """Spike raster of `sample` neurons of each population (node ids 0 ... sample-1, or all
    of a smaller population) over the first `window_ms` ms of the recorded window, one band
    per population in circuit order from the top (layer order for Potjans-Diesmann),
    excitatory and inhibitory populations in two colours. Needs RUN_DIR/spikes.h5."""
    path = os.path.join(run_dir, "spikes.h5")
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no spike file (run without --no-spikes to get a raster)")
    with open(os.path.join(run_dir, "summary.json")) as f:
        summary = json.load(f)
    sizes = {p["name"]: int(p["size"]) for p in summary["populations"]}
    t_start = float(summary.get("t_presim_ms", 0.0))
    fig = Figure(figsize=(7.0, 6.0))
    ax = fig.add_subplot()
    row = 0
    ticks, labels = [], []
    with h5py.File(path, "r") as f:
        names = population_names(f)
        for i, name in enumerate(names):
            shown = min(sample, sizes[name])
            g = f["spikes"][name]
            ids = g["node_ids"][()]
            times = g["timestamps"][()]
            keep = (ids < shown) & (times < t_start + window_ms)
            # the first population at the top: rows count downwards
            ax.plot(times[keep], -(row + ids[keep].astype(float)), ".", ms=1.2, color=colour_of(name, i),
                    rasterized=True)
            ticks.append(-(row + shown / 2.0))
            labels.append(name)
            row += shown
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels)
    ax.set_ylim(-row - 0.5, 0.5)
    ax.set_xlim(t_start, t_start + window_ms)
    ax.set_xlabel("time (ms)")
    ax.set_title(f"spikes of {sample} neurons per population")
    fig.tight_layout()
    return fig


def rates(run_dir):
    """Mean firing rate per population (Hz), from RUN_DIR/summary.json, as horizontal bars in
    circuit order from the top."""
    with open(os.path.join(run_dir, "summary.json")) as f:
        summary = json.load(f)
    names = [p["name"] for p in summary["populations"]]
    values = [float(p["rate_hz"]) for p in summary["populations"]]
    fig = Figure(figsize=(4.0, 0.35 * len(names) + 1.2))
    ax = fig.add_subplot()
    y = -np.arange(len(names))
    ax.barh(y, values, color=[colour_of(n, i) for i, n in enumerate(names)])
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.set_xlabel("rate (Hz)")
    ax.set_title("firing rates")
    fig.tight_layout()
    return fig


def activity(run_dir, trace_ms=500.0, bin_ms=None):
    """Population activity A(t) (Hz) over the first `trace_ms` ms, the stored counts summed
    into bins of `bin_ms` (a multiple of the stored bin; at least the stored bin). By default
    the multiple of the stored bin nearest 1 ms, a readable width for any stored bin."""
    with h5py.File(os.path.join(run_dir, "activity.h5"), "r") as f:
        names = population_names(f)
        stored_ms = float(f.attrs["bin_ms"])
        t0 = float(f.attrs["t_start_ms"])
        # halves round up, as `micromeso analyze` rounds its default bin (llround)
        factor = max(1, int(math.floor((1.0 if bin_ms is None else bin_ms) / stored_ms + 0.5)))
        if bin_ms is not None and bin_ms > stored_ms and abs(factor * stored_ms - bin_ms) > 1e-9 * bin_ms:
            raise ValueError(f"activity bin {bin_ms:g} ms: not a multiple of the stored bin {stored_ms:g} ms")
        width_ms = factor * stored_ms
        rows, cols = _grid(len(names))
        fig = Figure(figsize=(3.6 * cols, 2.4 * rows))
        axes = fig.subplots(rows, cols, squeeze=False, sharex=True)
        for i, (ax, name) in enumerate(zip(axes.flat, names)):
            d = f["activity"][name]
            n_bins = min(len(d) // factor, max(1, int(round(trace_ms / width_ms))))
            counts = d[: n_bins * factor].reshape(n_bins, factor).sum(axis=1)
            rate = counts / (float(d.attrs["size"]) * width_ms * 1e-3)
            ax.plot(t0 + width_ms * np.arange(n_bins), rate, lw=0.7, color=colour_of(name, i))
            ax.set_title(name)
            ax.set_ylabel("A(t) (Hz)")
        for ax in axes[-1]:
            ax.set_xlabel("time (ms)")
        for ax in list(axes.flat)[len(names):]:
            ax.set_visible(False)
    fig.suptitle(f"population activity, bin {width_ms:g} ms")
    fig.tight_layout()
    return fig


def spectra(run_dir):
    """Power spectra of the population activity with their 95 % band, from
    RUN_DIR/analysis.h5 (`micromeso analyze`)."""
    with h5py.File(os.path.join(run_dir, "analysis.h5"), "r") as f:
        names = population_names(f)
        rows, cols = _grid(len(names))
        fig = Figure(figsize=(3.6 * cols, 2.8 * rows))
        axes = fig.subplots(rows, cols, squeeze=False)
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
    return fig
