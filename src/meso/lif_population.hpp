// One population of hard-threshold LIF neurons (iaf_psc_exp) as a
// finite-size population equation (docs/meso-lif.md). The age bins, the
// expected survivors m_k and their variance v_k, the Lambda correction, the
// free pool and the random counts are those of the escape-noise engine
// (population_equation.hpp; Schwalger, Deger & Gerstner 2017). What differs
// is the hazard. A LIF neuron fires when its input fluctuations carry V over
// V_th; the neurons of one age bin (last spike k steps ago) share the mean
// potential u_k (the population's mean input, integrated from V_reset) and
// have, around it, a Gaussian spread of variance sigma_k^2 that the reset set
// to zero and the private input noise builds up again:
//   sigma^2(a) = sum_kinds s_kind^2(t) f_kind(a)
// (s^2 by Campbell's theorem from the population's private input, f the
// growth after the reset, input_noise.hpp and threshold_shift.hpp). The
// hazard of the bin is Chizhov & Graham's (2007) of (u_k, sigma_k) and
// their change over the step (lif_hazard.hpp), with the threshold raised by
// the Fourcaud & Brunel (2002) correction for synaptic filtering.
//
// Where this follows the micro engine (iaf_psc_exp.hpp): the membrane
// propagates with the currents as they were before this step's input
// arrives (NEST's iaf_psc_exp order; the caller passes that drive); a neuron
// that fired in step s is held at V_reset in steps s+1 ... s+t_ref/dt and
// can fire from step s+t_ref/dt+1 on.
//
// No adaptation, so the history is the membrane's: t_ref + 5 tau_m
// (kLifHistoryTauM). With the exact history (--exact-history, the master
// variant, the paper's free pool) one bin per step over all of it.
//
// The free pool as a mixture (docs/meso-lif.md, section 8). All members of
// the pool share its escape probability, so the proportions of its members
// stay as they joined, and every member's state is a known function of its
// age since it joined: its mean potential differs from the pool's mean by an
// offset that decays as exp(-t / tau_m) (every member has the same drive),
// and the parts of the variance and of the threshold shift not yet built up
// decay as sums of exponentials of the age (threshold_shift.hpp). So the
// pool keeps the survivor-weighted means of those exponentials and the
// variance of the offsets, each decaying at its own rate, and its hazard is
// that of one Gaussian with the mixture's mean and variance (the members'
// mean variance plus the spread of their means). The approximation is the
// hazard of that Gaussian in place of the mixture's; its effect on the rates
// is measured against the exact history (tests/meso/test_meso_lif.cpp).
//
// Blocks of ages (the default history). Past t_ref + kLifFineHistoryTauM
// tau_m the ages are grouped in stages of blocks that grow with age
// (kLifStages), each block such a mixture with its own escape probability:
// the fine bins grow by one per step, and every block_steps steps the
// block_steps oldest of them form a new block of the youngest stage (their
// moments pooled); every `steps` steps of an older stage the oldest blocks of
// the stage before it merge into one of its blocks, and the oldest stage's
// oldest block joins the free pool, as the escape-noise engine's blocks
// (population_equation.hpp). What this neglects within a block is the pool's
// approximation on a smaller scale: its members' offsets differ by at most a
// factor exp(-block length / tau_m) of the youngest one's, so the block's
// mixture is close to one Gaussian; and the members of higher potential fire
// more than the block's common escape probability says, which the survivor
// tilt corrects to first order (lif_bin_lanes.hpp: the survivors' mean moves
// down by s^2 dH/du, s^2 the spread of the members' means). Measured against
// the exact history in docs/meso-lif.md, section 8 (tests MesoLifHistory).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include "meso/age_bins.hpp"
#include "meso/input_noise.hpp"
#include "meso/lif_bin_hazard.hpp"
#include "meso/spike_count_draw.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/physics/exp_synapse.hpp"

