"""The state of a micromeso.pynn session: what setup() configured, the network
built since, and the result of run()."""
import atexit
import os
import shutil
import tempfile

from pyNN import common

name = "micromeso"


class ID(int, common.IDMixin):
    """A neuron of a Population (PyNN's global cell id)."""

    def __init__(self, n):
        int.__init__(n)
        common.IDMixin.__init__(self)


class State(common.control.BaseState):
    """One network per setup(): populations, projections and current sources
    are collected as they are created; run() translates them into a circuit
    (micromeso.pynn.translate) and simulates it once."""

    def __init__(self):
        common.control.BaseState.__init__(self)
        self.mpi_rank = 0
        self.num_processes = 1
        self.dt = 0.1
        self.min_delay = 0.1
        self.max_delay = 10.0
        self.options = {}
        self.seed = 1
        self.clear()

    def clear(self):
        self.recorders = set()
        self.populations = []
        self.projections = []
        self.current_sources = []  # (source, population)
        self.id_counter = 0
        self.segment_counter = -1
        self.result = None
        self.circuit = None
        self.names = {}
        self.run_count = 0
        self.reset()

    def reset(self):
        self.running = False
        self.t = 0.0
        self.t_start = 0.0
        self.segment_counter += 1

    def run(self, simtime):
        """Simulates to t + simtime. A run is a pure function of the seed, so
        continuing (a second run() without reset()) re-runs the unchanged network
        from 0 for the whole time: its first part is the earlier run's, checked
        spike for spike and sample for sample. After reset() the network, changed
        or not, is simulated from 0 again (same seed: same connectivity and noise)."""
        from . import translate  # the network is complete only now
        import micromeso
        total = self.t + simtime
        circuit, names = translate.circuit_dict(self, total)
        continuing = self.t > 0.0
        if continuing:
            changed = _differences(self.circuit, circuit)
            if changed:
                raise NotImplementedError(
                    "micromeso.pynn: run() continues the simulation of t = %g ms by simulating the network again "
                    "from 0 to %g ms, which needs it unchanged since the last run(); changed: %s. Call reset() "
                    "first to simulate the changed network from 0" % (self.t, total, "; ".join(changed[:5])))
        opts = dict(self.options)
        self.run_count += 1
        if "out" not in opts:  # a temporary folder, removed when Python exits; setup(out=...) keeps the run
            opts["out"] = os.path.join(tempfile.mkdtemp(prefix="micromeso-pynn-"), "run")
            atexit.register(shutil.rmtree, os.path.dirname(opts["out"]), True)
        elif self.run_count > 1:  # a folder holds one finished run
            opts["out"] = "%s-%d" % (opts["out"], self.run_count)
        opts.setdefault("progress", False)
        result = micromeso.run(circuit, **opts)
        if continuing:
            _check_same_start(self.result, result, self.t)
        self.result, self.circuit, self.names = result, circuit, names
        self.t = total
        self.running = True
    def run_until(self, tstop):
        self.run(tstop - self.t)


def _differences(old, new, where="circuit"):
    """Where two circuit dicts differ, the simulated time aside."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new)):
            if where == "circuit.simulation" and key == "t_sim":
                continue
            if key not in old or key not in new:
                out.append("%s.%s %s" % (where, key, "added" if key in new else "removed"))
            else:
                out += _differences(old[key], new[key], "%s.%s" % (where, key))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [d for j, (a, b) in enumerate(zip(old, new)) for d in _differences(a, b, "%s[%d]" % (where, j))]
    return [] if old == new else ["%s: %r -> %r" % (where, old, new)]


def _check_same_start(before, after, t_ms):
    """The re-run's first t_ms are the earlier run's (same spikes, same recorded samples)."""
    import numpy as np
    wrong = []
    if os.path.exists(os.path.join(before.out_dir, "spikes.h5")):
        for name, old in before.spikes.items():
            new = after.spikes[name]
            keep = new.times_ms <= t_ms + 1e-9
            if not (np.array_equal(old.times_ms, new.times_ms[keep]) and np.array_equal(old.node_ids, new.node_ids[keep])):
                wrong.append("spikes of %s" % name)
    for name, variables in before.state.items():
        for variable, old in variables.items():
            new = after.state[name][variable]
            if not np.array_equal(old.data, new.data[:len(old.data)]):
                wrong.append("%s of %s" % (variable, name))
    if wrong:
        raise RuntimeError("micromeso.pynn: the continued run differs from the earlier run before t = %g ms (%s); "
                           "please report this bug" % (t_ms, ", ".join(wrong)))


state = State()
