"""What a finished run holds, read from its output folder on first use."""
import json
import os
from collections import namedtuple

import numpy as np

from . import _core

SpikeTrains = namedtuple("SpikeTrains", ["times_ms", "node_ids"])
SpikeTrains.__doc__ = """Spikes of one population in the recorded window, sorted by time.

times_ms: float64 array, ms from the start of the simulation (transient included);
node_ids: uint64 array, neuron indices within the population (0-based)."""

StateTrace = namedtuple("StateTrace", ["times_ms", "node_ids", "data", "unit"])
StateTrace.__doc__ = """One recorded variable of one population (a [[multimeter]]).

times_ms: float64[T], the stamps (ms); node_ids: uint64[n], neurons within the population;
data: float64[T, n], the values (data[k, j] at times_ms[k] for neuron node_ids[j]); unit: e.g. "mV", "pA"."""


class Activity:
    """Population activity: spike counts per population and time bin.

    counts: {population: float64[n_bins]} (expected counts for deterministic meso runs);
    sizes: {population: neurons}; bin_ms: the bin width (ms); t_start_ms: left edge of bin 0 (ms).
    """

    def __init__(self, raw):
        self.populations = list(raw["populations"])
        self.sizes = dict(zip(self.populations, (int(s) for s in raw["sizes"])))
        self.bin_ms = raw["bin_ms"]
        self.t_start_ms = raw["t_start_ms"]
        self.counts = raw["counts"]

    def times_ms(self, population=None):
        """Left edges of the bins, ms."""
        n = len(self.counts[population or self.populations[0]])
        return self.t_start_ms + self.bin_ms * np.arange(n)

    def rate_hz(self, population):
        """A(t) in Hz: count / (size * bin)."""
        return self.counts[population] / (self.sizes[population] * self.bin_ms * 1e-3)

    def __repr__(self):
        return "<micromeso.Activity: %d populations, bins of %g ms>" % (len(self.populations), self.bin_ms)


class RunResult:
    """A finished run (micromeso.run or micromeso.meso).

    summary: dict, the keys of summary.json (rates, CV, timings, seed, ...);
    out_dir: the output folder; spikes: {population: SpikeTrains} (micro runs with spikes);
    activity: Activity; state: {population: {variable: StateTrace}} (with [[multimeter]]s).
    The arrays are read from the folder's HDF5 files when first asked for.
    """

    def __init__(self, summary_json, out_dir):
        self.summary = json.loads(summary_json)
        self.out_dir = out_dir
        self._spikes = self._activity = self._state = None

    @property
    def rates_hz(self):
        """{population: rate in Hz} over the recorded window."""
        return {p["name"]: p["rate_hz"] for p in self.summary["populations"]}

    @property
    def spikes(self):
        """{population: SpikeTrains} of the recorded window, read from spikes.h5 on first use;
        FileNotFoundError when the run recorded no spikes (no_spikes, or the meso engine)."""
        if self._spikes is None:
            path = os.path.join(self.out_dir, "spikes.h5")
            if not os.path.exists(path):
                raise FileNotFoundError("%s: this run recorded no spikes (no_spikes, or the meso engine)" % path)
            self._spikes = {k: SpikeTrains(*v) for k, v in _core.read_spikes(path).items()}
        return self._spikes

    @property
    def activity(self):
        """The population activity (Activity), read from activity.h5 on first use."""
        if self._activity is None:
            self._activity = Activity(_core.read_activity(os.path.join(self.out_dir, "activity.h5")))
        return self._activity

    @property
    def state(self):
        """{population: {variable: StateTrace}} from state.h5 ([[multimeter]]s); empty without them."""
        if self._state is None:
            path = os.path.join(self.out_dir, "state.h5")
            state = {}
            if os.path.exists(path):
                for r in _core.read_state(path):
                    state.setdefault(r["population"], {})[r["variable"]] = StateTrace(
                        r["times_ms"], r["node_ids"], r["data"], r["unit"])
            self._state = state
        return self._state

    def __repr__(self):
        s = self.summary
        return "<micromeso.RunResult %s (%s, %s): %s>" % (
            s["circuit"], s["engine"], s["backend"],
            ", ".join("%s %.3f Hz" % (p["name"], p["rate_hz"]) for p in s["populations"]))
