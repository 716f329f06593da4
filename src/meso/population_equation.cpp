#include "meso/population_equation.hpp"

#include <algorithm>
#include <cmath>

#include "meso/bin_update.hpp"
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
      n_(2 * c_.history, 0.0),
      m_(2 * c_.history, 0.0),
      v_(2 * c_.history, 0.0),
      u_(2 * c_.history, c_.reset_rel_mV),
      sfa_filtered_(c_.sfa_decay.size(), 0.0),
      threshold_(c_.history, 0.0) {
  for (double theta : c_.theta_mV) adapting_ = adapting_ || theta != 0.0;
  // All neurons fired in the step before t = 0 (NEST's and Schwalger's
  // initial condition): a synchronous start, discarded with the transient.
  n_[c_.history - 1] = m_[c_.history - 1] = c_.size;
  free_V_rel_mV_ = c_.reset_rel_mV;
}

double PopulationEquation::expected_spikes(double drive_mV, bool lambda_correction) {
  const std::size_t K = c_.history;
  const double h = c_.dt_ms;
  const std::size_t o = oldest_;  // bin i lives at o + i
  // Free pool (reference 3.2 steps 2-4): threshold from the spikes that
  // left the window, filtered linearly; membrane with the reset forgotten.
  double theta_free = c_.V_T_star_rel_mV;
  for (std::size_t j = 0; j < sfa_filtered_.size(); ++j) {
    sfa_filtered_[j] = c_.sfa_decay[j] * sfa_filtered_[j] + (1.0 - c_.sfa_decay[j]) * n_[o] / (c_.size * h);
    theta_free += c_.sfa_free_gain_mV_ms[j] * sfa_filtered_[j];
  }
  free_V_rel_mV_ = free_V_rel_mV_ * c_.prop.P22 + drive_mV;
  p_free_ = physics::escape_probability(
      physics::escape_hazard_per_ms(free_V_rel_mV_, theta_free, c_.lambda_0_per_ms, c_.Delta_V_mV), h);

  // Pass 1 (sequential, reference 3.2 steps 5 and 7): the quasi-renewal
  // threshold of each non-refractory bin. A bin sees the spikes of older
  // bins through theta_tilde (the QR kernel Delta_V (1 - exp(-theta /
  // Delta_V)), reference 3.6); spikes older than the window act linearly
  // through theta_free, which already holds the oldest bin's own spikes, so
  // these are taken out before the oldest bin's threshold is formed. Without
  // adaptation theta = theta_tilde = 0 and every bin sees theta_free.
  const std::size_t free_bins = K - c_.refractory_steps;  // bins of age >= t_ref/dt + 1
  BinThresholds thresholds{nullptr, theta_free};
  if (adapting_) {
    double theta_hat = theta_free - n_[o] * c_.theta_tilde_mV[0];
    for (std::size_t i = 0; i < free_bins; ++i) {
      threshold_[i] = c_.theta_mV[i] + theta_hat;
      theta_hat += n_[o + i] * c_.theta_tilde_mV[i];
    }
    thresholds.per_bin_mV = threshold_.data();
  }
  // Pass 2 (independent bins, vectorised: bin_update.hpp): membrane, escape
  // probability, survivors and their variance.
  const BinConstants bc{c_.prop.P22, h * c_.lambda_0_per_ms, 1.0 / c_.Delta_V_mV};
  const BinSums sums = age_bin_run(bc, drive_mV, thresholds, &u_[o], &m_[o], &v_[o], free_bins);
  double survivors = sums.M;  // X (reference 3.2 step 6), before this step's escapes
  for (std::size_t i = free_bins; i < K; ++i) survivors += m_[o + i];
  double expected = sums.W + p_free_ * free_neurons_;
  if (lambda_correction) {
    // Lambda: the neurons the bookkeeping lost or gained fire with the
    // variance-weighted hazard (Schwalger et al. 2017; reference 3.2 step 8).
    const double norm = sums.Z + free_variance_;
    const double p_lambda = norm > 0.0 ? (sums.Y + p_free_ * free_variance_) / norm : 0.0;
    expected += p_lambda * (c_.size - survivors - free_neurons_);
  }
  return std::clamp(expected, 0.0, c_.size);
}

void PopulationEquation::commit(double spikes) {
  const std::size_t K = c_.history;
  // The oldest bin joins the free pool (reference 3.2 step 11).
  free_variance_ = (1.0 - p_free_) * (1.0 - p_free_) * free_variance_ + p_free_ * free_neurons_ + v_[oldest_];
  free_neurons_ = (1.0 - p_free_) * free_neurons_ + m_[oldest_];
  ++oldest_;
  // The window slides along a buffer of 2K bins and moves back to its start
  // once every K steps (one copy of K bins: amortised O(1) per step), so
  // that the bins are always contiguous for the vector loop.
  if (oldest_ + K > n_.size()) {
    for (std::vector<double>* x : {&n_, &m_, &v_, &u_}) std::copy(x->begin() + oldest_, x->end(), x->begin());
    oldest_ = 0;
  }
  // The step's spikes form the youngest bin (step 12).
  const std::size_t youngest = oldest_ + K - 1;
  n_[youngest] = m_[youngest] = spikes;
  v_[youngest] = 0.0;
  u_[youngest] = c_.reset_rel_mV;
}

double PopulationEquation::accounted_neurons() const {
  double total = free_neurons_;
  for (std::size_t i = 0; i < c_.history; ++i) total += m_[oldest_ + i];
  return total;
}

}  // namespace micromeso::meso
