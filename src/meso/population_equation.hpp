// One population of gif_psc_exp neurons as a finite-size population
// equation: the discrete-time algorithm of Schwalger, Deger & Gerstner
// (2017), as NEST's gif_pop_psc_exp implements it (the paper's pseudocode,
// Figs. 11-12, was not available to us). Per step, for the K bins of the age history
// (bin = neurons whose last spike was k steps ago): membrane u_k, quasi-
// renewal threshold, escape probability p_k, expected survivors m_k and their
// variance v_k; bins older than K form the free pool (x, z). The expected
// count is n_bar = sum p_k m_k + P_free x + P_Lambda (N - sum m_k - x)
// (reference 3.2 steps 7-9; 3.6 for the continuous form).
//
// Long adaptation (tau_sfa ~ 1 s) makes K long, though past 5 tau_m the
// bins differ only through the slowly varying kernel. Unless the history is
// exact (MesoOptions::block_kernel_change_Delta_V = 0), those ages are
// grouped in blocks of B steps (history_length.hpp sizes B so that the
// kernel changes by at most that many Delta_V, 0.05 by default, over a block). The youngest bins stay per step; they grow by
// one bin per step, and every B steps the B oldest of them merge into a new
// block while the oldest block joins the free pool. A block updates like one
// bin whose kernel is the block average over its ages at the present phase
// (population_constants.cpp); its neurons' differences within the block
// enter at second order (hazard ~ exp(-theta / Delta_V), averaged at first).
//
// Without adaptation the blocks may start younger (membrane_block_layout:
// blocks of tau_m / 4 from where the reset's offsets within a block are small
// against Delta_V, right after the refractory period at the earliest; compare the
// hard-threshold populations' blocks, lif_population.hpp), where the bins' potentials still
// differ by the decaying reset. Such a block keeps, besides the survivors'
// mean potential, the variance s^2 of its members' potentials about it
// (decaying as P22^2 per step, as every member sees the same drive); its
// hazard is the mean over a Gaussian spread, exp(s^2 / (2 Delta_V^2)) times
// that at the mean, and after each step its mean and spread move as those of
// the survivors do to first order in the escape probability (the tilt of the
// Gaussian by exp(delta / Delta_V)). The error against the exact history is
// measured in docs/meso-model.md and bounded by tests/meso/test_meso_population.cpp.
//
// Where we follow the micro engine rather than NEST, so that micro and meso
// describe the same neurons:
// - membrane and synaptic currents advance with the same exact propagators
//   (physics/exp_synapse.hpp), the step's input acting on V in that step
//   (gif_psc_exp_step, NEST's gif_psc_exp order);
// - the escape probability of a step is 1 - exp(-lambda(V_new) dt)
//   (physics/gif_psc_exp.hpp), not NEST's trapezoidal rule with its
//   linearisation below p = 0.01;
// - a neuron that fired in step s can fire again from step s + t_ref/dt + 1
//   (as NEST; Schwalger's C code one step earlier);
// - the adaptation kernel seen a steps after a spike is
//   sum_j q_j exp(-(a - 1) dt / tau_j) (gif_psc_exp.hpp's convention; NEST's
//   meso model uses exp(-a dt / tau_j));
// - potentials start at V_reset relative to E_L (NEST: 0 mV, reference 6.7);
// - the threshold correction takes out the oldest bin's spikes, as
//   Schwalger's codes do (NEST reads buffer slot 0, reference 6.1).
// And one place where we depart from both: the free pool's membrane is its
// members' mean potential, not the free potential with the reset forgotten
// (commit(); MesoOptions::paper_free_pool restores the paper's rule).
#pragma once

#include <cstddef>
#include <vector>

#include "meso/age_bins.hpp"
#include "meso/bin_update.hpp"
#include "meso/history_length.hpp"
#include "meso/spike_count_draw.hpp"
#include "meso/threshold_shift.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/physics/exp_synapse.hpp"

