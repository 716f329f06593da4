#include "meso/population_equation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "meso/bin_update.hpp"
#include "micromeso/physics/gif_psc_exp.hpp"

namespace micromeso::meso {

PopulationEquation::PopulationEquation(PopulationConstants constants, bool paper_free_pool)
    : c_(std::move(constants)),
      fine_(c_.layout.fine + c_.layout.block_steps),
      blocks_(c_.layout.blocks),
      sfa_filtered_(c_.sfa_decay.size(), 0.0),
      block_threshold_(c_.layout.blocks, 0.0),
      fine_threshold_(c_.layout.fine + c_.layout.block_steps, 0.0),
      paper_free_pool_(paper_free_pool),
      block_spread_mV2_(c_.layout.membrane_blocks ? c_.layout.blocks : 0, 0.0),
      block_survivors_before_(block_spread_mV2_.size(), 0.0) {
  for (double theta : c_.theta_mV) adapting_ = adapting_ || theta != 0.0;
  if (adapting_ && c_.layout.membrane_blocks)
    throw std::logic_error("blocks of young ages are for populations without adaptation");
  for (std::size_t i = 0; i < c_.layout.blocks; ++i) blocks_.push_youngest(0.0, 0.0, 0.0, c_.reset_rel_mV);
  for (std::size_t i = 0; i + 1 < c_.layout.fine; ++i) fine_.push_youngest(0.0, 0.0, 0.0, c_.reset_rel_mV);
  // All neurons fired in the step before t = 0 (NEST's and Schwalger's
  // initial condition): a synchronous start, discarded with the transient.
  fine_.push_youngest(c_.size, c_.size, 0.0, c_.reset_rel_mV);
  free_V_rel_mV_ = c_.reset_rel_mV;
}

PopulationEquation::StepThresholds PopulationEquation::prepare_step(double drive_mV, const ThresholdShift& shift) {
  const double h = c_.dt_ms;
  const std::size_t C = blocks_.size(), B = c_.layout.block_steps;
  // The bin or block whose spikes leave the window at this step's commit,
  // and its quasi-renewal kernel per spike.
  double leaving_spikes = 0.0, leaving_tilde_mV = 0.0;
  if (C == 0) {
    leaving_spikes = fine_.n(0);
    leaving_tilde_mV = c_.theta_tilde_mV[fine_.size()];
  } else if (oldest_leaves()) {
    leaving_spikes = blocks_.n(0);
    leaving_tilde_mV = c_.block_theta_tilde_mV[(B - 1) * C];
  }
  // Free pool (reference 3.2 steps 2-4): threshold from the spikes that
  // left the window, filtered linearly; membrane: its members' mean (commit).
  double theta_free = c_.V_T_star_rel_mV - shift.total_mV();
  for (std::size_t j = 0; j < sfa_filtered_.size(); ++j) {
    sfa_filtered_[j] = c_.sfa_decay[j] * sfa_filtered_[j] +
                       (1.0 - c_.sfa_decay[j]) * c_.sfa_exit_weight[j] * leaving_spikes / (c_.size * h);
    theta_free += c_.sfa_free_gain_mV_ms[j] * sfa_filtered_[j];
  }
  free_V_rel_mV_ = free_V_rel_mV_ * c_.prop.P22 + drive_mV;
  p_free_ = physics::escape_probability(
      physics::escape_hazard_per_ms(free_V_rel_mV_, theta_free, c_.lambda_0_per_ms, c_.Delta_V_mV), h);

  // Pass 1 (sequential, reference 3.2 steps 5 and 7): the quasi-renewal
  // threshold of each non-refractory bin, oldest first. A bin sees the spikes
  // of older bins through theta_tilde (the QR kernel Delta_V (1 - exp(-theta
  // / Delta_V)), reference 3.6); spikes older than the window act linearly
  // through theta_free, which already holds the leaving bin's own spikes, so
  // these are taken out before the oldest threshold is formed. A block adds
  // its own earlier spikes (the self term). Without adaptation theta =
  // theta_tilde = 0 and every bin sees theta_free. A threshold shift by
  // input noise is smaller at young ages (threshold_shift.hpp): the fine
  // bins get back the part their age has not yet built up.
  const bool shifted = shift.total_mV() != 0.0;
  const auto unbuilt_shift_mV = [&](std::size_t age) {
    return shift.excitatory_mV * c_.unbuilt_excitatory[age] + shift.inhibitory_mV * c_.unbuilt_inhibitory[age] +
           shift.quenched_mV * c_.unbuilt_quenched[age];
  };
  const std::size_t fine_count = fine_.size();
  const std::size_t firing = fine_count - c_.refractory_steps;  // fine bins of age >= t_ref/dt + 1
  BinThresholds block_thresholds{nullptr, theta_free}, fine_thresholds{nullptr, theta_free};
  if (adapting_) {
    double theta_hat = theta_free - leaving_spikes * leaving_tilde_mV;
    const std::size_t table = phase_ * C;
    for (std::size_t i = 0; i < C; ++i) {
      const double n = blocks_.n(i);
      block_threshold_[i] = c_.block_theta_mV[table + i] + theta_hat + n * c_.block_self_tilde_mV[table + i];
      theta_hat += n * c_.block_theta_tilde_mV[table + i];
    }
    for (std::size_t i = 0; i < firing; ++i) {
      const std::size_t age = fine_count - i;
      fine_threshold_[i] = c_.theta_mV[age] + theta_hat + (shifted ? unbuilt_shift_mV(age) : 0.0);
      theta_hat += fine_.n(i) * c_.theta_tilde_mV[age];
    }
    block_thresholds.per_bin_mV = block_threshold_.data();
    fine_thresholds.per_bin_mV = fine_threshold_.data();
  } else if (shifted) {
    for (std::size_t i = 0; i < firing; ++i) fine_threshold_[i] = theta_free + unbuilt_shift_mV(fine_count - i);
    fine_thresholds.per_bin_mV = fine_threshold_.data();
  }
  if (c_.layout.membrane_blocks) {
    // Blocks of young ages: a member whose potential lies delta above the
    // block's mean has the hazard exp(delta / Delta_V) times that at the
    // mean; over a Gaussian spread s^2 of the members' potentials the mean
    // hazard is that at the mean times exp(s^2 / (2 Delta_V^2)), the hazard
    // of a threshold lower by s^2 / (2 Delta_V). The members see the same
    // drive, so their offsets from the mean decay as P22 per step (the
    // spread as P22^2) before this step's hazard.
    const double decay = c_.prop.P22 * c_.prop.P22, half_inverse_Delta_V = 0.5 / c_.Delta_V_mV;
    const std::size_t table = phase_ * C;
    for (std::size_t i = 0; i < C; ++i) {
      block_spread_mV2_[i] *= decay;
      double threshold = theta_free - block_spread_mV2_[i] * half_inverse_Delta_V;
      if (shifted)
        threshold += shift.excitatory_mV * c_.block_unbuilt_excitatory[table + i] +
                     shift.inhibitory_mV * c_.block_unbuilt_inhibitory[table + i] +
                     shift.quenched_mV * c_.block_unbuilt_quenched[table + i];
      block_threshold_[i] = threshold;
    }
    block_thresholds.per_bin_mV = block_threshold_.data();
  }
  return StepThresholds{fine_thresholds, block_thresholds, firing};
}

double PopulationEquation::expected_spikes(double drive_mV, bool lambda_correction, const ThresholdShift& shift) {
  const StepThresholds t = prepare_step(drive_mV, shift);
  const double h = c_.dt_ms;
  const std::size_t C = blocks_.size(), fine_count = fine_.size(), firing = t.firing;
  // Pass 2 (independent bins, vectorised: bin_update.hpp): membrane, escape
  // probability, survivors and their variance.
  const BinConstants bc{c_.prop.P22, h * c_.lambda_0_per_ms, 1.0 / c_.Delta_V_mV};
  BinSums sums = age_bin_run(bc, drive_mV, t.fine, fine_.u_data(), fine_.m_data(), fine_.v_data(), firing);
  if (C > 0) {
    const bool spread = c_.layout.membrane_blocks;
    if (spread) std::copy(blocks_.m_data(), blocks_.m_data() + C, block_survivors_before_.begin());
    const BinSums old = age_bin_run(bc, drive_mV, t.blocks, blocks_.u_data(), blocks_.m_data(),
                                    blocks_.v_data(), C);
    sums = BinSums{sums.W + old.W, sums.Y + old.Y, sums.Z + old.Z, sums.M + old.M};
    if (spread) {
      // The members above the mean fire more: the survivors' distribution is
      // the Gaussian times 1 - H exp(delta / Delta_V), to first order in the
      // step's escape probability p, whose mean lies lower by p s^2 / Delta_V
      // and whose variance is smaller by p s^4 / Delta_V^2 (the moments of a
      // Gaussian tilted by exp(delta / Delta_V): mean s^2 / Delta_V).
      const double inverse_Delta_V = 1.0 / c_.Delta_V_mV;
      for (std::size_t i = 0; i < C; ++i) {
        const double before = block_survivors_before_[i];
        if (!(before > 0.0)) continue;
        const double p = 1.0 - blocks_.m(i) / before, s2 = block_spread_mV2_[i];
        blocks_.u(i) -= p * s2 * inverse_Delta_V;
        block_spread_mV2_[i] = s2 * std::max(0.0, 1.0 - p * s2 * inverse_Delta_V * inverse_Delta_V);
      }
    }
  }
  double survivors = sums.M;  // X (reference 3.2 step 6), before this step's escapes
  for (std::size_t i = firing; i < fine_count; ++i) survivors += fine_.m(i);
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

double PopulationEquation::draw_spikes_by_age(double drive_mV, const ThresholdShift& shift, PhiloxWords& words,
                                              double& expected) {
  if (blocks_.size() != 0) throw std::logic_error("the master-equation variant needs the exact history (no blocks)");
  const StepThresholds t = prepare_step(drive_mV, shift);
  const double h = c_.dt_ms;
  // Per bin: the membrane and escape probability of the Schwalger update
  // (bin_update.hpp, the micro engine's rule), then the firing survivors.
  double spikes = draw_binomial(free_neurons_, p_free_, words);
  expected = p_free_ * free_neurons_;
  free_neurons_ -= spikes;
  free_pool_drawn_ = true;
  for (std::size_t i = 0; i < t.firing; ++i) {
    double& u = fine_.u(i);
    u = u * c_.prop.P22 + drive_mV;
    const double threshold = t.fine.per_bin_mV ? t.fine.per_bin_mV[i] : t.fine.common_mV;
    const double p =
        physics::escape_probability(physics::escape_hazard_per_ms(u, threshold, c_.lambda_0_per_ms, c_.Delta_V_mV), h);
    const double fired = draw_binomial(fine_.m(i), p, words);
    expected += p * fine_.m(i);
    fine_.m(i) -= fired;
    spikes += fired;
  }
  if (!words.within_step())
    throw std::runtime_error("meso master variant: a step used more random words than its Philox counter range");
  return spikes;
}

void PopulationEquation::commit(double spikes) {
  // The free pool loses this step's escapes (reference 3.2 step 11; drawn
  // already in the master variant) ...
  if (!free_pool_drawn_) {
    free_variance_ = (1.0 - p_free_) * (1.0 - p_free_) * free_variance_ + p_free_ * free_neurons_;
    free_neurons_ *= 1.0 - p_free_;
  }
  free_pool_drawn_ = false;
  // ... and gains the leaving bin's survivors. The pool's membrane is its
  // members' mean potential, which the joining bin's survivors pull towards
  // their own (mean of a linear update: exact but for the spread within the
  // pool, tiny this long after the reset). Schwalger's and NEST's pool uses
  // the free potential instead, the reset forgotten: at K = 5 tau_m that
  // puts the pool exp(-5) (V_free - V_reset) too high, 0.1 mV at 16 mV of
  // drive, and raises its hazard by that over Delta_V (4 % at Delta_V =
  // 2.5 mV); where most neurons are older than K (low rates) the rates of
  // coupled populations move by about 1 % (the bistable pair).
  const auto join_free_pool = [&](double m, double v, double u_mV) {
    if (!paper_free_pool_ && free_neurons_ + m > 0.0)
      free_V_rel_mV_ = (free_neurons_ * free_V_rel_mV_ + m * u_mV) / (free_neurons_ + m);
    free_variance_ += v;
    free_neurons_ += m;
  };
  if (blocks_.size() == 0) {
    join_free_pool(fine_.m(0), fine_.v(0), fine_.u(0));
    fine_.pop_oldest(1);
  }
  // The step's spikes form the youngest bin (step 12).
  fine_.push_youngest(spikes, spikes, 0.0, c_.reset_rel_mV);
  if (blocks_.size() == 0) return;
  if (!oldest_leaves()) {
    ++phase_;
    return;
  }
  // Once every B steps the oldest block joins the free pool and the B oldest
  // fine bins form the youngest block: spikes, survivors and variances add,
  // the membrane is the survivors' mean (past 5 tau_m the bins' potentials
  // differ by less than exp(-5) of the reset's distance; younger blocks keep
  // the spread about that mean, below).
  join_free_pool(blocks_.m(0), blocks_.v(0), blocks_.u(0));
  blocks_.pop_oldest(1);
  const std::size_t B = c_.layout.block_steps;
  double n = 0.0, m = 0.0, v = 0.0, mu = 0.0, u = 0.0;
  for (std::size_t i = 0; i < B; ++i) {
    n += fine_.n(i);
    m += fine_.m(i);
    v += fine_.v(i);
    mu += fine_.m(i) * fine_.u(i);
    u += fine_.u(i);
  }
  const double mean_u = m > 0.0 ? mu / m : u / double(B);
  if (c_.layout.membrane_blocks) {
    // The spread of the members' potentials about the block's mean, weighted
    // by survivors (the block's hazard above).
    double spread = 0.0;
    for (std::size_t i = 0; i < B; ++i) spread += fine_.m(i) * (fine_.u(i) - mean_u) * (fine_.u(i) - mean_u);
    block_spread_mV2_.erase(block_spread_mV2_.begin());
    block_spread_mV2_.push_back(m > 0.0 ? spread / m : 0.0);
  }
  fine_.pop_oldest(B);
  blocks_.push_youngest(n, m, v, mean_u);
  phase_ = 0;
}

double PopulationEquation::accounted_neurons() const {
  return free_neurons_ + fine_.survivors() + blocks_.survivors();
}

}  // namespace micromeso::meso
