"""Projections of micromeso.pynn: kept as (connector, synapse) and turned into
a circuit projection rule at run(); the synapses are drawn by micromeso."""
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
        translate.check_synapse(self.synapse_type)
        simulator.state.projections.append(self)

    def __len__(self):
        raise NotImplementedError("micromeso.pynn: the synapses are drawn by micromeso at run(); their number is "
                                  "in the run's summary (micromeso.pynn.get_run_result().summary['synapses'])")

    def set(self, **attributes):
        raise NotImplementedError("micromeso.pynn: Projection.set() is not supported; give the weights and delays "
                                  "to the synapse type")

    def get(self, *args, **kwargs):
        raise NotImplementedError("micromeso.pynn: Projection.get() is not supported (the synapses live in the "
                                  "engine, not in Python)")
