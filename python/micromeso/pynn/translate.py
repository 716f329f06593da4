"""A PyNN network (micromeso.pynn's populations, projections and current
sources) as a circuit dict in the circuit file's layout (micromeso.Circuit.from_dict).

PyNN's units (mV, ms, nF, nA, Hz) become NEST's (mV, ms, pF, pA, Hz). The
mapping, and what is refused:

- IF_curr_exp -> iaf_psc_exp; gif_psc_exp -> gif_psc_exp; SpikeSourcePoisson ->
  poisson_generator (spikes in (start, start + duration]); SpikeSourceArray ->
  spike_generator. Parameters must be the same for every neuron of a population.
  Initial potential: a number, or RandomDistribution 'normal' or 'uniform'.
- Connectors: AllToAll -> pairwise_bernoulli with probability 1; FixedProbability
  -> pairwise_bernoulli; FixedTotalNumber -> fixed_total_number (with replacement
  only: with_replacement=True is required); FixedNumberPre -> fixed_indegree and
  FixedNumberPost -> fixed_outdegree, with_replacement -> allow_multapses (without
  replacement n may not exceed the other population's size, less the neuron
  itself without self-connections); OneToOne -> one_to_one (equal sizes);
  allow_self_connections -> allow_autapses.
  A OneToOne from a SpikeSourcePoisson population that fires from 0 and never
  ends (start 0, start + duration >= 1e10 ms, PyNN's default duration), is not recorded and has no other projection becomes the target
  population's `poisson` input instead (indegree 1, the source's rate, the
  weight): every target neuron receives its own independent Poisson train, as
  with the one_to_one rule, without the source population (the delay of a
  stationary Poisson train does not change its statistics).
- StaticSynapse weights (nA; inhibitory negative, as PyNN's current-based convention)
  and delays (ms): numbers, or RandomDistribution 'normal_clipped' /
  'normal_clipped_to_boundary' with (low, high) = (0, inf) for excitatory and (-inf, 0)
  for inhibitory weights (redraw / clip of the wrong sign: weight_sign), and
  'normal_clipped' delays with low <= dt/2 and high = inf (micromeso redraws below
  dt/2 and rounds to the dt grid, as NEST's microcircuit example).
- DCSource and StepCurrentSource on whole populations: the population's dc (a
  DCSource from 0 that never stops: stop >= 1e10 ms, PyNN's default stop is 1e12)
  or step_current (their sum otherwise).
"""
import copy
import math
import re

import numpy as np
from lazyarray import larray
from pyNN import connectors, random
from pyNN.parameters import Sequence

from .standardmodels import SpikeSourceArray, SpikeSourcePoisson, StaticSynapse

# A source that ends at or after this never ends (PyNN's defaults: a
# SpikeSourcePoisson lasts 1e10 ms, a DCSource stops at 1e12 ms). The
# translation does not depend on the simulated time, so that a continued
# run (simulator.State.run) simulates the same circuit.
NEVER_MS = 1e10

SUPPORTED_CONNECTORS = ("AllToAllConnector", "OneToOneConnector", "FixedProbabilityConnector",
                        "FixedTotalNumberConnector", "FixedNumberPreConnector", "FixedNumberPostConnector")


def _unsupported(what, name, supported):
    return NotImplementedError("micromeso.pynn does not support the %s %s (supported: %s)"
                               % (what, name, ", ".join(supported)))


def check_connector(c):
    name = type(c).__name__
    if name not in SUPPORTED_CONNECTORS or not isinstance(c, connectors.Connector):
        raise _unsupported("connector", name, SUPPORTED_CONNECTORS)
    if getattr(c, "allow_self_connections", True) not in (True, False):
        raise NotImplementedError("micromeso.pynn: %s(allow_self_connections=%r): only True or False"
                                  % (name, c.allow_self_connections))
    if name in ("FixedTotalNumberConnector", "FixedNumberPreConnector", "FixedNumberPostConnector"):
        if name == "FixedTotalNumberConnector" and not c.with_replacement:
            raise NotImplementedError(
                "micromeso.pynn: FixedTotalNumberConnector(with_replacement=False): micromeso draws a fixed total "
                "number with replacement (multapses allowed: the circuit rule fixed_total_number); pass "
                "with_replacement=True")
        if isinstance(c.n, random.RandomDistribution) or int(c.n) != c.n or c.n < 0:
            raise NotImplementedError("micromeso.pynn: %s(n=%r): n must be a whole number >= 0" % (name, c.n))