namespace micromeso::meso {

struct PopulationConstants {
  double size = 0.0;  // N
  double dt_ms = 0.0;
  physics::ExpSynapsePropagators prop;
  double reset_rel_mV = 0.0;     // V_reset - E_L
  double V_T_star_rel_mV = 0.0;  // V_T_star - E_L
  double Delta_V_mV = 1.0;
  double lambda_0_per_ms = 0.0;
  std::size_t refractory_steps = 0;
  HistoryLayout layout;          // the history K = layout.total() steps
  // Per fine bin, indexed by age a in steps (1 ... fine + block_steps - 1; 0 unused):
  std::vector<double> theta_mV;        // own-spike kernel, sum_j q_j exp(-(a - 1) dt / tau_j)
  std::vector<double> theta_tilde_mV;  // quasi-renewal kernel per spike: Delta_V (1 - exp(-theta / Delta_V)) / N
  // Per block, indexed [phase * blocks + i] (i = 0 oldest; phase = steps since
  // the youngest block formed): the block averages described in
  // population_equation.cpp.
  std::vector<double> block_theta_mV, block_theta_tilde_mV, block_self_tilde_mV;
  // Per fine bin by age: the part 1 - f(a) of an input-noise threshold
  // shift not yet built up since the reset (threshold_shift.hpp), per kind.
  std::vector<double> unbuilt_excitatory, unbuilt_inhibitory, unbuilt_quenched;
  // The same per block of young ages (layout.membrane_blocks), indexed as the
  // block kernels: the mean over the block's ages.
  std::vector<double> block_unbuilt_excitatory, block_unbuilt_inhibitory, block_unbuilt_quenched;
  std::vector<double> sfa_decay;            // exp(-dt/tau_j)
  std::vector<double> sfa_free_gain_mV_ms;  // threshold of the free pool per unit of filtered activity g_j
  std::vector<double> sfa_exit_weight;      // weight of a leaving block's spikes in g_j (1 without blocks)
};

// block_kernel_change_Delta_V: see history_layout (0: one bin per step over
// the whole history, the paper's algorithm). membrane_blocks: populations
// without adaptation group their young ages in blocks that carry their
// members' spread (membrane_block_layout; not where
// block_kernel_change_Delta_V is 0).
PopulationConstants make_population_constants(const Population& population, double dt_ms,
                                              double block_kernel_change_Delta_V, bool membrane_blocks = false);

class PopulationEquation {
 public:
  // paper_free_pool: the free pool's membrane is the free potential with the
  // reset forgotten (Schwalger et al. 2017, NEST), not its members' mean
  // (MesoOptions::paper_free_pool).
  explicit PopulationEquation(PopulationConstants constants, bool paper_free_pool = false);

  // First half of a step: ages the history under the membrane drive (mV, the
  // step's increment from currents and constant input, relative to E_L) and
  // returns the expected number of spikes in this step. `shift` lowers the
  // thresholds of the step by input noise (input_noise.hpp), by its full
  // value from 5 tau_m after a spike on.
  double expected_spikes(double drive_mV, bool lambda_correction, const ThresholdShift& shift = ThresholdShift{});
  // First half of a step in the master-equation variant (NoiseModel::master;
  // reference meso-algorithm.md 3.7, Schwalger's glm_mastereq.c, the idea of
  // Deger et al. 2014): the survivors m_k are whole neurons, and each bin's
  // firing survivors are drawn, Binomial(m_k, p_k), as is the free pool's;
  // no variance v, no Lambda. This is the population's age-structured Markov
  // chain: exact for populations without adaptation whose neurons all see
  // the same input, quasi-renewal with adaptation. Requires the exact history
  // (no blocks). Returns the step's spikes, the sum of the draws; `expected`
  // gets their expectation.
  double draw_spikes_by_age(double drive_mV, const ThresholdShift& shift, PhiloxWords& words, double& expected);
  // Second half: the oldest bin (or, once per block_steps, the oldest block)
  // joins the free pool and the step's n spikes (random draw, or the
  // expectation) form the youngest bin.
  void commit(double spikes);

  const PopulationConstants& constants() const { return c_; }
  // Neurons accounted for by the bookkeeping (sum of survivors + free pool);
  // equals N on average only with the Lambda correction.
  double accounted_neurons() const;

 private:
  // Whether this step's commit moves a bin or block into the free pool.
  bool oldest_leaves() const { return c_.layout.blocks == 0 || phase_ + 1 == c_.layout.block_steps; }
  // The part of a step both variants share: the free pool's escape
  // probability (p_free_) and the thresholds of the bins and blocks.
  struct StepThresholds {
    BinThresholds fine, blocks;
    std::size_t firing = 0;  // fine bins past the refractory period (the oldest `firing` bins)
  };
  StepThresholds prepare_step(double drive_mV, const ThresholdShift& shift);

  PopulationConstants c_;
  AgeBins fine_, blocks_;
  std::size_t phase_ = 0;              // steps since the youngest block formed
  bool adapting_ = false;              // some theta_mV != 0 (else every bin sees the free threshold)
  double free_neurons_ = 0.0, free_variance_ = 0.0, free_V_rel_mV_ = 0.0;
  std::vector<double> sfa_filtered_;   // g_j: activity (1/ms) that left the window, low-pass filtered
  double p_free_ = 0.0;
  bool free_pool_drawn_ = false;       // this step's free-pool escapes were drawn (master variant)
  std::vector<double> block_threshold_, fine_threshold_;  // scratch: this step's thresholds
  bool paper_free_pool_ = false;
  // Blocks of young ages (layout.membrane_blocks): per block (0 oldest) the
  // variance of its members' potentials about the block's mean (mV^2), and
  // scratch for the survivors before the step.
  std::vector<double> block_spread_mV2_, block_survivors_before_;
};

}  // namespace micromeso::meso
