#include "micro/population_setup.hpp"

#include <cmath>

#include <fmt/format.h>

namespace micromeso::micro {

std::uint64_t steps_of(double duration_ms, double dt_ms) {
  return static_cast<std::uint64_t>(std::llround(duration_ms / dt_ms));
}

std::vector<PopulationSetup> make_population_setups(const Circuit& c) {
  const double h = c.simulation.dt_ms;
  std::vector<PopulationSetup> setups;
  std::uint64_t first = 0;
  for (const Population& pop : c.populations) {
    PopulationSetup s;
    s.first = first;
    s.size = pop.size;
    first += pop.size;
    s.neuron = neuron_constants(pop, h);
    s.neuron.model.generator.first_gid = static_cast<std::uint32_t>(s.first);
    const PoissonInput& in = pop.poisson;
    const double mean_per_step = in.indegree * in.rate_hz * h * 1e-3;
    if (mean_per_step > physics::kPoissonMaxMeanPerStep)
      throw CircuitError(fmt::format(
          "population {}: Poisson input of {} spikes per step (indegree x rate x dt) exceeds the "
          "supported {}", pop.name, mean_per_step, physics::kPoissonMaxMeanPerStep));
    if (std::abs(in.weight_pA) > physics::kMaxAbsWeightPA)
      throw CircuitError(fmt::format("population {}: Poisson weight {} pA exceeds +-{:.0f} pA", pop.name,
                                     in.weight_pA, physics::kMaxAbsWeightPA));
    if (in.weight_pA != 0.0) s.poisson = physics::make_poisson_constants(mean_per_step);
    s.poisson_weight = physics::pA_to_fixed(in.weight_pA);
    const InitialPotential& v = pop.v_init;
    switch (v.distribution) {
      case InitDistribution::fixed: s.v_init = {physics::InitialKind::fixed, v.value_mV, 0.0}; break;
      case InitDistribution::normal: s.v_init = {physics::InitialKind::normal, v.mean_mV, v.sd_mV}; break;
      case InitDistribution::uniform: s.v_init = {physics::InitialKind::uniform, v.low_mV, v.high_mV}; break;
    }
    setups.push_back(std::move(s));
  }
  return setups;
}

void initial_states(const PopulationSetup& pop, std::uint64_t seed, physics::MembraneState* state,
                    std::vector<double>& aux) {
  const physics::ModelConstants c = pop.constants();
  aux.assign(pop.size * static_cast<std::uint64_t>(pop.n_aux()), 0.0);
  for (std::uint64_t i = 0; i < pop.size; ++i) {
    const auto gid = static_cast<std::uint32_t>(pop.first + i);
    state[i] = physics::MembraneState{physics::initial_potential_mV(pop.v_init, seed, gid) - pop.E_L_mV(), 0.0, 0.0, 0};
    physics::initial_aux(c, state[i], aux.data() + i, static_cast<long>(pop.size));
  }
}

}  // namespace micromeso::micro
