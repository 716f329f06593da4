// Per-population constants of the neuron update, computed once on the host
// from the circuit (propagators, Poisson constants, fixed-point weights) and
// shared by every backend.
#pragma once

#include <cstdint>
#include <vector>

#include "micromeso/circuit.hpp"
#include "micromeso/physics/fixed_point.hpp"
#include "micromeso/physics/neuron_models.hpp"
#include "micromeso/physics/initial_state.hpp"
#include "micromeso/physics/poisson.hpp"
#include "model/engine_constants.hpp"

namespace micromeso::micro {

struct PopulationSetup {
  std::uint64_t first = 0, size = 0;  // global ids [first, first + size)
  NeuronConstants neuron;             // the model's constants (engine_constants.hpp)
  physics::PoissonConstants poisson{};
  physics::WeightFixed poisson_weight = 0;  // per external spike
  physics::InitialPotentialParams v_init{};

  double E_L_mV() const { return neuron.E_L_mV; }
  int n_aux() const { return physics::aux_per_neuron(neuron.model); }
  // The model's constants with the adaptation arrays of this object; valid while it lives.
  physics::ModelConstants constants() const { return neuron.with_arrays(); }
};

// Initial state of the population's neurons, [local]: V from v_init
// (relative to E_L), no current, not refractory; and their auxiliary values,
// [k * size + local] (physics::initial_aux). Host-side, for every backend.
void initial_states(const PopulationSetup& pop, std::uint64_t seed, physics::MembraneState* state,
                    std::vector<double>& aux);

std::vector<PopulationSetup> make_population_setups(const Circuit& circuit);

// Steps per a duration that validate_circuit has checked is a multiple of dt.
std::uint64_t steps_of(double duration_ms, double dt_ms);

}  // namespace micromeso::micro
