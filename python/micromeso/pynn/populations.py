"""Populations of micromeso.pynn: each becomes one circuit population at run()."""
import numpy as np
from pyNN import common
from pyNN.parameters import ParameterSpace, simplify

from . import simulator
from .recording import Recorder


class Assembly(common.Assembly):
    _simulator = simulator


class PopulationView(common.PopulationView):
    _assembly_class = Assembly
    _simulator = simulator

    def _get_parameters(self, *names):
        ps = self.parent._get_parameters(*names)
        ps.evaluate(simplify=False)
        return ParameterSpace({n: simplify(v[self.mask]) for n, v in ps.items()}, shape=(self.size,))

    def _set_parameters(self, parameter_space):
        raise NotImplementedError(
            "micromeso.pynn: parameters are set for a whole Population (a circuit population is homogeneous), "
            "not for a PopulationView")

    def _set_initial_value_array(self, variable, initial_values):
        raise NotImplementedError(
            "micromeso.pynn: initial values are set for a whole Population, not for a PopulationView")

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)


class Population(common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def _create_cells(self):
        celltype = self.celltype
        if not hasattr(celltype, "circuit_model"):
            raise NotImplementedError(
                "micromeso.pynn does not support the cell type %s (supported: IF_curr_exp, gif_psc_exp, "
                "SpikeSourcePoisson, SpikeSourceArray)" % type(celltype).__name__)
        first = simulator.state.id_counter
        self.all_cells = np.array([simulator.ID(i) for i in range(first, first + self.size)], dtype=simulator.ID)
        self._mask_local = np.ones(self.size, dtype=bool)
        for cell in self.all_cells:
            cell.parent = self
        simulator.state.id_counter += self.size
        self._parameters = celltype.native_parameters
        self._parameters.shape = (self.size,)
        simulator.state.populations.append(self)

    def _get_parameters(self, *names):
        return ParameterSpace({n: self._parameters[n] for n in names}, shape=(self.size,))

    def _set_parameters(self, parameter_space):
        for name, value in parameter_space.items():
            self._parameters[name] = value

    def _set_initial_value_array(self, variable, initial_values):
        pass  # kept in self.initial_values (common.Population.initialize), read at run()

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)
