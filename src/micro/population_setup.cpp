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
    const NeuronParams& n = pop.neuron;
    PopulationSetup s;
    s.model = n.model;
    s.first = first;
    s.size = pop.size;
    first += pop.size;
    s.E_L_mV = n.E_L_mV;
    const auto prop =
        physics::make_exp_synapse_propagators(n.C_m_pF, n.tau_m_ms, n.tau_syn_ex_ms, n.tau_syn_in_ms, h);
    const int refractory = static_cast<int>(steps_of(n.t_ref_ms, h));
    const double I_const = n.I_e_pA + pop.dc_pA;
    s.iaf = physics::IafConstants{prop, n.V_th_mV - n.E_L_mV, n.V_reset_mV - n.E_L_mV, I_const, refractory};
    auto& g = s.gif_without_arrays;
    g.prop = prop;
    g.reset_rel_mV = n.V_reset_mV - n.E_L_mV;
    g.V_T_star_rel_mV = n.V_T_star_mV - n.E_L_mV;
    g.Delta_V_mV = n.Delta_V_mV;
    g.lambda_0_per_ms = n.lambda_0_per_s / 1000.0;
    g.I_const_pA = I_const;
    g.refractory_steps = refractory;
    if (n.model == NeuronModel::gif_psc_exp) {
      g.n_sfa = static_cast<int>(n.tau_sfa_ms.size());
      for (std::size_t j = 0; j < n.tau_sfa_ms.size(); ++j) {
        s.sfa_decay.push_back(std::exp(-h / n.tau_sfa_ms[j]));
        s.q_sfa_mV.push_back(n.q_sfa_mV[j]);
      }
    }
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