def check_projection_sizes(c, pre, post):
    """Refuses what a connector cannot make between these populations (checked at Projection())."""
    name = type(c).__name__
    if name == "OneToOneConnector" and pre.size != post.size:
        raise NotImplementedError("micromeso.pynn: OneToOneConnector between populations of different sizes "
                                  "(%d and %d): expected equal sizes" % (pre.size, post.size))
    if name in ("FixedNumberPreConnector", "FixedNumberPostConnector") and not c.with_replacement:
        others = pre if name == "FixedNumberPreConnector" else post
        candidates = others.size - (1 if pre is post and not c.allow_self_connections else 0)
        if int(c.n) > candidates:
            raise NotImplementedError(
                "micromeso.pynn: %s(n=%d, with_replacement=False): the %s population has %d candidate neurons; "
                "without replacement n may not exceed them (PyNN would cycle through the population again, "
                "micromeso and NEST refuse)"
                % (name, int(c.n), "source" if name == "FixedNumberPreConnector" else "target", candidates))


def check_synapse(s):
    if not isinstance(s, StaticSynapse):
        raise _unsupported("synapse type", type(s).__name__, ["StaticSynapse"])


def _base(value):
    """A parameter's value as given: a number, a RandomDistribution, a Sequence or an array."""
    if isinstance(value, larray):
        if value.operations:
            raise NotImplementedError("micromeso.pynn: a computed parameter value (%r) is not supported" % value)
        return value.base_value
    return value


def _homogeneous(name, value, what):
    """One value for every neuron; refuses different values per neuron."""
    if isinstance(value, np.ndarray):
        if value.dtype == object:  # Sequences (spike times, tau_sfa): returned whole, one per neuron
            return value
        elif value.size and np.all(value == value.flat[0]):
            return value.flat[0].item()
        raise NotImplementedError(
            "micromeso.pynn: %s of %s differs between neurons; a micromeso population is homogeneous (give a "
            "single value, or split the population)" % (name, what))
    return value


def _parameters(pop):
    ps = copy.deepcopy(pop._parameters)
    ps.shape = (pop.size,)
    ps.evaluate(simplify=True)
    return {name: _homogeneous(name, value, "population '%s'" % pop.label) for name, value in ps.items()}


def _seq(value):
    v = value.value if isinstance(value, Sequence) else value
    return [float(x) for x in np.asarray(v, dtype=float).ravel()]


def _initial_potential(pop):
    var = pop.celltype.initial_potential
    value = _base(pop.initial_values[var]) if var in pop.initial_values else None
    if value is None:
        return None
    if isinstance(value, random.RandomDistribution):
        p = value.parameters
        if value.name == "normal":
            return {"distribution": "normal", "mean": float(p["mu"]), "sd": float(p["sigma"])}
        if value.name == "uniform":
            return {"distribution": "uniform", "low": float(p["low"]), "high": float(p["high"])}
        raise NotImplementedError(
            "micromeso.pynn: initial %s of population '%s' from RandomDistribution('%s'): only 'normal' and "
            "'uniform' (or a number)" % (var, pop.label, value.name))
    if callable(value):
        value = np.array([value(i) for i in range(pop.size)], dtype=float)
    if isinstance(value, (list, tuple)):
        value = np.asarray(value, dtype=float)
    return float(_homogeneous("initial " + var, value, "population '%s'" % pop.label))


def _distribution(value, what):
    """(mean, relative sd, RandomDistribution or None) of a weight or delay."""
    value = _base(value)
    if isinstance(value, random.RandomDistribution):
        p = value.parameters
        if value.name == "normal" and p["sigma"] == 0:
            return float(p["mu"]), 0.0, None
        if value.name in ("normal_clipped", "normal_clipped_to_boundary"):
            mu, sigma = float(p["mu"]), float(p["sigma"])
            return mu, (sigma / abs(mu) if mu != 0 else math.inf), value
        raise NotImplementedError(
            "micromeso.pynn: %s from RandomDistribution('%s') is not supported (supported: a number, "
            "'normal_clipped', 'normal_clipped_to_boundary')" % (what, value.name))
    if isinstance(value, np.ndarray):
        value = _homogeneous(what, value, "a projection")
    return float(value), 0.0, None


