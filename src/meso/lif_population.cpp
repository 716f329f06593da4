#include "meso/lif_population.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "meso/lif_bin_hazard.hpp"
#include "meso/lif_hazard.hpp"
#include "meso/bin_update.hpp"
#include "meso/threshold_shift.hpp"
#include "model/engine_constants.hpp"

namespace micromeso::meso {
namespace {

// alpha = sqrt(2) |zeta(1/2)| of Fourcaud & Brunel (2002; equation number not checked): the
// effective threshold and reset are moved up by (alpha / 2) sigma sqrt(tau_s / tau_m).
constexpr double kFourcaudBrunelAlpha = 1.4142135623730951 * 1.4603545088095868;

// Survivors and their variance of n bins (or blocks) with escape
// probabilities p age as in the escape-noise engine (bin_update.hpp:
// v <- q^2 v + p m, m <- q m, q = 1 - p); adds W = sum p m, Y = sum p v,
// Z = sum v and M = sum m (before the update) to `sums`. The sums are vector
// reductions (their order of additions is the compiler's, fixed for a build).
void age_escapes(double* m, double* v, const double* p, std::size_t n, BinSums& sums) {
  double W = 0.0, Y = 0.0, Z = 0.0, M = 0.0;
#pragma omp simd reduction(+ : W, Y, Z, M)
  for (std::size_t i = 0; i < n; ++i) {
    const double q = 1.0 - p[i];
    M += m[i];
    W += p[i] * m[i];
    Y += p[i] * v[i];
    Z += v[i];
    v[i] = q * q * v[i] + p[i] * m[i];
    m[i] *= q;
  }
  sums.W += W;
  sums.Y += Y;
  sums.Z += Z;
  sums.M += M;
}

}  // namespace

LifConstants make_lif_constants(const Population& p, double dt, bool exact_history, bool survivor_tilt) {
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
  const auto steps = [&](double tau_m_units) {
    return static_cast<std::size_t>(std::ceil(tau_m_units * n.tau_m_ms / dt));
  };
  const std::size_t K = c.refractory_steps + steps(kLifHistoryTauM);
  c.fine = K;
  if (!exact_history) {
    // Stages of blocks (lif_population.hpp) where they make fewer bins: at
    // least two steps a block, each stage's blocks a whole number of the
    // younger stage's, at least one block a stage.
    std::size_t fine = c.refractory_steps + steps(kLifFineHistoryTauM), start = fine, younger = 1;
    for (const LifStageSpec& spec : kLifStages) {
      const double wanted = spec.block_tau_m * n.tau_m_ms / dt / double(younger);
      const std::size_t B = younger * std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(wanted)));
      const std::size_t until = std::min(K, c.refractory_steps + steps(spec.until_tau_m));
      if (B < 2 || until <= start) continue;
      const std::size_t count = (until - start + B - 1) / B;
      c.stages.push_back(LifStage{B, count});
      start += count * B;
      younger = B;
    }
    if (c.stages.empty()) fine = K;
    c.fine = fine;
    c.block_steps = c.stages.empty() ? 1 : c.stages.front().steps;
  }
  c.history = c.fine;
  for (const LifStage& s : c.stages) c.history += s.count * s.steps;
  c.max_fine = c.fine + c.block_steps - 1;
  c.survivor_tilt = survivor_tilt && !c.stages.empty();
  c.white_ex = (n.tau_m_ms + n.tau_syn_ex_ms) / n.tau_m_ms;
  c.white_in = (n.tau_m_ms + n.tau_syn_in_ms) / n.tau_m_ms;
  const double half_alpha_sq = 0.5 * kFourcaudBrunelAlpha * kFourcaudBrunelAlpha;
  c.fb_ex = half_alpha_sq * n.tau_syn_ex_ms / n.tau_m_ms;
  c.fb_in = half_alpha_sq * n.tau_syn_in_ms / n.tau_m_ms;
  // Oldest age (max_fine) first, as the bins (lif_bin_hazard.hpp, LifBinRun).
  for (std::size_t j = 0; j <= c.max_fine; ++j) {
    const std::size_t age = c.max_fine - j;
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
  for (std::size_t age = 0; age <= c.max_fine; ++age) {
    const double free_ms = double(age - std::min(age, c.refractory_steps)) * dt;
    c.age_g.push_back(std::exp(-free_ms / n.tau_m_ms));
    c.age_c_ex.push_back(std::exp(-free_ms * inv_c(n.tau_syn_ex_ms)));
    c.age_c_in.push_back(std::exp(-free_ms * inv_c(n.tau_syn_in_ms)));
  }
  return c;
}

