#include "meso/input_noise.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "meso/coupling.hpp"

namespace micromeso::meso {
namespace {

// Variance of a target neuron's number of synapses from a projection:
// fixed_total_number draws each synapse's target uniformly (binomial,
// C (1 - 1 / N_target)); pairwise_bernoulli C (1 - p); fixed_indegree none.
double indegree_variance(const Circuit& c, const Projection& pr) {
  const double C = mean_synapses_per_target(c, pr);
  switch (pr.rule) {
    case ConnectionRule::fixed_total_number:
      return C * (1.0 - 1.0 / double(c.populations[c.population_index(pr.target)].size));
    case ConnectionRule::pairwise_bernoulli: return C * (1.0 - pr.probability);
    case ConnectionRule::fixed_indegree: return 0.0;
    case ConnectionRule::one_to_one: return 0.0;
    case ConnectionRule::fixed_outdegree: {
      // Each source's K targets: i.i.d. uniform (binomial in-degree, as
      // fixed_total_number) or a uniform K-subset (a sum of Bernoulli(K / N_target)).
      const double n_target = double(c.populations[c.population_index(pr.target)].size);
      return C * (1.0 - (pr.allow_multapses ? 1.0 : double(pr.outdegree)) / n_target);
    }
  }
  return 0.0;
}

// a / C_m (ms / pF) of eps (input_noise.hpp) for synapses of time constant
// tau_syn onto the target's neurons.
double psp_scale(const Population& target, double tau_syn_ms) {
  const NeuronParams& n = target.neuron;
  if (std::abs(n.tau_m_ms - tau_syn_ms) < 1e-9 * n.tau_m_ms)
    throw CircuitError(fmt::format("population '{}': tau_syn = tau_m = {} ms; the input-noise option needs them "
                                   "to differ",
                                   target.name, n.tau_m_ms));
  return tau_syn_ms * n.tau_m_ms / (n.tau_m_ms - tau_syn_ms) / n.C_m_pF;
}

// The private rate fraction and quenched weight-variance factor of a
// projection (input_noise.hpp): a projection adds noise where either is > 0.
double private_fraction(const Circuit& c, const Projection& pr) {
  const double n_source = double(c.populations[c.population_index(pr.source)].size);
  return std::max(0.0, 1.0 - mean_synapses_per_target(c, pr) / n_source);
}
double quenched_factor(const Circuit& c, const Projection& pr) {
  return indegree_variance(c, pr) + mean_synapses_per_target(c, pr) * pr.weight_rel_sd * pr.weight_rel_sd;
}
bool poisson_noise(const Population& p) {
  return !(p.poisson.indegree == 0 || p.poisson.rate_hz == 0.0 || p.poisson.weight_pA == 0.0);
}

}  // namespace

bool InputNoise::has_input_noise(const Circuit& c, std::size_t target) {
  if (poisson_noise(c.populations[target])) return true;
  for (const Projection& pr : c.projections) {
    if (c.population_index(pr.target) != static_cast<int>(target) || pr.weight_pA == 0.0) continue;
    if (private_fraction(c, pr) > 0.0 || quenched_factor(c, pr) > 0.0) return true;
  }
  return false;
}

InputNoise::InputNoise(const Circuit& c, double dt_ms) {
  // eps^2 = (a / C_m)^2 (exp(-2 s/tau_m) + exp(-2 s/tau_syn) - 2 exp(-s (1/tau_m + 1/tau_syn)))
  // and eps = (a / C_m) (exp(-s/tau_m) - exp(-s/tau_syn)) as filters.
  const auto add = [&](Term t, const Population& target, double tau_syn_ms, double mean_sq_weight_pA2,
                       double quenched_sq_weight_pA2) {
    const double scale = psp_scale(target, tau_syn_ms), tau_m = target.neuron.tau_m_ms;
    t.gain_mV2 = mean_sq_weight_pA2 * scale * scale;
    t.square[0] = ExpFilter(2.0 / tau_m, 1.0, dt_ms);
    t.square[1] = ExpFilter(2.0 / tau_syn_ms, 1.0, dt_ms);
    t.square[2] = ExpFilter(1.0 / tau_m + 1.0 / tau_syn_ms, -2.0, dt_ms);
    t.quenched_gain_mV2 = quenched_sq_weight_pA2 * scale * scale;
    t.mean[0] = ExpFilter(1.0 / tau_m, 1.0, dt_ms);
    t.mean[1] = ExpFilter(1.0 / tau_syn_ms, -1.0, dt_ms);
    terms_.push_back(t);
  };
  for (std::size_t i = 0; i < c.populations.size(); ++i) {
    const Population& p = c.populations[i];
    inverse_two_Delta_V_.push_back(0.5 / p.neuron.Delta_V_mV);
    if (!poisson_noise(p)) continue;
    Term t;
    t.target = i;
    t.poisson = true;
    t.excitatory = p.poisson.weight_pA >= 0.0;
    t.rate_per_ms = double(p.poisson.indegree) * p.poisson.rate_hz * 1e-3;
    add(t, p, p.poisson.weight_pA >= 0.0 ? p.neuron.tau_syn_ex_ms : p.neuron.tau_syn_in_ms,
        p.poisson.weight_pA * p.poisson.weight_pA, 0.0);
  }
  for (const Projection& pr : c.projections) {
    const auto src = static_cast<std::size_t>(c.population_index(pr.source));
    const auto tgt = static_cast<std::size_t>(c.population_index(pr.target));
    const double n_source = double(c.populations[src].size);
    const double C = mean_synapses_per_target(c, pr);
    const double private_part = private_fraction(c, pr);
    const double quenched = quenched_factor(c, pr);
    if ((private_part == 0.0 && quenched == 0.0) || pr.weight_pA == 0.0) continue;
    Term t;
    t.target = tgt;
    t.source = src;
    t.excitatory = pr.receptor == Receptor::excitatory;
    t.delay_steps = mean_delay_steps(pr, dt_ms);
    // A count n of the source in one step is a rate n / (N_source h) per neuron.
    t.rate_per_spike = private_part * C / (n_source * dt_ms);
    t.activity_per_spike = 1.0 / (n_source * dt_ms);
    const Population& target = c.populations[tgt];
    add(t, target,
        pr.receptor == Receptor::excitatory ? target.neuron.tau_syn_ex_ms : target.neuron.tau_syn_in_ms,
        pr.weight_pA * pr.weight_pA * (1.0 + pr.weight_rel_sd * pr.weight_rel_sd), quenched * pr.weight_pA * pr.weight_pA);
  }
}

void InputNoise::advance(const std::vector<std::vector<double>>& past_counts, std::size_t ring, std::uint64_t step) {
  excitatory_mV2_.assign(inverse_two_Delta_V_.size(), 0.0);
  inhibitory_mV2_.assign(inverse_two_Delta_V_.size(), 0.0);
  quenched_mV2_.assign(inverse_two_Delta_V_.size(), 0.0);
  for (Term& t : terms_) {
    const double count =
        t.poisson || step < t.delay_steps ? 0.0 : past_counts[t.source][(step - t.delay_steps) % ring];
    const double rate = t.poisson ? t.rate_per_ms : t.rate_per_spike * count;
    double sum = 0.0;
    for (ExpFilter& f : t.square) sum += f.advance(rate);
    (t.excitatory ? excitatory_mV2_ : inhibitory_mV2_)[t.target] += t.gain_mV2 * sum;
    if (t.quenched_gain_mV2 == 0.0) continue;
    const double activity = t.activity_per_spike * count;
    double mean = 0.0;  // int activity(t - s) (exp(-s / tau_m) - exp(-s / tau_syn)) ds
    for (ExpFilter& f : t.mean) mean += f.advance(activity);
    quenched_mV2_[t.target] += t.quenched_gain_mV2 * mean * mean;
  }
}

double InputNoise::variance_mV2(std::size_t target) const {
  return excitatory_mV2_[target] + inhibitory_mV2_[target] + quenched_mV2_[target];
}

ThresholdShift InputNoise::threshold_shift(std::size_t target) const {
  const double k = inverse_two_Delta_V_[target];
  return ThresholdShift{excitatory_mV2_[target] * k, inhibitory_mV2_[target] * k, quenched_mV2_[target] * k};
}

}  // namespace micromeso::meso