def _weight(prj, pop_name):
    mean_nA, rel_sd, dist = _distribution(prj.synapse_type.parameter_space["weight"], "weight of " + prj.label)
    entry = {"weight": mean_nA * 1000.0, "receptor": prj.receptor_type}
    if dist is not None:
        low, high = float(dist.parameters["low"]), float(dist.parameters["high"])
        wanted = (0.0, math.inf) if prj.receptor_type == "excitatory" else (-math.inf, 0.0)
        if (low, high) != wanted:
            raise NotImplementedError(
                "micromeso.pynn: %s weights of %s from %s with (low, high) = (%g, %g): micromeso bounds a drawn "
                "weight only by its sign, (low, high) = (%g, %g)" % (prj.receptor_type, prj.label, dist.name, low,
                                                                     high, *wanted))
        entry["weight_rel_sd"] = rel_sd
        entry["weight_sign"] = "redraw" if dist.name == "normal_clipped" else "clip"
    return entry


def _delay(prj, dt):
    mean, rel_sd, dist = _distribution(prj.synapse_type.parameter_space["delay"], "delay of " + prj.label)
    entry = {"delay": mean}
    if dist is not None:
        low, high = float(dist.parameters["low"]), float(dist.parameters["high"])
        if dist.name != "normal_clipped" or low > dt / 2 or high != math.inf:
            raise NotImplementedError(
                "micromeso.pynn: delays of %s from %s(low=%g, high=%g): micromeso takes normal_clipped delays "
                "with low <= dt/2 = %g ms and high = inf (it redraws draws below dt/2 and rounds to the dt grid)"
                % (prj.label, dist.name, low, high, dt / 2))
        entry["delay_rel_sd"] = rel_sd
    return entry


def _names(populations):
    names, used = {}, set()
    for i, pop in enumerate(populations):
        base = re.sub(r"[^A-Za-z0-9_]", "_", pop.label or "") or "population%d" % i
        name, k = base[:240], 2
        while name in used:
            name = "%s_%d" % (base[:240], k)
            k += 1
        used.add(name)
        names[pop] = name
    return names


def _poisson_merges(state):
    """Projections OneToOne from a SpikeSourcePoisson that become the target's `poisson` input
    (the others stay one_to_one projections)."""
    merged = {}
    for prj in state.projections:
        pre = prj.pre
        if (type(prj._connector).__name__ != "OneToOneConnector" or not isinstance(pre.celltype, SpikeSourcePoisson)
                or pre.size != prj.post.size or pre.recorder.recorded.get("spikes")
                or sum(p.pre is pre for p in state.projections) != 1):
            continue
        p = _parameters(pre)
        mean_nA, rel_sd, _ = _distribution(prj.synapse_type.parameter_space["weight"], "weight of " + prj.label)
        if float(p["start"]) == 0.0 and float(p["start"]) + float(p["duration"]) >= NEVER_MS and rel_sd == 0.0:
            merged[prj] = (float(p["rate"]), mean_nA * 1000.0)
    return merged


def _currents(sources):
    """dc (pA) or step_current of the sum of the current sources of one population."""
    steps = [src.steps() for src in sources]
    if all(len(s) == 2 and s[0][0] <= 0.0 and s[1][0] >= NEVER_MS for s in steps):
        return {"dc": sum(s[0][1] for s in steps)}
    times = sorted({t for s in steps for t, _ in s if t < NEVER_MS})

    def amplitude(s, t):
        value = 0.0
        for time, a in s:
            if time <= t:
                value = a
        return value

    values = [sum(amplitude(s, t) for s in steps) for t in times]
    return {"step_current": {"amplitude_times": [max(t, 0.0) for t in times], "amplitude_values": values}}


def projection_indices(state):
    """{Projection: its index in the circuit's projections} (Poisson inputs have none)."""
    merged = _poisson_merges(state)
    kept = [prj for prj in state.projections if prj not in merged]
    return {prj: k for k, prj in enumerate(kept)}