namespace micromeso::meso {

// The history in tau_m past t_ref, and of the default layout the part kept
// per step past t_ref.
inline constexpr double kLifHistoryTauM = 5.0, kLifFineHistoryTauM = 0.05;
// The default layout's stages of blocks, youngest first: blocks of
// `block_tau_m` tau_m up to `until_tau_m` tau_m past t_ref (the last stage up
// to kLifHistoryTauM). Each stage's blocks are a whole number of the
// younger stage's (make_lif_constants rounds the ratio), so that a block is
// formed from whole younger blocks.
struct LifStageSpec {
  double block_tau_m, until_tau_m;
};
inline constexpr LifStageSpec kLifStages[] = {{0.05, 0.5}, {0.25, 2.0}, {0.5, kLifHistoryTauM}};

// A stage of blocks: `count` blocks of `steps` ages each (between formations
// up to count + steps / younger steps - 1 of them).
struct LifStage {
  std::size_t steps = 1, count = 0;
};

// One mixture of neurons of different ages: a block or the free pool (above).
struct LifMixture {
  double m = 0.0, v = 0.0;  // expected survivors and their variance
  double u_mV = 0.0;        // the members' mean potential (relative to E_L)
  double spread_mV2 = 0.0;  // the variance of their mean potentials
  // Their means of exp(-a/tau_m), exp(-2a/tau_m), exp(-a/tau_c) per receptor
  // (a: each member's time since its refractory period ended).
  double g = 0.0, g2 = 0.0, c_ex = 0.0, c_in = 0.0;
};

struct LifConstants {
  double size = 0.0;  // N
  double dt_ms = 0.0;
  double h_over_tau_m = 0.0;
  physics::ExpSynapsePropagators prop;
  double threshold_rel_mV = 0.0;  // V_th - E_L
  double reset_rel_mV = 0.0;      // V_reset - E_L
  std::size_t refractory_steps = 0;
  std::size_t history = 0;        // K: neurons older than K steps form the free pool
  // The layout: `fine` ages one bin per step, then the stages of blocks,
  // youngest first (none with the exact history: fine = K); K = fine + sum
  // over stages of count * steps. block_steps is the youngest stage's
  // (1 without stages): between block formations the fine bins number
  // fine ... fine + block_steps - 1 (max_fine).
  std::size_t fine = 0, block_steps = 1, max_fine = 0;
  std::vector<LifStage> stages;
  bool survivor_tilt = false;  // make_lif_constants
  // Campbell's variance of the membrane under coloured noise times this is
  // the white-noise-equivalent variance that the Fourcaud-Brunel rate and
  // the Chizhov-Graham hazard take: (tau_m + tau_s) / tau_m per receptor
  // (docs/meso-lif.md, section 3).
  double white_ex = 1.0, white_in = 1.0;
  // The Fourcaud-Brunel threshold shift is sqrt(sum_kinds c_kind s_kind^2) with
  // c = (alpha^2 / 2) tau_s / tau_m, alpha = sqrt(2) |zeta(1/2)| (in white-equivalent variance).
  double fb_ex = 0.0, fb_in = 0.0;
  // Per age a in steps, oldest first (element j is age max_fine - j; age 0 unused): the part of the stationary
  // variance built up since the reset per kind, f(a), and of the mean's
  // approach to its input, 1 - exp(-a_free / tau_m), which also carries the
  // threshold shift (a shifted reset in Fourcaud & Brunel's boundary
  // conditions). Zero during the refractory period.
  std::vector<double> built_ex, built_in, built_quenched, built_mean;
  // The free pool's mixture (see above): 1 - f(a) = (1 + lambda) exp(-2a/tau_m) - lambda exp(-a/tau_c)
  // per receptor (threshold_shift.hpp, lambda = 2 / (tau_m (1/tau_s - 1/tau_m)), 1/tau_c = 1/tau_m + 1/tau_s);
  // the per-step decay of exp(-a/tau_m) is prop.P22, of exp(-2a/tau_m) its square.
  double lambda_ex = 0.0, lambda_in = 0.0, decay_c_ex = 0.0, decay_c_in = 0.0;
  // Per age in steps (element a is age a, 0 ... max_fine): exp(-a_free/tau_m), exp(-a_free/tau_c) per
  // receptor, a_free the time past the refractory period: a bin's moments as it joins a block or the pool.
  std::vector<double> age_g, age_c_ex, age_c_in;
};

// exact_history: one bin per step over t_ref + 5 tau_m; else the blocks above.
// survivor_tilt: the blocks' survivors move as the first-order tilt says
// (lif_bin_lanes.hpp); it more than halves the blocks' error against the
// exact history at high rates for a few percent of CPU time (docs/meso-lif.md,
// section 8); off only to measure what it corrects.
LifConstants make_lif_constants(const Population& population, double dt_ms, bool exact_history = false,
                                bool survivor_tilt = true);

class LifPopulationEquation {
 public:
  // paper_free_pool: the free pool's membrane is the free potential with the
  // reset forgotten, as in population_equation.hpp.
  explicit LifPopulationEquation(LifConstants constants, bool paper_free_pool = false);

  // First half of a step: ages the bins under the mean drive (mV, the step's
  // membrane increment from the mean currents and constant input) and the
  // population's present private input variance, and returns the expected
  // number of spikes of the step (population_equation.hpp, expected_spikes).
  double expected_spikes(double drive_mV, const InputNoise::Variances& noise, bool lambda_correction);
  // The same in three parts, so that a caller can run every population's
  // hazards in one call (lif_bin_hazard_runs): begin_step ages the free pool
  // and writes this step's runs of bins and blocks to `segments` (at most
  // kLifSegments; returns how many); after they have run, end_step ages the
  // survivors and returns the expected count. expected_spikes is begin_step,
  // lif_bin_hazard_runs and end_step.
  static constexpr std::size_t kLifSegments = 2;
  std::size_t begin_step(double drive_mV, const InputNoise::Variances& noise, LifBinSegment* segments);
  double end_step(bool lambda_correction);
  // The master-equation variant: each bin's firing survivors drawn,
  // Binomial(m_k, p_k) (population_equation.hpp, draw_spikes_by_age).
  double draw_spikes_by_age(double drive_mV, const InputNoise::Variances& noise, PhiloxWords& words,
                            double& expected);
  // Second half: the oldest bin joins the free pool and the step's spikes
  // form the youngest bin.
  void commit(double spikes);

