"""Projections of micromeso.pynn: kept as (connector, synapse) and turned into
a circuit projection rule at run(); the synapses are drawn by micromeso."""
import numpy as np
from pyNN import common
from pyNN.space import Space

from . import simulator
from .standardmodels import StaticSynapse


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator
    _static_synapse_class = StaticSynapse

    def __init__(self, presynaptic_population, postsynaptic_population, connector, synapse_type=None,
                 source=None, receptor_type=None, space=Space(), label=None):
        from .populations import Population
        from . import translate
        common.Projection.__init__(self, presynaptic_population, postsynaptic_population, connector,
                                   synapse_type, source, receptor_type, space, label)
        for end, pop in (("presynaptic", self.pre), ("postsynaptic", self.post)):
            if not isinstance(pop, Population):
                raise NotImplementedError(
                    "micromeso.pynn: the %s side of a Projection must be a whole Population, not a %s "
                    "(a circuit projection connects two populations)" % (end, type(pop).__name__))
        translate.check_connector(connector)
        translate.check_projection_sizes(connector, self.pre, self.post)
        translate.check_synapse(self.synapse_type)
        simulator.state.projections.append(self)

    def _synapses(self):
        """This projection's synapses as run() draws them (micromeso.connections)."""
        import micromeso
        from . import translate
        state = simulator.state
        index = translate.projection_indices(state).get(self)
        if index is None:
            raise NotImplementedError(
                "micromeso.pynn: %s is simulated as the Poisson input of each target neuron (a OneToOne from a "
                "SpikeSourcePoisson that never ends): it has no synapses to show" % self.label)
        circuit, _ = translate.circuit_dict(state, max(state.t, state.dt))
        return micromeso.connections(circuit, index, threads=state.options.get("threads", 1) or 1)

    def __len__(self):
        """The number of synapses, as run() draws them (the same seed gives the same synapses)."""
        return len(self._synapses()["source"])

    def set(self, **attributes):
        raise NotImplementedError("micromeso.pynn: Projection.set() is not supported; give the weights and delays "
                                  "to the synapse type")

    def get(self, attribute_names, format, gather=True, with_address=True, multiple_synapses="sum"):
        """Weights (nA) and delays (ms) of the synapses as run() draws them, PyNN's formats:
        'list' ([(i, j, values...)], by source) or 'array' (pre.size x post.size, nan where
        there is no synapse; multiple_synapses 'sum', 'min', 'max', 'first' or 'last')."""
        names = [attribute_names] if isinstance(attribute_names, str) else list(attribute_names)
        columns = {"weight": lambda s: s["weight_pA"] / 1000.0, "delay": lambda s: s["delay_ms"]}
        for name in names:
            if name not in columns:
                raise NotImplementedError("micromeso.pynn: Projection.get('%s'): only 'weight' and 'delay'" % name)
        s = self._synapses()
        values = [columns[name](s) for name in names]
        if format == "list":
            address = [s["source"], s["target"]] if with_address else []
            return [tuple(x.item() for x in row) for row in zip(*address, *values)]
        if format != "array":
            raise ValueError("Projection.get(format=%r): expected 'list' or 'array'" % (format,))
        if multiple_synapses not in ("sum", "min", "max", "first", "last"):
            raise ValueError("Projection.get(multiple_synapses=%r): expected 'sum', 'min', 'max', 'first' or "
                             "'last'" % (multiple_synapses,))
        shape = (self.pre.size, self.post.size)
        flat = s["source"].astype(np.int64) * self.post.size + s["target"]
        has = np.zeros(shape[0] * shape[1], dtype=bool)
        has[flat] = True
        arrays = []
        for v in values:
            a = np.zeros(shape[0] * shape[1]) if multiple_synapses == "sum" else np.full(shape[0] * shape[1], np.nan)
            if multiple_synapses in ("sum", "min", "max"):
                {"sum": np.add, "min": np.fmin, "max": np.fmax}[multiple_synapses].at(a, flat, v)
            else:  # the first (or last) synapse of each pair in the source's order
                order = np.arange(len(flat)) if multiple_synapses == "first" else np.arange(len(flat))[::-1]
                _, at = np.unique(flat[order], return_index=True)
                a[flat[order][at]] = v[order][at]
            a[~has] = np.nan
            arrays.append(a.reshape(shape))
        return arrays[0] if isinstance(attribute_names, str) else arrays