LifPopulationEquation::LifPopulationEquation(LifConstants constants, bool paper_free_pool)
    : c_(std::move(constants)),
      bins_(c_.max_fine + 1),
      p_(c_.max_fine, 0.0),
      T_start_(c_.max_fine + 1, HUGE_VAL),
      log_below_start_(c_.max_fine + 1, 0.0),
      T_end_(c_.max_fine + 1, HUGE_VAL),
      log_below_end_(c_.max_fine + 1, 0.0),
      paper_free_pool_(paper_free_pool) {
  for (std::size_t i = 0; i + 1 < c_.fine; ++i) bins_.push_youngest(0.0, 0.0, 0.0, c_.reset_rel_mV);
  // All neurons fired in the step before t = 0, as for the escape-noise engine.
  bins_.push_youngest(c_.size, c_.size, 0.0, c_.reset_rel_mV);
  free_.u_mV = c_.reset_rel_mV;
  // Each stage starts with its blocks, empty; between formations it holds up
  // to count + (older stage's steps / its steps) - 1 of them.
  std::size_t most = 0;
  for (std::size_t l = 0; l < c_.stages.size(); ++l) {
    stage_count_.push_back(c_.stages[l].count);
    most += c_.stages[l].count + (l + 1 < c_.stages.size() ? c_.stages[l + 1].steps / c_.stages[l].steps : 1);
  }
  LifMixture empty;
  empty.u_mV = c_.reset_rel_mV;
  // Lane 0 is the pool's (begin_step), the blocks follow it.
  blocks_.reserve(most + 1);
  blocks_.push_back(free_, HUGE_VAL, 0.0, 0.0);
  for (std::size_t l = c_.stages.size(); l-- > 0;)
    for (std::size_t k = 0; k < c_.stages[l].count; ++k) blocks_.push_back(empty, HUGE_VAL, 0.0, 0.0);
  for (auto* column : {&block_ex_, &block_in_, &block_quenched_, &block_mean_}) column->assign(most + 1, 0.0);
}

void LifPopulationEquation::BlockColumns::set(std::size_t i, const LifMixture& x, double T_end, double log_below_end,
                                              double slope_below_end) {
  m[i] = x.m, v[i] = x.v, u[i] = x.u_mV, spread[i] = x.spread_mV2, g[i] = x.g, g2[i] = x.g2, c_ex[i] = x.c_ex,
  c_in[i] = x.c_in, T[i] = T_end, log_below[i] = log_below_end, slope_below[i] = slope_below_end, p[i] = 0.0;
}

void LifPopulationEquation::BlockColumns::push_back(const LifMixture& x, double T_end, double log_below_end,
                                                    double slope_below_end) {
  for (std::vector<double>* column : columns())
    column->push_back(0.0);
  set(size() - 1, x, T_end, log_below_end, slope_below_end);
}

void LifPopulationEquation::BlockColumns::erase(std::size_t from, std::size_t to) {
  for (std::vector<double>* column : columns())
    column->erase(column->begin() + long(from), column->begin() + long(to));
}

void LifPopulationEquation::BlockColumns::reserve(std::size_t n) {
  for (std::vector<double>* column : columns())
    column->reserve(n);
}

LifMixture LifPopulationEquation::pooled(const LifMixture* groups, std::size_t count) const {
  LifMixture total;
  total.u_mV = groups[0].u_mV;
  for (std::size_t i = 0; i < count; ++i) join(total, groups[i]);
  if (total.m > 0.0) return total;
  LifMixture empty;
  const double w = 1.0 / double(count);
  for (std::size_t i = 0; i < count; ++i) {
    const LifMixture& x = groups[i];
    empty.u_mV += w * x.u_mV;
    empty.g += w * x.g;
    empty.g2 += w * x.g2;
    empty.c_ex += w * x.c_ex;
    empty.c_in += w * x.c_in;
  }
  empty.v = total.v;
  return empty;
}

