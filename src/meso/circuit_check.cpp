// What the mesoscopic engine needs of a circuit beyond validate_circuit
// (model/circuit_validate.cpp): escape-noise neurons, or hard-threshold
// ones under input noise, and, for circuits
// built in code that never met the validator, the values its arithmetic
// divides by or sizes arrays with. Every message names the population or
// projection and says why.
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "meso/history_length.hpp"
#include "meso/input_noise.hpp"
#include "micromeso/meso.hpp"

namespace micromeso::meso {
namespace {

// Delays are kept in a ring of past counts per population; 2^24 steps
// (28 min at dt 0.1 ms) is far beyond any circuit and keeps the ring small.
constexpr double kMaxDelaySteps = 16777216.0;

[[noreturn]] void refuse(const std::string& where, const std::string& why) {
  throw CircuitError(fmt::format("{}: {}", where, why));
}

void positive(const std::string& where, const char* key, double value, const char* unit) {
  if (!(std::isfinite(value) && value > 0.0))
    refuse(where, fmt::format("{} = {} {}: the mesoscopic engine needs a finite value > 0", key, value, unit));
}

void non_negative(const std::string& where, const char* key, double value, const char* unit) {
  if (!(std::isfinite(value) && value >= 0.0))
    refuse(where, fmt::format("{} = {} {}: the mesoscopic engine needs a finite value >= 0", key, value, unit));
}

void finite(const std::string& where, const char* key, double value, const char* unit) {
  if (!std::isfinite(value))
    refuse(where, fmt::format("{} = {} {}: the mesoscopic engine needs a finite value", key, value, unit));
}

// iaf_psc_exp: its hazard comes from the input fluctuations
// (lif_population.hpp), which must exist, and from coloured noise through a
// membrane kernel that is a sum of exponentials (tau_syn != tau_m). The
// noise is checked once the projections are (check_input_noise).
void check_hard_threshold_population(const Population& p, const std::string& where) {
  const NeuronParams& n = p.neuron;
  finite(where, "V_th", n.V_th_mV, "mV");
  if (!(n.V_reset_mV < n.V_th_mV))
    refuse(where, fmt::format("V_reset = {} mV is not below V_th = {} mV: a reset at or above the threshold has "
                              "no hazard to compute",
                              n.V_reset_mV, n.V_th_mV));
  for (double tau_syn : {n.tau_syn_ex_ms, n.tau_syn_in_ms})
    if (std::abs(n.tau_m_ms - tau_syn) < 1e-9 * n.tau_m_ms)
      refuse(where, fmt::format("tau_syn = tau_m = {} ms: the membrane variance of iaf_psc_exp populations "
                                "(Campbell's theorem over exp(-s/tau_m) - exp(-s/tau_syn)) needs them to differ",
                                n.tau_m_ms));
}

void check_population(const Circuit& c, std::size_t i) {
  const Population& p = c.populations[i];
  const std::string where = fmt::format("population[{}] '{}'", i, p.name);
  const NeuronParams& n = p.neuron;
  if (n.model != NeuronModel::gif_psc_exp && n.model != NeuronModel::iaf_psc_exp) {
    // Why each model falls outside the population equations, which
    // integrate the escape probability per step of a neuron whose membrane
    // is a linear function of its age and input (Schwalger et al. 2017).
    const char* why = "";
    switch (n.model) {
      case NeuronModel::iaf_cond_exp:
        why = "has a hard threshold and conductance synapses (its membrane is not linear in its input)";
        break;
      case NeuronModel::hh_psc_alpha: why = "has no threshold or hazard at all (spikes of Hodgkin-Huxley dynamics)"; break;
      case NeuronModel::pp_psc_delta:
        why = "has a hazard, but its delta synapses, dead time and rate function (c_1 V + c_2 exp(c_3 V)) are not "
              "the escape-noise model the population equations take";
        break;
      case NeuronModel::spike_generator:
      case NeuronModel::poisson_generator:
      case NeuronModel::inhomogeneous_poisson_generator:
        why = "is a stimulus population, which the population equations do not take as an input yet";
        break;
      case NeuronModel::iaf_psc_exp:
      case NeuronModel::gif_psc_exp: break;
    }
    refuse(where, fmt::format("model {} {}; the mesoscopic engine needs gif_psc_exp (escape noise), whose spike "
                              "probability per step the population equations integrate, or iaf_psc_exp under "
                              "input noise",
                              to_string(n.model), why));
  }
  if (p.size == 0) refuse(where, "size = 0: a population equation needs at least one neuron");
  positive(where, "C_m", n.C_m_pF, "pF");
  positive(where, "tau_m", n.tau_m_ms, "ms");
  positive(where, "tau_syn_ex", n.tau_syn_ex_ms, "ms");
  positive(where, "tau_syn_in", n.tau_syn_in_ms, "ms");
  non_negative(where, "t_ref", n.t_ref_ms, "ms");
  finite(where, "E_L", n.E_L_mV, "mV");
  finite(where, "V_reset", n.V_reset_mV, "mV");
  finite(where, "I_e", n.I_e_pA, "pA");
  finite(where, "dc", p.dc_pA, "pA");
  if (!p.step_current.amplitude_times_ms.empty())
    refuse(where, "step_current: the mesoscopic engine takes a constant input current (I_e, dc) only, not yet a "
                  "time-varying one");
  non_negative(where, "poisson.rate", p.poisson.rate_hz, "Hz");
  finite(where, "poisson.weight", p.poisson.weight_pA, "pA");
  if (n.model == NeuronModel::iaf_psc_exp) return check_hard_threshold_population(p, where);
  finite(where, "V_T_star", n.V_T_star_mV, "mV");
  if (!(std::isfinite(n.Delta_V_mV) && n.Delta_V_mV > 0.0))
    refuse(where, fmt::format("Delta_V = {} mV: the escape noise needs Delta_V > 0 (Delta_V -> 0 is the hard "
                              "threshold the population equations cannot represent)",
                              n.Delta_V_mV));
  non_negative(where, "lambda_0", n.lambda_0_per_s, "1/s");
  if (n.tau_sfa_ms.size() != n.q_sfa_mV.size())
    refuse(where, fmt::format("{} values of q_sfa for {} of tau_sfa: each adaptation time constant needs its jump",
                              n.q_sfa_mV.size(), n.tau_sfa_ms.size()));
  for (double tau : n.tau_sfa_ms) positive(where, "tau_sfa", tau, "ms");
  for (double q : n.q_sfa_mV) finite(where, "q_sfa", q, "mV");
  if (!history_fits(n))
    refuse(where, fmt::format("the adaptation kernel sum_j q_sfa[j] exp(-t / tau_sfa[j]) is still {:.3g} mV at t = "
                              "{} s, not below {} Delta_V = {:.3g} mV: the quasi-renewal history cannot be sized "
                              "(at most {} s are kept); shorten tau_sfa or reduce q_sfa",
                              adaptation_kernel_mV(n, kMaxHistoryMs), kMaxHistoryMs * 1e-3, kKernelCutoffInDeltaV,
                              kKernelCutoffInDeltaV * n.Delta_V_mV, kMaxHistoryMs * 1e-3));
}

void check_projection(const Circuit& c, const Projection& pr, std::size_t k) {
  const std::string where = fmt::format("projection[{}] '{}' -> '{}'", k, pr.source, pr.target);
  if (c.population_index(pr.source) < 0) refuse(where, fmt::format("no population named '{}'", pr.source));
  if (c.population_index(pr.target) < 0) refuse(where, fmt::format("no population named '{}'", pr.target));
  finite(where, "weight", pr.weight_pA, "pA");
  if (pr.rule == ConnectionRule::pairwise_bernoulli && !(pr.probability >= 0.0 && pr.probability <= 1.0))
    refuse(where, fmt::format("probability = {}: expected a probability in [0, 1]", pr.probability));
  non_negative(where, "delay", pr.delay_ms, "ms");
  if (pr.delay_ms / c.simulation.dt_ms > kMaxDelaySteps)
    refuse(where, fmt::format("delay = {} ms is more than {} steps of dt = {} ms", pr.delay_ms, kMaxDelaySteps,
                              c.simulation.dt_ms));
}

void check_input_noise(const Circuit& c, std::size_t i) {
  if (c.populations[i].neuron.model != NeuronModel::iaf_psc_exp) return;
  const std::string where = fmt::format("population[{}] '{}'", i, c.populations[i].name);
  if (!InputNoise::has_input_noise(c, i))
    refuse(where, "model iaf_psc_exp receives no input noise (no Poisson input and no projection with a private or "
                  "quenched part: all-to-all, fixed in-degree equal weights from the whole source): its neurons "
                  "fire only when their common mean crosses the hard threshold, all at once, which has no hazard "
                  "for the population equations; give it Poisson input or sparse connections, or use gif_psc_exp");
}

}  // namespace

void check_meso_circuit(const Circuit& c) {
  positive("simulation", "dt", c.simulation.dt_ms, "ms");
  for (std::size_t i = 0; i < c.populations.size(); ++i) check_population(c, i);
  for (std::size_t k = 0; k < c.projections.size(); ++k) check_projection(c, c.projections[k], k);
  for (std::size_t i = 0; i < c.populations.size(); ++i) check_input_noise(c, i);
}

}  // namespace micromeso::meso
