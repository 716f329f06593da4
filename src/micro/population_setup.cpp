#include "micro/population_setup.hpp"

#include <cmath>

#include <fmt/format.h>

#include "model/engine_constants.hpp"

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
    s.model = pop.neuron.model;
    s.first = first;
    s.size = pop.size;
    first += pop.size;
    NeuronConstants k = neuron_constants(pop, h);
    s.E_L_mV = k.E_L_mV;
    s.iaf = k.iaf;
    s.gif_without_arrays = k.gif;
    s.sfa_decay = std::move(k.sfa_decay);
    s.q_sfa_mV = std::move(k.q_sfa_mV);
    const PoissonInput& in = pop.poisson;
    const double mean_per_step = in.indegree * in.rate_hz * h * 1e-3;
    if (mean_per_step > physics::kPoissonChunkMean * 4 * physics::kPoissonBlocks)
      throw CircuitError(fmt::format(
          "population {}: Poisson input of {} spikes per step (indegree x rate x dt) exceeds the "
          "supported {}", pop.name, mean_per_step, physics::kPoissonChunkMean * 4 * physics::kPoissonBlocks));
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

}  // namespace micromeso::micro
