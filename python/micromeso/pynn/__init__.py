"""PyNN backend of micromeso: ``import micromeso.pynn as sim``.

A PyNN script builds its network as usual; ``sim.run(t)`` translates it into a
micromeso circuit (micromeso.pynn.translate documents the mapping) and
simulates it with micromeso's engine (``micromeso.run``); ``get_data()``
returns Neo blocks. Supported: setup/run/run_until/end; Population of
IF_curr_exp, gif_psc_exp (native, NEST's names), SpikeSourcePoisson,
SpikeSourceArray; DCSource, StepCurrentSource on whole populations;
AllToAllConnector, OneToOneConnector, FixedProbabilityConnector,
FixedTotalNumberConnector (with replacement), FixedNumberPreConnector and
FixedNumberPostConnector (with or without replacement);
StaticSynapse with numbers or normal_clipped weights and delays; record('spikes'),
record('v'). Anything else is refused with a message naming it.

Every run is a pure function of the seed, so run(t1); run(t2) simulates the
network once more from 0 to t1 + t2 (its first t1 ms are checked to be the first
run's) and refuses a network changed in between; reset() returns to t = 0 and
starts a new Neo segment; the next run() simulates the network (changes
allowed) from 0 with the same seed: same connectivity and the same noise, so an
unchanged network repeats its first segment exactly. With setup(out=...) the
k-th run writes to out-k (k >= 2).

setup() takes, besides timestep, min_delay and max_delay: rng_seed (the seed of
every random number of the run, default 1: micromeso draws connectivity, weights,
delays and initial values itself, from this seed, whatever rng a RandomDistribution
names), and micromeso.run's backend, threads, out and progress.
"""
import logging

from pyNN import common
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP
from pyNN.connectors import *  # noqa: F401,F403 (refused at Projection() unless supported)
from pyNN.recording import *  # noqa: F401,F403
from pyNN.random import NumpyRNG, RandomDistribution  # noqa: F401
from pyNN.space import Space  # noqa: F401
from pyNN.standardmodels import StandardCellType, cells as _std_cells, electrodes as _std_electrodes
from pyNN.standardmodels import synapses as _std_synapses

from . import simulator
from .populations import Assembly, Population, PopulationView  # noqa: F401
from .projections import Projection
from .standardmodels import (DCSource, IF_curr_exp, SpikeSourceArray, SpikeSourcePoisson, StaticSynapse,  # noqa: F401
                             StepCurrentSource, gif_psc_exp)

logger = logging.getLogger("PyNN")

_SUPPORTED = ["IF_curr_exp", "gif_psc_exp", "SpikeSourcePoisson", "SpikeSourceArray", "DCSource",
              "StepCurrentSource", "StaticSynapse"]


def __getattr__(name):
    """PyNN's other standard models exist here only to be refused by name."""
    for module in (_std_cells, _std_synapses, _std_electrodes):
        if isinstance(getattr(module, name, None), type):
            def refuse(*args, **kwargs):
                raise NotImplementedError("micromeso.pynn does not support %s (supported: %s)"
                                          % (name, ", ".join(_SUPPORTED)))
            return type(name, (), {"__init__": refuse, "__doc__": "Not supported by micromeso.pynn."})
    raise AttributeError("module 'micromeso.pynn' has no attribute '%s'" % name)


def list_standard_models():
    """The standard cell types micromeso.pynn takes."""
    return [c.__name__ for c in (IF_curr_exp, SpikeSourcePoisson, SpikeSourceArray)]


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, max_delay=DEFAULT_MAX_DELAY, **extra_params):
    """Start a new network: timestep (ms), min_delay, max_delay (ms); rng_seed, backend,
    threads, out, progress (see the module's documentation). Returns the MPI rank (0)."""
    common.setup(timestep, min_delay, **extra_params)
    state = simulator.state
    state.clear()
    state.dt = timestep
    state.min_delay = timestep if min_delay == "auto" else min_delay
    state.max_delay = max_delay
    state.seed = int(extra_params.get("rng_seed", 1))
    state.options = {k: extra_params[k] for k in ("backend", "threads", "out", "progress") if k in extra_params}
    return 0


def end(compatible_output=True):
    """Write what record(..., filename) asked for; the network is discarded."""
    for (population, variables, filename) in getattr(simulator.state, "write_on_end", []):
        population.write_data(filename, variables)
    simulator.state.write_on_end = []


def get_run_result():
    """The micromeso.RunResult of the last run() (summary, spikes, activity, out_dir), or None."""
    return simulator.state.result


run, run_until = common.build_run(simulator)
run_for = run
reset = common.build_reset(simulator)
initialize = common.initialize
get_current_time, get_time_step, get_min_delay, get_max_delay, num_processes, rank = \
    common.build_state_queries(simulator)
create = common.build_create(Population)
connect = common.build_connect(Projection, FixedProbabilityConnector, StaticSynapse)  # noqa: F405
record = common.build_record(simulator)


def record_v(source, filename):
    return record(['v'], source, filename)
