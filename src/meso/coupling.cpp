#include "meso/coupling.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "micromeso/meso.hpp"
#include "micromeso/physics/synapse_draw.hpp"

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
    // The mean in-degree, as for every rule: the mesoscopic equations see a
    // target's mean input (mean-field), not which sources it comes from.
    case ConnectionRule::fixed_outdegree: return static_cast<double>(pr.outdegree) * n_source / n_target;
    case ConnectionRule::one_to_one: return 1.0;
  }
  return 0.0;
}

std::uint32_t mean_delay_steps(const Projection& pr, double dt_ms) {
  return static_cast<std::uint32_t>(std::max(1.0, std::round(pr.delay_ms / dt_ms)));
}

std::vector<std::pair<std::uint32_t, double>> delay_distribution_steps(const Projection& pr, double dt_ms) {
  const double mean = pr.delay_ms, sd = pr.delay_ms * pr.delay_rel_sd;
  if (!(sd > 0.0)) return {{mean_delay_steps(pr, dt_ms), 1.0}};
  // The micro engine's draw (physics/synapse_draw.hpp, draw_delay): normal,
  // redrawn outside [dt/2, mean + kDelayTailSd sd], rounded to the grid;
  // step d takes [(d - 1/2) dt, (d + 1/2) dt) of that truncated normal.
  const double lo = 0.5 * dt_ms, hi = mean + physics::kDelayTailSd * sd;
  const auto cdf = [&](double x) { return 0.5 * std::erfc(-(x - mean) / (sd * std::sqrt(2.0))); };
  std::vector<std::pair<std::uint32_t, double>> steps;
  double total = 0.0;
  for (auto d = static_cast<std::uint32_t>(std::max(1.0, std::floor(lo / dt_ms + 0.5)));
       double(d) - 0.5 <= hi / dt_ms; ++d) {
    const double p = cdf(std::min(hi, (double(d) + 0.5) * dt_ms)) - cdf(std::max(lo, (double(d) - 0.5) * dt_ms));
    if (p > 1e-9) steps.emplace_back(d, p);
    total += p > 1e-9 ? p : 0.0;
  }
  if (!(total > 0.0)) return {{mean_delay_steps(pr, dt_ms), 1.0}};
  for (auto& step : steps) step.second /= total;
  return steps;
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
    if (in.weight_per_spike_pA == 0.0) continue;
    if (c.populations[tgt].neuron.model == NeuronModel::iaf_psc_exp) {
      // Hard-threshold targets take the spread of delays (below): one input
      // per delay step with its share of the weight.
      const double weight = in.weight_per_spike_pA;
      for (const auto& [steps, probability] : delay_distribution_steps(pr, dt)) {
        in.delay_steps = steps;
        in.weight_per_spike_pA = weight * probability;
        coupling[tgt].inputs.push_back(in);
      }
      continue;
    }
    in.delay_steps = mean_delay_steps(pr, dt);
    coupling[tgt].inputs.push_back(in);
  }
  return coupling;
}

void set_delay_window(DelayFilter& filter) {
  std::uint32_t shortest = UINT32_MAX;
  filter.longest = 0;
  for (const auto& [delay, probability] : filter.taps) {
    shortest = std::min(shortest, delay);
    filter.longest = std::max(filter.longest, delay);
  }
  filter.window.assign(filter.taps.empty() ? 0 : filter.longest - shortest + 1, 0.0);
  for (const auto& [delay, probability] : filter.taps) filter.window[filter.longest - delay] += probability;
}

DelayedCoupling make_delayed_coupling(const Circuit& c) {
  const double dt = c.simulation.dt_ms;
  DelayedCoupling d;
  d.inputs.resize(c.populations.size());
  for (const Projection& pr : c.projections) {
    const auto src = static_cast<std::size_t>(c.population_index(pr.source));
    const auto tgt = static_cast<std::size_t>(c.population_index(pr.target));
    const double weight = mean_synapses_per_target(c, pr) / static_cast<double>(c.populations[src].size) * pr.weight_pA;
    if (weight == 0.0) continue;
    // As make_coupling: the distribution of delays onto hard-threshold targets, the mean delay otherwise.
    DelayFilter filter{src, c.populations[tgt].neuron.model == NeuronModel::iaf_psc_exp
                                ? delay_distribution_steps(pr, dt)
                                : std::vector<std::pair<std::uint32_t, double>>{{mean_delay_steps(pr, dt), 1.0}},
                       0, {}};
    const auto same = [&](const DelayFilter& f) { return f.source == filter.source && f.taps == filter.taps; };
    auto found = std::find_if(d.filters.begin(), d.filters.end(), same);
    const auto index = static_cast<std::size_t>(found - d.filters.begin());
    if (found == d.filters.end()) {
      set_delay_window(filter);
      d.filters.push_back(std::move(filter));
    }
    d.inputs[tgt].push_back(FilteredInput{index, weight, pr.receptor == Receptor::excitatory});
  }
  return d;
}

}  // namespace micromeso::meso