def circuit_dict(state, simtime):
    """(circuit dict, {Population: circuit population name or None}) of the network in `state`."""
    dt = state.dt
    merged = _poisson_merges(state)
    dropped = {prj.pre for prj in merged}
    kept = [p for p in state.populations if p not in dropped]
    names = _names(kept)
    populations, multimeters = [], []
    for pop in kept:
        entry = {"name": names[pop], "size": pop.size, "model": pop.celltype.circuit_model}
        params = _parameters(pop)
        if isinstance(pop.celltype, SpikeSourcePoisson):
            entry["rate"] = float(params["rate"])
            entry["start"] = float(params["start"])
            entry["stop"] = float(params["start"]) + float(params["duration"])
        elif isinstance(pop.celltype, SpikeSourceArray):
            times = params["spike_times"]
            entry["spike_times"] = (_seq(times) if isinstance(times, Sequence)
                                    else [_seq(t) for t in np.asarray(times, dtype=object).ravel()])
        else:
            for k, v in params.items():
                if isinstance(v, np.ndarray) and v.dtype == object:
                    if any(not np.array_equal(_seq(x), _seq(v.flat[0])) for x in v.flat):
                        raise NotImplementedError(
                            "micromeso.pynn: %s of population '%s' differs between neurons; a micromeso population "
                            "is homogeneous" % (k, pop.label))
                    v = v.flat[0]
                entry[k] = _seq(v) if isinstance(v, Sequence) else float(v)
            v0 = _initial_potential(pop)
            if v0 is not None:
                entry["V_m"] = v0
        populations.append(entry)
        for variable, ids in pop.recorder.recorded.items():
            if variable == "spikes" or not ids:
                continue
            native = pop.celltype.recorded_variables[variable][0]
            multimeters.append({"population": names[pop], "record_from": [native],
                                "neurons": sorted(int(pop.id_to_index(i)) for i in ids),
                                "interval": float(pop.recorder.sampling_interval)})
    by_name = {e["name"]: e for e in populations}
    for prj, (rate, weight) in merged.items():
        target = by_name[names[prj.post]]
        if "poisson" in target and target["poisson"]["weight"] != weight:
            raise NotImplementedError(
                "micromeso.pynn: %s: a population takes one Poisson input weight; two OneToOne Poisson sources "
                "with different weights target '%s'" % (prj.label, prj.post.label))
        if "poisson" in target:
            target["poisson"]["rate"] += rate
        else:
            target["poisson"] = {"indegree": 1, "rate": rate, "weight": weight}
    per_population = {}
    for source, pop in state.current_sources:
        per_population.setdefault(pop, []).append(source)
    for pop, sources in per_population.items():
        by_name[names[pop]].update(_currents(sources))
    projections = []
    for prj in state.projections:
        if prj in merged:
            continue
        c = prj._connector
        kind = type(c).__name__
        entry = {"source": names[prj.pre], "target": names[prj.post]}
        if kind == "AllToAllConnector":
            entry.update(rule="pairwise_bernoulli", probability=1.0)
        elif kind == "FixedProbabilityConnector":
            entry.update(rule="pairwise_bernoulli", probability=float(c.p_connect))
        elif kind == "FixedTotalNumberConnector":
            entry.update(rule="fixed_total_number", n_synapses=int(c.n))
        elif kind == "FixedNumberPreConnector":
            entry.update(rule="fixed_indegree", indegree=int(c.n), allow_multapses=bool(c.with_replacement))
        elif kind == "FixedNumberPostConnector":
            entry.update(rule="fixed_outdegree", outdegree=int(c.n), allow_multapses=bool(c.with_replacement))
        elif kind == "OneToOneConnector":
            entry.update(rule="one_to_one")
        if prj.pre is prj.post:
            entry["allow_autapses"] = bool(c.allow_self_connections)
        entry.update(_weight(prj, names[prj.post]))
        entry.update(_delay(prj, dt))
        projections.append(entry)
    record_spikes = any(p.recorder.recorded.get("spikes") for p in kept)
    circuit = {
        "name": "pynn",
        "description": "a PyNN network (micromeso.pynn)",
        "simulation": {"dt": dt, "t_sim": simtime, "t_presim": 0.0, "seed": int(state.seed),
                       "record_spikes": bool(record_spikes)},
        "population": populations,
    }
    if projections:
        circuit["projection"] = projections
    if multimeters:
        circuit["multimeter"] = multimeters
    names.update({p: None for p in dropped})
    return circuit, names
