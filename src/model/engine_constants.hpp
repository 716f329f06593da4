// The constants every engine derives from a population's neuron parameters
// at a time step: the exact-integration propagators, potentials relative to
// E_L, the escape rate per ms, the refractory period in steps and the
// adaptation decays. Made here once, for the CPU and GPU engines
// (micro::make_population_setups) and the meso engine
// (meso::make_population_constants), so that every engine describes the same
// neurons with the same numbers.
#pragma once

#include <vector>

#include "micromeso/circuit.hpp"
#include "micromeso/physics/gif_psc_exp.hpp"
#include "micromeso/physics/iaf_psc_exp.hpp"

namespace micromeso {

struct NeuronConstants {
  double E_L_mV = 0.0;
  physics::IafConstants iaf{};
  physics::GifConstants gif{};  // its sfa pointers are null: the arrays are below
  std::vector<double> sfa_decay, q_sfa_mV;  // gif_psc_exp: exp(-dt / tau_sfa_j) and q_sfa_j, per trace
};

NeuronConstants neuron_constants(const Population& population, double dt_ms);

}  // namespace micromeso
