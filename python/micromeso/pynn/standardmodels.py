"""The PyNN model types micromeso.pynn takes, with their translation to the
circuit file's models (NEST's names and units: mV, ms, pF, pA, nS, Hz).

Cells: IF_curr_exp (-> iaf_psc_exp), the native gif_psc_exp (NEST's names
and units), SpikeSourcePoisson (-> poisson_generator), SpikeSourceArray
(-> spike_generator). Current sources: DCSource, StepCurrentSource (-> the
population's dc and step_current). Synapses: StaticSynapse.
"""
import numpy as np
from pyNN import errors, models
from pyNN.parameters import ParameterSpace, Sequence
from pyNN.standardmodels import build_translations, cells, electrodes, synapses

from . import simulator


class IF_curr_exp(cells.IF_curr_exp):
    __doc__ = cells.IF_curr_exp.__doc__
    # PyNN's names and units to NEST's (the circuit file's): nF -> pF, nA -> pA.
    translations = build_translations(
        ('v_rest', 'E_L'),
        ('v_reset', 'V_reset'),
        ('cm', 'C_m', 1000.0),
        ('tau_m', 'tau_m'),
        ('tau_refrac', 't_ref'),
        ('tau_syn_E', 'tau_syn_ex'),
        ('tau_syn_I', 'tau_syn_in'),
        ('v_thresh', 'V_th'),
        ('i_offset', 'I_e', 1000.0),
    )
    circuit_model = "iaf_psc_exp"
    initial_potential = "v"
    # recordable PyNN variable -> (state.h5 variable, factor to PyNN's unit)
    recorded_variables = {"v": ("V_m", 1.0), "isyn_exc": ("I_syn_ex", 1e-3), "isyn_inh": ("I_syn_in", 1e-3)}
    recordable = ["spikes", "v", "isyn_exc", "isyn_inh"]


class gif_psc_exp(models.BaseCellType):
    """Escape-noise neuron with threshold adaptation (NEST's gif_psc_exp as micromeso
    models it, Schwalger et al. 2017): hazard lambda_0 exp((V - V_T) / Delta_V), V_T =
    V_T_star + sum_j theta_j, each theta_j jumping by q_sfa[j] at a spike and decaying with
    tau_sfa[j]. Parameters in NEST's names and units: C_m (pF), g_L (nS), E_L, V_reset,
    V_T_star, Delta_V (mV), t_ref, tau_syn_ex, tau_syn_in (ms), I_e (pA), lambda_0 (1/s),
    tau_sfa (ms), q_sfa (mV). Synaptic weights, as for every micromeso.pynn cell, in nA.
    Record 'spikes', 'V_m' (mV), 'E_sfa' (mV), 'I_syn_ex', 'I_syn_in' (pA)."""

    default_parameters = {
        'C_m': 80.0, 'g_L': 4.0, 'E_L': -70.0, 'V_reset': -55.0, 't_ref': 4.0, 'tau_syn_ex': 2.0,
        'tau_syn_in': 2.0, 'I_e': 0.0, 'V_T_star': -35.0, 'Delta_V': 0.5, 'lambda_0': 1.0,
        'tau_sfa': Sequence([]), 'q_sfa': Sequence([]),
    }
    default_initial_values = {'V_m': -70.0}
    units = {'V_m': 'mV', 'E_sfa': 'mV', 'I_syn_ex': 'pA', 'I_syn_in': 'pA', 'C_m': 'pF', 'g_L': 'nS',
             'E_L': 'mV', 'V_reset': 'mV', 't_ref': 'ms', 'tau_syn_ex': 'ms', 'tau_syn_in': 'ms', 'I_e': 'pA',
             'V_T_star': 'mV', 'Delta_V': 'mV', 'lambda_0': '1/s', 'tau_sfa': 'ms', 'q_sfa': 'mV'}
    recordable = ['spikes', 'V_m', 'E_sfa', 'I_syn_ex', 'I_syn_in']
    recorded_variables = {v: (v, 1.0) for v in ['V_m', 'E_sfa', 'I_syn_ex', 'I_syn_in']}
    receptor_types = ('excitatory', 'inhibitory')
    conductance_based = False
    circuit_model = "gif_psc_exp"
    initial_potential = "V_m"

    @property
    def native_parameters(self):
        return self.parameter_space


class SpikeSourcePoisson(cells.SpikeSourcePoisson):
    __doc__ = cells.SpikeSourcePoisson.__doc__
    translations = build_translations(('rate', 'rate'), ('start', 'start'), ('duration', 'duration'))
    circuit_model = "poisson_generator"
    recorded_variables = {}


class SpikeSourceArray(cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    translations = build_translations(('spike_times', 'spike_times'))
    circuit_model = "spike_generator"
    recorded_variables = {}


class _CurrentSource(object):
    """Remembers the populations it is injected into; run() turns it into each
    population's dc or step_current (amplitudes nA -> pA)."""

    def inject_into(self, cells):
        from .populations import Population
        if not isinstance(cells, Population):
            raise NotImplementedError(
                "micromeso.pynn: %s.inject_into(%s): a current source is injected into every neuron of a whole "
                "Population (a circuit population's dc or step_current), not into a %s"
                % (type(self).__name__, type(cells).__name__, type(cells).__name__))
        if not cells.celltype.injectable:
            raise errors.ConnectionError("%s is a spike source and cannot take a current" % cells.label)
        simulator.state.current_sources.append((self, cells))

    def set_native_parameters(self, parameters):
        parameters.shape = (1,)
        parameters.evaluate(simplify=True)
        self._native = dict(parameters.items())

    def get_native_parameters(self):
        return ParameterSpace(dict(self._native), self.get_schema(), (1,))

    def __init__(self, **parameters):
        super().__init__(**parameters)
        self.set_native_parameters(self.translate(self.parameter_space))

    def steps(self):
        """[(time ms, amplitude pA)]: the amplitude from each time on (0 before the first)."""
        raise NotImplementedError


class DCSource(_CurrentSource, electrodes.DCSource):
    __doc__ = electrodes.DCSource.__doc__
    translations = build_translations(('amplitude', 'amplitude', 1000.0), ('start', 'start'), ('stop', 'stop'))

    def steps(self):
        p = self._native
        return [(float(p['start']), float(p['amplitude'])), (float(p['stop']), 0.0)]


class StepCurrentSource(_CurrentSource, electrodes.StepCurrentSource):
    __doc__ = electrodes.StepCurrentSource.__doc__
    translations = build_translations(('amplitudes', 'amplitudes', 1000.0), ('times', 'times'))

    def steps(self):
        times = np.asarray(self._native['times'].value if isinstance(self._native['times'], Sequence)
                           else self._native['times'], dtype=float)
        amps = np.asarray(self._native['amplitudes'].value if isinstance(self._native['amplitudes'], Sequence)
                          else self._native['amplitudes'], dtype=float)
        if times.shape != amps.shape:
            raise ValueError("StepCurrentSource: %d times but %d amplitudes" % (times.size, amps.size))
        return list(zip(times.tolist(), amps.tolist()))


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = build_translations(('weight', 'weight'), ('delay', 'delay'))

    def _get_minimum_delay(self):
        return simulator.state.min_delay
