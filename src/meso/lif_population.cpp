#include "meso/lif_population.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "meso/lif_bin_hazard.hpp"
#include "meso/lif_hazard.hpp"
#include "meso/threshold_shift.hpp"
#include "model/engine_constants.hpp"

namespace micromeso::meso {
namespace {

// alpha = sqrt(2) |zeta(1/2)| of Fourcaud & Brunel (2002; equation number not checked): the
// effective threshold and reset are moved up by (alpha / 2) sigma sqrt(tau_s / tau_m).
constexpr double kFourcaudBrunelAlpha = 1.4142135623730951 * 1.4603545088095868;

}  // namespace

LifConstants make_lif_constants(const Population& p, double dt, bool exact_history) {
  const NeuronParams& n = p.neuron;
  LifConstants c;
  c.size = static_cast<double>(p.size);
  c.dt_ms = dt;
  c.h_over_tau_m = dt / n.tau_m_ms;
  // The micro engines' constants of the same neurons (engine_constants.hpp).
  const NeuronConstants k = neuron_constants(p, dt);
  c.prop = k.model.iaf.prop;
  c.threshold_rel_mV = k.model.iaf.threshold_rel_mV;
  c.reset_rel_mV = k.model.iaf.reset_rel_mV;
  c.refractory_steps = static_cast<std::size_t>(k.model.iaf.refractory_steps);
  const double history_tau_m = exact_history ? kLifExactHistoryTauM : kLifShortHistoryTauM;
  c.history = c.refractory_steps + static_cast<std::size_t>(std::ceil(history_tau_m * n.tau_m_ms / dt));
  c.white_ex = (n.tau_m_ms + n.tau_syn_ex_ms) / n.tau_m_ms;
  c.white_in = (n.tau_m_ms + n.tau_syn_in_ms) / n.tau_m_ms;
  const double half_alpha_sq = 0.5 * kFourcaudBrunelAlpha * kFourcaudBrunelAlpha;
  c.fb_ex = half_alpha_sq * n.tau_syn_ex_ms / n.tau_m_ms;
  c.fb_in = half_alpha_sq * n.tau_syn_in_ms / n.tau_m_ms;
  // Oldest age (K) first, as the bins (lif_bin_hazard.hpp, LifBinRun).
  for (std::size_t j = 0; j <= c.history; ++j) {
    const std::size_t age = c.history - j;
    const double free_ms = double(age > c.refractory_steps ? age - c.refractory_steps : 0) * dt;
    c.built_ex.push_back(shot_noise_age_factor(free_ms, n.tau_m_ms, n.tau_syn_ex_ms));
    c.built_in.push_back(shot_noise_age_factor(free_ms, n.tau_m_ms, n.tau_syn_in_ms));
    c.built_quenched.push_back(quenched_age_factor(free_ms, n.tau_m_ms));
    c.built_mean.push_back(-std::expm1(-free_ms / n.tau_m_ms));
  }
  // The pool's mixture (lif_population.hpp): threshold_shift.hpp's f(a) as exponentials.
  const auto lambda = [&](double tau_s) { return 2.0 / (n.tau_m_ms * (1.0 / tau_s - 1.0 / n.tau_m_ms)); };
  const auto inv_c = [&](double tau_s) { return 1.0 / n.tau_m_ms + 1.0 / tau_s; };
  c.lambda_ex = lambda(n.tau_syn_ex_ms);
  c.lambda_in = lambda(n.tau_syn_in_ms);
  c.decay_c_ex = std::exp(-dt * inv_c(n.tau_syn_ex_ms));
  c.decay_c_in = std::exp(-dt * inv_c(n.tau_syn_in_ms));
  const double join_ms = double(c.history - std::min(c.history, c.refractory_steps)) * dt;
  c.join_g = std::exp(-join_ms / n.tau_m_ms);
  c.join_c_ex = std::exp(-join_ms * inv_c(n.tau_syn_ex_ms));
  c.join_c_in = std::exp(-join_ms * inv_c(n.tau_syn_in_ms));
  return c;
}

LifPopulationEquation::LifPopulationEquation(LifConstants constants, bool paper_free_pool)
    : c_(std::move(constants)),
      bins_(c_.history),
      p_(c_.history, 0.0),
      T_start_(c_.history + 1, HUGE_VAL),
      log_below_start_(c_.history + 1, 0.0),
      T_end_(c_.history + 1, HUGE_VAL),
      log_below_end_(c_.history + 1, 0.0),
      paper_free_pool_(paper_free_pool) {
  for (std::size_t i = 0; i + 1 < c_.history; ++i) bins_.push_youngest(0.0, 0.0, 0.0, c_.reset_rel_mV);
  // All neurons fired in the step before t = 0, as for the escape-noise engine.
  bins_.push_youngest(c_.size, c_.size, 0.0, c_.reset_rel_mV);
  free_V_rel_mV_ = c_.reset_rel_mV;
}

LifPopulationEquation::Noise LifPopulationEquation::white_noise(const InputNoise::Variances& v) const {
  Noise w;
  w.ex_mV2 = c_.white_ex * v.excitatory_mV2;
  w.in_mV2 = c_.white_in * v.inhibitory_mV2;
  // A static offset per neuron is no coloured noise: its variance enters as it is.
  w.quenched_mV2 = v.quenched_mV2;
  w.shift_mV = std::sqrt(c_.fb_ex * w.ex_mV2 + c_.fb_in * w.in_mV2);
  return w;
}

double LifPopulationEquation::free_distance(const Noise& w) const {
  // The members' mean variance (sigma^2 f(a) averaged over the pool, f as
  // exponentials of a) plus the spread of their means; the threshold shift's
  // mean part 1 - exp(-a/tau_m). With the paper's free pool the moments stay 0
  // (stationary variance, the shift in full).
  const double unbuilt_ex = (1.0 + c_.lambda_ex) * free_g2_ - c_.lambda_ex * free_c_ex_;
  const double unbuilt_in = (1.0 + c_.lambda_in) * free_g2_ - c_.lambda_in * free_c_in_;
  const double built_quenched = 1.0 - 2.0 * free_g_ + free_g2_;  // mean of (1 - exp(-a/tau_m))^2
  const double variance = w.ex_mV2 * (1.0 - unbuilt_ex) + w.in_mV2 * (1.0 - unbuilt_in) +
                          w.quenched_mV2 * built_quenched + free_spread_mV2_;
  return lif_threshold_distance(c_.threshold_rel_mV + w.shift_mV * (1.0 - free_g_), free_V_rel_mV_,
                                std::sqrt(std::max(variance, 0.0)));
}

void LifPopulationEquation::step_probabilities(double drive_mV, const InputNoise::Variances& noise) {
  now_ = white_noise(noise);
  if (!started_) before_ = now_, started_ = true;
  // Free pool: its mixture's Gaussian (lif_population.hpp), one step older.
  const double T_free_old = free_distance(before_);
  const double P22 = c_.prop.P22;
  free_V_rel_mV_ = free_V_rel_mV_ * P22 + drive_mV;
  free_spread_mV2_ *= P22 * P22;
  free_g_ *= P22;
  free_g2_ *= P22 * P22;
  free_c_ex_ *= c_.decay_c_ex;
  free_c_in_ *= c_.decay_c_in;
  p_free_ = lif_step_escape_probability(T_free_old, free_distance(now_), c_.h_over_tau_m);
  // Bins past the refractory period, oldest (age K) first: T at the step's
  // start is the bin's at one age younger under the previous step's noise,
  // as computed then (+infinity at the end of the refractory period, where
  // the variance is 0, and before the first step, when only the youngest
  // bin has neurons). The bins number K = c_.history, so bin i has age K - i
  // and reads element i of the per-age arrays (oldest first), its T at the
  // start from element i + 1 (one age younger).
  const std::size_t count = bins_.size();
  firing_ = count - std::min(count, c_.refractory_steps);
  LifBinRun run;
  run.u_mV = bins_.u_data();
  run.built_ex = c_.built_ex.data();
  run.built_in = c_.built_in.data();
  run.built_quenched = c_.built_quenched.data();
  run.built_mean = c_.built_mean.data();
  run.T_start = T_start_.data() + 1;
  run.log_below_start = log_below_start_.data() + 1;
  run.T_end = T_end_.data();
  run.log_below_end = log_below_end_.data();
  run.escape_probability = p_.data();
  run.count = firing_;
  const LifBinConstants bin_constants{c_.prop.P22, c_.h_over_tau_m, c_.threshold_rel_mV};
  lif_bin_hazard_run(bin_constants, now_, drive_mV, run);
  std::swap(T_end_, T_start_);
  std::swap(log_below_end_, log_below_start_);
  before_ = now_;
}

double LifPopulationEquation::expected_spikes(double drive_mV, const InputNoise::Variances& noise,
                                              bool lambda_correction) {
  step_probabilities(drive_mV, noise);
  // Survivors and their variance age as in the escape-noise engine
  // (bin_update.hpp: v <- q^2 v + p m, m <- q m; W = sum p m, Y = sum p v, Z = sum v).
  // The sums as vector reductions (their order of additions is the
  // compiler's, fixed for a build).
  double W = 0.0, Y = 0.0, Z = 0.0, survivors = 0.0;
  double* const m = bins_.m_data();
  double* const v = bins_.v_data();
  const double* const p = p_.data();
  const std::size_t count = bins_.size();
#pragma omp simd reduction(+ : survivors)
  for (std::size_t i = firing_; i < count; ++i) survivors += m[i];
#pragma omp simd reduction(+ : W, Y, Z, survivors)
  for (std::size_t i = 0; i < firing_; ++i) {
    const double q = 1.0 - p[i];
    survivors += m[i];
    W += p[i] * m[i];
    Y += p[i] * v[i];
    Z += v[i];
    v[i] = q * q * v[i] + p[i] * m[i];
    m[i] *= q;
  }
  double expected = W + p_free_ * free_neurons_;
  if (lambda_correction) {
    // Schwalger et al. 2017 (reference meso-algorithm.md 3.2 step 8), as population_equation.cpp.
    const double norm = Z + free_variance_;
    const double p_lambda = norm > 0.0 ? (Y + p_free_ * free_variance_) / norm : 0.0;
    expected += p_lambda * (c_.size - survivors - free_neurons_);
  }
  return std::clamp(expected, 0.0, c_.size);
}

double LifPopulationEquation::draw_spikes_by_age(double drive_mV, const InputNoise::Variances& noise,
                                                 PhiloxWords& words, double& expected) {
  step_probabilities(drive_mV, noise);
  double spikes = draw_binomial(free_neurons_, p_free_, words);
  expected = p_free_ * free_neurons_;
  free_neurons_ -= spikes;
  free_pool_drawn_ = true;
  for (std::size_t i = 0; i < firing_; ++i) {
    const double fired = draw_binomial(bins_.m(i), p_[i], words);
    expected += p_[i] * bins_.m(i);
    bins_.m(i) -= fired;
    spikes += fired;
  }
  if (!words.within_step())
    throw std::runtime_error("meso master variant: a step used more random words than its Philox counter range");
  return spikes;
}

void LifPopulationEquation::commit(double spikes) {
  if (!free_pool_drawn_) {
    free_variance_ = (1.0 - p_free_) * (1.0 - p_free_) * free_variance_ + p_free_ * free_neurons_;
    free_neurons_ *= 1.0 - p_free_;
  }
  free_pool_drawn_ = false;
  // The oldest bin joins the pool, whose membrane is its members' mean
  // (population_equation.cpp, commit).
  // With the default pool it also takes the bin's share of the mixture's
  // moments: the exponentials of its age K, and its mean's offset from the
  // pool's into the spread (the pooled variance of two groups).
  const double m = bins_.m(0);
  if (!paper_free_pool_ && free_neurons_ + m > 0.0) {
    const double total = free_neurons_ + m, old_share = free_neurons_ / total, new_share = m / total;
    const double mean = old_share * free_V_rel_mV_ + new_share * bins_.u(0);
    const double old_offset = free_V_rel_mV_ - mean, new_offset = bins_.u(0) - mean;
    free_spread_mV2_ = old_share * (free_spread_mV2_ + old_offset * old_offset) + new_share * new_offset * new_offset;
    free_V_rel_mV_ = mean;
    free_g_ = old_share * free_g_ + new_share * c_.join_g;
    free_g2_ = old_share * free_g2_ + new_share * c_.join_g * c_.join_g;
    free_c_ex_ = old_share * free_c_ex_ + new_share * c_.join_c_ex;
    free_c_in_ = old_share * free_c_in_ + new_share * c_.join_c_in;
  }
  free_variance_ += bins_.v(0);
  free_neurons_ += m;
  bins_.pop_oldest(1);
  bins_.push_youngest(spikes, spikes, 0.0, c_.reset_rel_mV);
}

}  // namespace micromeso::meso
