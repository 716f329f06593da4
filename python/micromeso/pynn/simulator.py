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
        self.names = {}
        self.reset()

    def reset(self):
        self.running = False
        self.t = 0.0
        self.t_start = 0.0
        self.segment_counter += 1

    def run(self, simtime):
        from . import translate  # the network is complete only now
        if self.result is not None:
            raise NotImplementedError(
                "micromeso.pynn simulates a network once: run() or run_until() may be called once after setup() "
                "(continuing a simulation, or reset(), is not supported); call end() and setup() to build "
                "another")
        import micromeso
        circuit, self.names = translate.circuit_dict(self, simtime)
        opts = dict(self.options)
        if "out" not in opts:  # a temporary folder, removed when Python exits; setup(out=...) keeps the run
            opts["out"] = os.path.join(tempfile.mkdtemp(prefix="micromeso-pynn-"), "run")
            atexit.register(shutil.rmtree, os.path.dirname(opts["out"]), True)
        opts.setdefault("progress", False)
        self.result = micromeso.run(circuit, **opts)
        self.t += simtime
        self.running = True

    def run_until(self, tstop):
        self.run(tstop - self.t)


state = State()