double LifPopulationEquation::accounted_neurons() const {
  double total = free_.m + bins_.survivors();
  for (std::size_t i = 1; i < blocks_.size(); ++i) total += blocks_.m[i];  // lane 0: the pool's, counted above
  return total;
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

double LifPopulationEquation::mixture_distance(const LifMixture& x, const Noise& w) const {
  // The members' mean variance (sigma^2 f(a) averaged over the mixture, f as
  // exponentials of a) plus the spread of their means; the threshold shift's
  // mean part 1 - exp(-a/tau_m). With the paper's free pool the moments stay 0
  // (stationary variance, the shift in full).
  const double unbuilt_ex = (1.0 + c_.lambda_ex) * x.g2 - c_.lambda_ex * x.c_ex;
  const double unbuilt_in = (1.0 + c_.lambda_in) * x.g2 - c_.lambda_in * x.c_in;
  const double built_quenched = 1.0 - 2.0 * x.g + x.g2;  // mean of (1 - exp(-a/tau_m))^2
  const double variance = w.ex_mV2 * (1.0 - unbuilt_ex) + w.in_mV2 * (1.0 - unbuilt_in) +
                          w.quenched_mV2 * built_quenched + x.spread_mV2;
  return lif_threshold_distance(c_.threshold_rel_mV + w.shift_mV * (1.0 - x.g), x.u_mV,
                                std::sqrt(std::max(variance, 0.0)));
}

void LifPopulationEquation::start_values(const LifMixture& x, double& T, double& log_below, double& slope) const {
  T = mixture_distance(x, before_);
  log_below = step_log_probability_below(T);
  // d ln P_below / dT = exp(-T^2) / (sqrt(pi) P_below(T)) (lif_hazard.hpp); 0 at T = +infinity.
  slope = c_.survivor_tilt && std::isfinite(T) ? std::exp(-T * T - log_below) / 1.7724538509055159 : 0.0;
}

void LifPopulationEquation::join(LifMixture& into, const LifMixture& x) const {
  // The pooled moments of two groups: means weighted by survivors, and the
  // spread of the means about the new mean. The paper's pool keeps the free
  // potential (population_equation.cpp, commit).
  if (!paper_free_pool_ && into.m + x.m > 0.0) {
    const double total = into.m + x.m, old_share = into.m / total, new_share = x.m / total;
    const double mean = old_share * into.u_mV + new_share * x.u_mV;
    const double old_offset = into.u_mV - mean, new_offset = x.u_mV - mean;
    into.spread_mV2 = old_share * (into.spread_mV2 + old_offset * old_offset) +
                      new_share * (x.spread_mV2 + new_offset * new_offset);
    into.u_mV = mean;
    into.g = old_share * into.g + new_share * x.g;
    into.g2 = old_share * into.g2 + new_share * x.g2;
    into.c_ex = old_share * into.c_ex + new_share * x.c_ex;
    into.c_in = old_share * into.c_in + new_share * x.c_in;
  }
  into.v += x.v;
  into.m += x.m;
}

LifMixture LifPopulationEquation::bin_mixture(std::size_t i, std::size_t age) {
  const double g = c_.age_g[age];
  return LifMixture{bins_.m(i), bins_.v(i), bins_.u(i), 0.0, g, g * g, c_.age_c_ex[age], c_.age_c_in[age]};
}

std::size_t LifPopulationEquation::begin_step(double drive_mV, const InputNoise::Variances& noise,
                                              LifBinSegment* segments) {
  std::size_t segment_count = 0;
  now_ = white_noise(noise);
  if (!started_) before_ = now_, started_ = true;
  const double P22 = c_.prop.P22;
  // Free pool: its mixture's Gaussian (lif_population.hpp) runs as one more
  // lane before the blocks (lane 0 of their columns, read back by take_pool_lane),
  // with a block's spread and, with the blocks' survivor tilt, its tilt. T,
  // ln P_below and their slope at the step's start are those at the last
  // step's end unless a bin or block joined the pool since.
  if (free_joined_ || !started_free_) {
    start_values(free_, free_T_, free_log_below_, free_slope_below_);
    free_joined_ = false;
    started_free_ = true;
  }
  blocks_.set(0, free_, free_T_, free_log_below_, free_slope_below_);
  const LifBinConstants bin_constants{P22, c_.h_over_tau_m, c_.threshold_rel_mV};
  // Fine bins past the refractory period, oldest first: T at the step's
  // start is the bin's at one age younger under the previous step's noise,
  // as computed then (+infinity at the end of the refractory period, where
  // the variance is 0, and before the first step, when only the youngest
  // bin has neurons). Bin i has age count - i and reads element
  // max_fine - count + i of the per-age arrays (oldest first), its T at the
  // start from the element after (one age younger).
  const std::size_t count = bins_.size();
  firing_ = count - std::min(count, c_.refractory_steps);
  const std::size_t at = c_.max_fine - count;
  LifBinRun run;
  run.u_mV = bins_.u_data();
  run.built_ex = c_.built_ex.data() + at;
  run.built_in = c_.built_in.data() + at;
  run.built_quenched = c_.built_quenched.data() + at;
  run.built_mean = c_.built_mean.data() + at;
  run.T_start = T_start_.data() + at + 1;
  run.log_below_start = log_below_start_.data() + at + 1;
  run.T_end = T_end_.data() + at;
  run.log_below_end = log_below_end_.data() + at;
  run.escape_probability = p_.data();
  run.count = firing_;
  if (firing_ > 0) segments[segment_count++] = LifBinSegment{bin_constants, now_, drive_mV, run};
  // The run will write T_end_'s arrays, which after this swap hold the next
  // step's start (std::swap keeps each array where it is).
  std::swap(T_end_, T_start_);
  std::swap(log_below_end_, log_below_start_);
  // Blocks and the pool's lane: the same run over their columns, with their
  // moments as the built-up parts (mixture_distance) and the spread of their
  // means; T at the start is the block's own from the previous step.
  {
    // Each block one step older (age_moments, over the columns), then the
    // parts of its variance and threshold shift built up (mixture_distance).
    const std::size_t C = blocks_.size();
    double* const spread = blocks_.spread.data();
    double* const g = blocks_.g.data();
    double* const g2 = blocks_.g2.data();
    double* const c_ex = blocks_.c_ex.data();
    double* const c_in = blocks_.c_in.data();
    double* const ex = block_ex_.data();
    double* const in = block_in_.data();
    double* const quenched = block_quenched_.data();
    double* const mean = block_mean_.data();
    const double P22_sq = P22 * P22, decay_ex = c_.decay_c_ex, decay_in = c_.decay_c_in;
    const double lambda_ex = c_.lambda_ex, lambda_in = c_.lambda_in;
#pragma omp simd
    for (std::size_t i = 0; i < C; ++i) {
      spread[i] *= P22_sq;
      g[i] *= P22;
      g2[i] *= P22_sq;
      c_ex[i] *= decay_ex;
      c_in[i] *= decay_in;
      ex[i] = 1.0 - ((1.0 + lambda_ex) * g2[i] - lambda_ex * c_ex[i]);
      in[i] = 1.0 - ((1.0 + lambda_in) * g2[i] - lambda_in * c_in[i]);
      quenched[i] = 1.0 - 2.0 * g[i] + g2[i];
      mean[i] = 1.0 - g[i];
    }
    // The run reads each block's T, ln P_below (and slope) at the step's
    // start and writes those at its end in the same place (each lane reads its
    // own before it writes), and, with the survivor tilt, moves the
    // survivors' mean and spread (lif_bin_lanes.hpp).
    LifBinRun blocks;
    blocks.u_mV = blocks_.u.data();
    blocks.built_ex = ex;
    blocks.built_in = in;
    blocks.built_quenched = quenched;
    blocks.built_mean = mean;
    blocks.spread_mV2 = spread;
    blocks.T_start = blocks_.T.data();
    blocks.log_below_start = blocks_.log_below.data();
    blocks.T_end = blocks_.T.data();
    blocks.log_below_end = blocks_.log_below.data();
    blocks.escape_probability = blocks_.p.data();
    if (c_.survivor_tilt) {
      blocks.slope_below_start = blocks_.slope_below.data();
      blocks.slope_below_end = blocks_.slope_below.data();
      blocks.spread_end_mV2 = spread;
    }
    blocks.count = C;
    segments[segment_count++] = LifBinSegment{bin_constants, now_, drive_mV, blocks};
  }
  before_ = now_;
  return segment_count;
}

double LifPopulationEquation::expected_spikes(double drive_mV, const InputNoise::Variances& noise,
                                              bool lambda_correction) {
  LifBinSegment segments[kLifSegments];
  lif_bin_hazard_runs(segments, begin_step(drive_mV, noise, segments));
  return end_step(lambda_correction);
}

void LifPopulationEquation::take_pool_lane() {
  const double m = free_.m, v = free_.v;
  free_ = blocks_.mixture(0);
  free_.m = m, free_.v = v;
  p_free_ = blocks_.p[0];
  free_T_ = blocks_.T[0];
  free_log_below_ = blocks_.log_below[0];
  free_slope_below_ = blocks_.slope_below[0];
}

double LifPopulationEquation::end_step(bool lambda_correction) {
  take_pool_lane();
  // The bins that can fire and the blocks age; the refractory bins
  // (firing_ on) only count as survivors.
  double* const m = bins_.m_data();
  const std::size_t count = bins_.size();
  double refractory = 0.0;
#pragma omp simd reduction(+ : refractory)
  for (std::size_t i = firing_; i < count; ++i) refractory += m[i];
  BinSums sums;
  sums.M = refractory;
  age_escapes(m, bins_.v_data(), p_.data(), firing_, sums);
  age_escapes(blocks_.m.data() + 1, blocks_.v.data() + 1, blocks_.p.data() + 1, blocks_.size() - 1, sums);
  const double W = sums.W, Y = sums.Y, Z = sums.Z, survivors = sums.M;
  double expected = W + p_free_ * free_.m;
  if (lambda_correction) {
    // Schwalger et al. 2017 (reference meso-algorithm.md 3.2 step 8), as population_equation.cpp.
    const double norm = Z + free_.v;
    const double p_lambda = norm > 0.0 ? (Y + p_free_ * free_.v) / norm : 0.0;
    expected += p_lambda * (c_.size - survivors - free_.m);
  }
  return std::clamp(expected, 0.0, c_.size);
}

double LifPopulationEquation::draw_spikes_by_age(double drive_mV, const InputNoise::Variances& noise,
                                                 PhiloxWords& words, double& expected) {
  if (blocks_.size() > 1) throw std::logic_error("the master-equation variant needs the exact history (no blocks)");
  LifBinSegment segments[kLifSegments];
  lif_bin_hazard_runs(segments, begin_step(drive_mV, noise, segments));
  take_pool_lane();
  double spikes = draw_binomial(free_.m, p_free_, words);
  expected = p_free_ * free_.m;
  free_.m -= spikes;
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
    free_.v = (1.0 - p_free_) * (1.0 - p_free_) * free_.v + p_free_ * free_.m;
    free_.m *= 1.0 - p_free_;
  }
  free_pool_drawn_ = false;
  // The bins' ages in this step: bin i had age count - i.
  const std::size_t count = bins_.size();
  if (blocks_.size() == 1) {
    // The oldest bin (age K) joins the pool, whose membrane is its members'
    // mean (population_equation.cpp, commit), with its share of the
    // mixture's moments (the pooled variance of two groups).
    join(free_, bin_mixture(0, count));
    free_joined_ = true;
    bins_.pop_oldest(1);
    bins_.push_youngest(spikes, spikes, 0.0, c_.reset_rel_mV);
    return;
  }
  // Once every `steps` steps of a stage (oldest stage first, so that no
  // block moves twice in a step): the oldest stage's oldest block joins the
  // pool; a younger stage's oldest blocks, as many as make one block of the
  // next stage, merge into that stage's youngest; the block_steps oldest fine
  // bins form the youngest stage's youngest block. Each new block's T at the
  // end of this step (the next step's start) from its moments.
  ++steps_done_;
  const std::size_t L = c_.stages.size();
  const auto start_of = [&](std::size_t l) {  // index in blocks_ of stage l's oldest block (after the pool's lane)
    std::size_t at = 1;
    for (std::size_t k = L - 1; k > l; --k) at += stage_count_[k];
    return at;
  };
  // A new block's T, ln P_below and d ln P_below/dT at the end of this step.
  const auto add = [&](std::size_t at, const LifMixture& x, bool append) {
    double T, log_below, slope;
    start_values(x, T, log_below, slope);
    if (append)
      blocks_.push_back(x, T, log_below, slope);
    else
      blocks_.set(at, x, T, log_below, slope);
  };
  if (steps_done_ % c_.stages[L - 1].steps == 0) {
    join(free_, blocks_.mixture(1));
    free_joined_ = true;
    blocks_.erase(1, 2);
    --stage_count_[L - 1];
  }
  for (std::size_t l = L - 1; l > 0; --l) {
    if (steps_done_ % c_.stages[l].steps != 0) continue;
    const std::size_t r = c_.stages[l].steps / c_.stages[l - 1].steps, at = start_of(l - 1);
    merge_scratch_.clear();
    for (std::size_t k = 0; k < r; ++k) merge_scratch_.push_back(blocks_.mixture(at + k));
    add(at, pooled(merge_scratch_.data(), r), false);
    blocks_.erase(at + 1, at + r);
    stage_count_[l - 1] -= r;
    ++stage_count_[l];
  }
  bins_.push_youngest(spikes, spikes, 0.0, c_.reset_rel_mV);
  if (steps_done_ % c_.block_steps != 0) return;
  merge_scratch_.clear();
  for (std::size_t i = 0; i < c_.block_steps; ++i) merge_scratch_.push_back(bin_mixture(i, count - i));
  add(0, pooled(merge_scratch_.data(), c_.block_steps), true);
  bins_.pop_oldest(c_.block_steps);
  ++stage_count_[0];
}

}  // namespace micromeso::meso
