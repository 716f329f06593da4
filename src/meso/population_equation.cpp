#include "meso/population_equation.hpp"

#include <algorithm>
#include <cmath>

#include "micromeso/physics/gif_psc_exp.hpp"

namespace micromeso::meso {

PopulationConstants make_population_constants(const Population& p, double dt) {
  const NeuronParams& n = p.neuron;
  PopulationConstants c;
  c.size = static_cast<double>(p.size);
  c.dt_ms = dt;
  c.prop = physics::make_exp_synapse_propagators(n.C_m_pF, n.tau_m_ms, n.tau_syn_ex_ms, n.tau_syn_in_ms, dt);
  c.reset_rel_mV = n.V_reset_mV - n.E_L_mV;
  c.V_T_star_rel_mV = n.V_T_star_mV - n.E_L_mV;
  c.Delta_V_mV = n.Delta_V_mV;
  c.lambda_0_per_ms = n.lambda_0_per_s * 1e-3;
  c.refractory_steps = static_cast<std::size_t>(std::llround(n.t_ref_ms / dt));
  c.history = history_length(n, dt);
  const std::size_t K = c.history;
  c.theta_mV.resize(K);
  c.theta_tilde_mV.resize(K);
  for (std::size_t i = 0; i < K; ++i) {
    const double age = double(K - i);  // steps since the bin's spikes
    c.theta_mV[i] = adaptation_kernel_mV(n, (age - 1.0) * dt);
    c.theta_tilde_mV[i] = c.Delta_V_mV * (1.0 - std::exp(-c.theta_mV[i] / c.Delta_V_mV)) / c.size;
  }
  for (std::size_t j = 0; j < n.tau_sfa_ms.size(); ++j) {
    const double decay = std::exp(-dt / n.tau_sfa_ms[j]);
    c.sfa_decay.push_back(decay);
    // Spikes older than the window act linearly: sum over ages a >= K of
    // (n_a / N) q exp(-(a - 1) dt / tau) = G g with g the filtered activity.
    c.sfa_free_gain_mV_ms.push_back(n.q_sfa_mV[j] * dt * std::exp(-double(K - 1) * dt / n.tau_sfa_ms[j]) /
                                    (1.0 - decay));
  }
  return c;
}

PopulationEquation::PopulationEquation(PopulationConstants constants)
    : c_(std::move(constants)),
      n_(c_.history, 0.0),
      m_(c_.history, 0.0),
      v_(c_.history, 0.0),
      u_(c_.history, c_.reset_rel_mV),
      sfa_filtered_(c_.sfa_decay.size(), 0.0),
      threshold_(c_.history, 0.0) {
  // All neurons fired in the step before t = 0 (NEST's and Schwalger's
  // initial condition): a synchronous start, discarded with the transient.
  n_[c_.history - 1] = m_[c_.history - 1] = c_.size;
  free_V_rel_mV_ = c_.reset_rel_mV;
}

double PopulationEquation::expected_spikes(double drive_mV, bool lambda_correction) {
  const std::size_t K = c_.history;
  const double h = c_.dt_ms;
  // Free pool (reference 3.2 steps 2-4): threshold from the spikes that
  // left the window, filtered linearly; membrane with the reset forgotten.
  double theta_free = c_.V_T_star_rel_mV;
  for (std::size_t j = 0; j < sfa_filtered_.size(); ++j) {
    sfa_filtered_[j] = c_.sfa_decay[j] * sfa_filtered_[j] + (1.0 - c_.sfa_decay[j]) * n_[oldest_] / (c_.size * h);
    theta_free += c_.sfa_free_gain_mV_ms[j] * sfa_filtered_[j];
  }
  free_V_rel_mV_ = free_V_rel_mV_ * c_.prop.P22 + drive_mV;
  p_free_ = physics::escape_probability(
      physics::escape_hazard_per_ms(free_V_rel_mV_, theta_free, c_.lambda_0_per_ms, c_.Delta_V_mV), h);

  double survivors = 0.0;  // X (reference 3.2 step 6)
  for (double m : m_) survivors += m;
  // Pass 1 (sequential, reference 3.2 steps 5 and 7): the quasi-renewal
  // threshold of each non-refractory bin. A bin sees the spikes of older
  // bins through theta_tilde (the QR kernel Delta_V (1 - exp(-theta /
  // Delta_V)), reference 3.6); spikes older than the window act linearly
  // through theta_free, which already holds the oldest bin's own spikes, so
  // these are taken out before the oldest bin's threshold is formed.
  const std::size_t free_bins = K - c_.refractory_steps;  // bins of age >= t_ref/dt + 1
  double theta_hat = theta_free - n_[oldest_] * c_.theta_tilde_mV[0];
  for (std::size_t i = 0; i < free_bins; ++i) {
    const std::size_t k = oldest_ + i < K ? oldest_ + i : oldest_ + i - K;
    threshold_[i] = c_.theta_mV[i] + theta_hat;
    theta_hat += n_[k] * c_.theta_tilde_mV[i];
  }
  // Pass 2 (independent bins, vectorisable): membrane, escape probability,
  // survivors and their variance, over the two contiguous runs of the ring.
  double W = 0.0, Y = 0.0, Z = 0.0;
  const std::size_t first_run = std::min(free_bins, K - oldest_);
  age_bins(oldest_, 0, first_run, drive_mV, W, Y, Z);
  age_bins(0, first_run, free_bins - first_run, drive_mV, W, Y, Z);
  double expected = W + p_free_ * free_neurons_;
  if (lambda_correction) {
    // Lambda: the neurons the bookkeeping lost or gained fire with the
    // variance-weighted hazard (Schwalger et al. 2017; reference 3.2 step 8).
    const double norm = Z + free_variance_;
    const double p_lambda = norm > 0.0 ? (Y + p_free_ * free_variance_) / norm : 0.0;
    expected += p_lambda * (c_.size - survivors - free_neurons_);
  }
  return std::clamp(expected, 0.0, c_.size);
}

void PopulationEquation::age_bins(std::size_t slot, std::size_t bin, std::size_t count, double drive_mV, double& W,
                                  double& Y, double& Z) {
  const double P22 = c_.prop.P22, h = c_.dt_ms, lambda_0 = c_.lambda_0_per_ms, inv_delta = 1.0 / c_.Delta_V_mV;
  double* u = u_.data() + slot;
  double* m = m_.data() + slot;
  double* v = v_.data() + slot;
  const double* threshold = threshold_.data() + bin;
#pragma omp simd reduction(+ : W, Y, Z)
  for (std::size_t i = 0; i < count; ++i) {
    u[i] = u[i] * P22 + drive_mV;
    // escape_probability(escape_hazard_per_ms(...)) of physics/gif_psc_exp.hpp, written out for the compiler
    const double p = -std::expm1(-h * lambda_0 * std::exp((u[i] - threshold[i]) * inv_delta));
    W += p * m[i];
    Y += p * v[i];
    Z += v[i];
    // Survivor variance as NEST and Schwalger's code update it (the
    // discrete form of dv/dt = -2 lambda v + lambda m, reference 3.6); the
    // exact binomial recursion has p (1 - p) m, equal to first order in p.
    v[i] = (1.0 - p) * (1.0 - p) * v[i] + p * m[i];
    m[i] *= 1.0 - p;
  }
}

void PopulationEquation::commit(double spikes) {
  free_variance_ = (1.0 - p_free_) * (1.0 - p_free_) * free_variance_ + p_free_ * free_neurons_ + v_[oldest_];
  free_neurons_ = (1.0 - p_free_) * free_neurons_ + m_[oldest_];
  n_[oldest_] = m_[oldest_] = spikes;
  v_[oldest_] = 0.0;
  u_[oldest_] = c_.reset_rel_mV;
  oldest_ = oldest_ + 1 == c_.history ? 0 : oldest_ + 1;
}

double PopulationEquation::accounted_neurons() const {
  double total = free_neurons_;
  for (double m : m_) total += m;
  return total;
}

}  // namespace micromeso::meso