  const LifConstants& constants() const { return c_; }
  double accounted_neurons() const;

 private:
  // This step's white-equivalent variances and threshold shift, and the
  // previous step's (the drift term needs T at the step's start).
  using Noise = LifBinNoise;
  Noise white_noise(const InputNoise::Variances& v) const;
  // T of a mixture (block or pool) under the step's noise, from its moments (see above).
  double mixture_distance(const LifMixture& mixture, const Noise& noise) const;
  // A new block's or the joined pool's T, ln P_below and d ln P_below/dT at
  // the end of this step (the next one's start), from its moments.
  void start_values(const LifMixture& mixture, double& T, double& log_below, double& slope) const;
  // After the runs: the pool's lane (the last of the block columns, added by
  // begin_step) back into free_, p_free_ and the pool's T.
  void take_pool_lane();
  // A bin's or block's survivors join a mixture (the pooled moments of two groups).
  void join(LifMixture& into, const LifMixture& joining) const;
  // A bin of `age` steps as a mixture of one age.
  LifMixture bin_mixture(std::size_t i, std::size_t age);

  LifConstants c_;
  AgeBins bins_;
  Noise now_, before_;
  bool started_ = false;
  LifMixture free_;  // the free pool (m: its neurons, v: their variance)
  // Lane 0: the free pool's (written by begin_step, read back by
  // take_pool_lane: free_ holds the pool between steps). Then the blocks,
  // oldest first (the oldest stage's first), as columns (one array
  // per moment, so that their per-step decay and the hazard's vector run read
  // them in place): each block's mixture, its T, ln P_below and d ln
  // P_below/dT at the end of the last step (the drift term's start; the run
  // overwrites them with the step's end), and its escape probability this step.
  struct BlockColumns {
    std::vector<double> m, v, u, spread, g, g2, c_ex, c_in, T, log_below, slope_below, p;
    std::size_t size() const { return m.size(); }
    LifMixture mixture(std::size_t i) const { return {m[i], v[i], u[i], spread[i], g[i], g2[i], c_ex[i], c_in[i]}; }
    void set(std::size_t i, const LifMixture& x, double T_end, double log_below_end, double slope_below_end);
    void push_back(const LifMixture& x, double T_end, double log_below_end, double slope_below_end);
    void erase(std::size_t from, std::size_t to);  // blocks [from, to)
    void reserve(std::size_t n);
    // Every column, for what is done to all alike.
    std::array<std::vector<double>*, 12> columns() {
      return {&m, &v, &u, &spread, &g, &g2, &c_ex, &c_in, &T, &log_below, &slope_below, &p};
    }
  };
  BlockColumns blocks_;
  std::vector<std::size_t> stage_count_;  // blocks now in each stage (youngest stage first)
  std::size_t steps_done_ = 0;            // commits so far: a stage forms a block when its steps divide it
  // The survivor-weighted moments of several groups (join), or, where none
  // has survivors, their plain means (an empty block fires no one).
  LifMixture pooled(const LifMixture* groups, std::size_t count) const;
  std::vector<LifMixture> merge_scratch_;
  // Scratch: the parts of the variance and threshold shift built up, per block, for the vector run.
  std::vector<double> block_ex_, block_in_, block_quenched_, block_mean_;
  double p_free_ = 0.0;
  // The pool's T and ln P_below at the last step's end, and whether a bin or
  // block joined it since (then they are computed again for the step's start).
  double free_T_ = HUGE_VAL, free_log_below_ = 0.0, free_slope_below_ = 0.0;
  bool free_joined_ = false, started_free_ = false;
  bool free_pool_drawn_ = false;
  std::size_t firing_ = 0;   // the oldest `firing_` bins are past the refractory period
  std::vector<double> p_;    // scratch: escape probability of each firing bin this step
  // T and ln P_below (lif_hazard.hpp) by age, oldest (max_fine) first, at the start
  // of this step (the end of the previous one) and at its end: a bin's T at
  // a step's start is its T at the end of the step before, one age younger
  // (the same mean, variance and threshold).
  std::vector<double> T_start_, log_below_start_, T_end_, log_below_end_;
  bool paper_free_pool_ = false;
};

}  // namespace micromeso::meso
