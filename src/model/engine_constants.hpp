// The constants every engine derives from a population's neuron parameters
// at a time step: propagators or integrator constants, potentials relative
// to E_L, the escape rate per ms, the refractory period in steps and the
// adaptation decays. Made here once, for the CPU and GPU engines
// (micro::make_population_setups) and the meso engine
// (meso::make_population_constants), so that every engine describes the same
// neurons with the same numbers.
#pragma once

#include <cstdint>
#include <vector>

#include "micromeso/circuit.hpp"
#include "micromeso/physics/neuron_models.hpp"

namespace micromeso {

struct NeuronConstants {
  double E_L_mV = 0.0;  // 0 for pp_psc_delta, whose V is relative to rest (NEST), and the stimuli
  // The constants of the population's model; the adaptation pointers of gif
  // and pp are null: the arrays are below.
  physics::ModelConstants model{};
  std::vector<double> sfa_decay, q_sfa_mV;  // gif_psc_exp, pp_psc_delta: exp(-dt / tau_sfa_j), q_sfa_j
  // Stimulus populations: their table (physics/spike_generator.hpp).
  std::vector<std::uint64_t> stimulus_table;
  // The population's step current: the steps of its changes and their amplitudes (physics/current_schedule.hpp).
  std::vector<std::uint64_t> current_steps;
  std::vector<double> current_pA;

  // The constants with the adaptation pointers set to this object's arrays;
  // valid while it lives.
  physics::ModelConstants with_arrays() const {
    physics::ModelConstants c = model;
    c.gif.sfa_decay = c.pp.sfa_decay = sfa_decay.data();
    c.gif.q_sfa_mV = c.pp.q_sfa_mV = q_sfa_mV.data();
    c.generator.table = c.poisson_generator.table = stimulus_table.data();
    c.current.steps = current_steps.data();
    c.current.amplitudes_pA = current_pA.data();
    return c;
  }
};

physics::ModelKind model_kind(NeuronModel model);
// The generator's first_gid is left 0: only the engine knows where the
// population starts (make_population_setups sets it).
NeuronConstants neuron_constants(const Population& population, double dt_ms);

// The step in which a stimulus emits a spike stamped t_ms (on the dt grid,
// >= dt: validate_circuit): the step that ends at t.
std::uint64_t spike_step_of_time(double t_ms, double dt_ms);

}  // namespace micromeso
