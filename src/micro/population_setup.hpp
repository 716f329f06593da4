// Per-population constants of the neuron update, computed once on the host
// from the circuit (propagators, Poisson constants, fixed-point weights) and
// shared by every backend.
#pragma once

#include <cstdint>
#include <vector>

#include "micromeso/circuit.hpp"
#include "micromeso/physics/fixed_point.hpp"
#include "micromeso/physics/gif_psc_exp.hpp"
#include "micromeso/physics/iaf_psc_exp.hpp"
#include "micromeso/physics/initial_state.hpp"
#include "micromeso/physics/poisson.hpp"

namespace micromeso::micro {

struct PopulationSetup {
  NeuronModel model;
  std::uint64_t first = 0, size = 0;  // global ids [first, first + size)
  physics::IafConstants iaf{};
  physics::GifConstants gif_without_arrays{};  // sfa pointers filled by gif()
  std::vector<double> sfa_decay, q_sfa_mV;
  physics::PoissonConstants poisson{};
  physics::WeightFixed poisson_weight = 0;  // per external spike
  physics::InitialPotentialParams v_init{};
  double E_L_mV = 0.0;

  // GifConstants pointing into this object's arrays; valid while it lives.
  physics::GifConstants gif() const {
    physics::GifConstants g = gif_without_arrays;
    g.sfa_decay = sfa_decay.data();
    g.q_sfa_mV = q_sfa_mV.data();
    return g;
  }
  int n_sfa() const { return static_cast<int>(sfa_decay.size()); }
};

std::vector<PopulationSetup> make_population_setups(const Circuit& circuit);

// Steps per a duration that validate_circuit has checked is a multiple of dt.
std::uint64_t steps_of(double duration_ms, double dt_ms);

}  // namespace micromeso::micro
