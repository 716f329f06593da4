// The mesoscopic engine: one stochastic population equation per population
// (Schwalger, Deger & Gerstner 2017, PLoS Comput Biol 13:e1005507; the
// discrete-time algorithm of NEST's gif_pop_psc_exp), fed by the same circuit as the
// microscopic engine. Populations must be gif_psc_exp (escape noise) or
// iaf_psc_exp driven by input noise, whose fluctuations are mapped to a
// hazard per age bin (src/meso/lif_population.hpp, docs/meso-lif.md). The
// mapping from the circuit to population coupling (mean field: synapses per
// target x weight, mean delays, Poisson input as its mean current) is
// documented in src/meso/coupling.hpp, the optional input noise in
// src/meso/input_noise.hpp; the population equation and where it
// follows the micro engine rather than NEST in src/meso/population_equation.hpp.
//
// Conventions shared with the micro engine: step k covers (k dt, (k+1) dt];
// a spike in step k reaches its targets in step k + d (d = delay in steps)
// and acts on their membranes from step k + d + 1. At t = 0 every neuron has
// just fired (NEST's initial condition), so runs start with a synchronous
// transient that t_presim should cover. Random counts come from Philox
// (seed = simulation seed, stream kStreamMeso, or kStreamMesoMaster for the
// master variant's per-age draws, index = population, counter from the
// step): a run is a pure function of circuit, options and seed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "micromeso/circuit.hpp"

namespace micromeso::meso {

enum class NoiseModel {
  binomial,  // n ~ Binomial(N, n_expected / N) (default, as NEST's gif_pop_psc_exp)
  poisson,   // n ~ Poisson(n_expected), clipped to N
  none,      // n = n_expected: the N -> infinity integral equation (deterministic)
  // Per age bin, Binomial(m_k, p_k) of its whole survivors fire: the
  // population's age-structured Markov chain, no finite-size approximation
  // (no Lambda), exact without adaptation (src/meso/population_equation.hpp,
  // draw_spikes_by_age). Always over the exact history (no blocks); slower.
  master
};
// "binomial" | "poisson" | "none" | "master"; anything else throws std::invalid_argument.
NoiseModel parse_noise_model(const std::string& text);

struct MesoOptions {
  NoiseModel noise = NoiseModel::binomial;
  // false: the naive finite-size model (Lambda = 0), which does not conserve
  // the number of neurons (the bookkeeping drifts, as a random walk, until
  // the population falls silent); kept for comparison.
  bool lambda_correction = true;
  // Ages past 5 tau_m, where only the adaptation kernel tells them apart, are
  // grouped in blocks over which the kernel changes by at most this many
  // Delta_V (src/meso/history_length.hpp). The blocks' error is of second
  // order in it (below 1e-4 of the stationary rate at the default); the
  // window then ends K to K + B - 1 steps back, with the blocks' phase,
  // rather than at K (a change within the window's own truncation error).
  // 0: one age bin per step over the whole history (the paper's algorithm,
  // "exact history").
  double block_kernel_change_Delta_V = 0.05;
  // true: each neuron's private input fluctuations (Poisson input, and the
  // shot noise of its own sample of a sparse projection's spikes) lower the
  // escape threshold by sigma^2 / (2 Delta_V), sigma^2 the membrane variance
  // they cause (src/meso/input_noise.hpp). Not in Schwalger et al. (2017);
  // off by default.
  bool input_noise = false;
  // The free pool (neurons whose last spike is older than the history K) has
  // its members' mean membrane potential. true: the free potential with the
  // reset forgotten, as Schwalger et al. (2017) and NEST's gif_pop_psc_exp
  // have it, exp(-K dt / tau_m) (V_free - V_reset) too high (exp(-5) at the
  // K = 5 tau_m of populations without adaptation); at low rates, where most
  // neurons are in the pool, that raises their hazard by a few percent and
  // moves the rates of coupled populations by about 1 % (the bistable pair).
  bool paper_free_pool = false;
};

// Throws CircuitError naming the population or projection the mesoscopic
// engine cannot represent, and why: a model other than gif_psc_exp and
// iaf_psc_exp, an iaf_psc_exp population without input noise (no hazard),
// Delta_V <= 0, an adaptation kernel too long for the history, values it
// cannot compute with (non-finite, non-positive time constants, ...).
void check_meso_circuit(const Circuit& circuit);

// One run. No global state: several simulators may run side by side.
class MesoSimulator {
 public:
  // Checks the circuit (check_meso_circuit) and sets up the populations.
  MesoSimulator(const Circuit& circuit, const MesoOptions& options);
  ~MesoSimulator();
  MesoSimulator(MesoSimulator&&) noexcept;
  // Advances one time step dt; no allocation.
  void step();
  // Spike counts of the last step per population (expected counts for NoiseModel::none).
  const std::vector<double>& spike_counts() const;
  // Expected counts of the last step (Schwalger's n_bar = N A_bar dt), before the random draw.
  const std::vector<double>& expected_counts() const;
  std::uint64_t steps_done() const;
  // Length K of the age history (bins of dt) of a population.
  std::size_t history_steps(std::size_t population) const;
  // Membrane variance (mV^2) of a population's private input this step
  // (MesoOptions::input_noise, and always for iaf_psc_exp populations, whose
  // hazard it makes; 0 otherwise).
  double input_noise_variance_mV2(std::size_t population) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace micromeso::meso
