#include "meso/coupling.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "micromeso/meso.hpp"

namespace micromeso::meso {

double mean_synapses_per_target(const Circuit& c, const Projection& pr) {
  const int src = c.population_index(pr.source), tgt = c.population_index(pr.target);
  const double n_source = static_cast<double>(c.populations[src].size);
  const double n_target = static_cast<double>(c.populations[tgt].size);
  switch (pr.rule) {
    case ConnectionRule::fixed_total_number: return static_cast<double>(pr.n_synapses) / n_target;
    case ConnectionRule::pairwise_bernoulli:
      return pr.probability * (src == tgt && !pr.allow_autapses ? n_source - 1.0 : n_source);
    case ConnectionRule::fixed_indegree: return static_cast<double>(pr.indegree);
  }
  return 0.0;
}

std::uint32_t mean_delay_steps(const Projection& pr, double dt_ms) {
  return static_cast<std::uint32_t>(std::max(1.0, std::round(pr.delay_ms / dt_ms)));
}

std::vector<PopulationCoupling> make_coupling(const Circuit& c) {
  check_meso_circuit(c);
  const double dt = c.simulation.dt_ms;
  std::vector<PopulationCoupling> coupling(c.populations.size());
  for (std::size_t i = 0; i < c.populations.size(); ++i) {
    const Population& p = c.populations[i];
    PopulationCoupling& pc = coupling[i];
    pc.constant_current_pA = p.neuron.I_e_pA + p.dc_pA;
    const double mean_per_step = p.poisson.indegree * p.poisson.rate_hz * 1e-3 * dt * p.poisson.weight_pA;
    (p.poisson.weight_pA >= 0.0 ? pc.external_ex_pA_per_step : pc.external_in_pA_per_step) += mean_per_step;
  }
  for (const Projection& pr : c.projections) {
    const auto src = static_cast<std::size_t>(c.population_index(pr.source));
    const auto tgt = static_cast<std::size_t>(c.population_index(pr.target));
    CouplingInput in;
    in.source = src;
    const double n_source = static_cast<double>(c.populations[src].size);
    in.weight_per_spike_pA = mean_synapses_per_target(c, pr) / n_source * pr.weight_pA;
    in.excitatory = pr.receptor == Receptor::excitatory;
    in.delay_steps = mean_delay_steps(pr, dt);
    if (in.weight_per_spike_pA != 0.0) coupling[tgt].inputs.push_back(in);
  }
  return coupling;
}

}  // namespace micromeso::meso
