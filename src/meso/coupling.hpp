// From the microscopic circuit to the mesoscopic coupling (mean field,
// Schwalger et al. 2017: w_ab = p_ab N_b J_ab; reference meso-algorithm.md
// 3.6 and 4.1, where NEST's example scales the micro weight by p).
//
// Recurrent input. A projection b -> a with mean weight w (pA) gives each
// target neuron on average C synapses:
//   fixed_total_number: C = n_synapses / N_a;
//   pairwise_bernoulli: C = p N_b, or p (N_b - 1) onto itself without autapses;
//   fixed_indegree:     C = indegree.
// One spike of the source population therefore adds on average (C / N_b) w
// to a current of every target neuron: n_b(t - d) (C / N_b) w per step. The
// current is the target's excitatory or inhibitory one by the projection's
// receptor, so it decays with the target's tau_syn_ex or tau_syn_in and
// reaches the membrane through the same exact propagators as in the micro
// engine (the step's arrivals act on V in that step, as in gif_psc_exp); a spike
// of weight w deposits the charge w tau_syn in both engines.
// The delay d is the projection's mean delay rounded to a whole number of
// steps (at least one), as the micro engine rounds each drawn delay; onto
// iaf_psc_exp targets, the distribution of the drawn delays instead
// (delay_distribution_steps below).
//
// What the mean field loses: the spread of the micro circuit's delays (onto
// escape-noise targets)
// (delay_rel_sd: jitter smooths the coupling kernel in time, a low-pass the
// meso engine ignores; NEST's redraw of delays below dt/2 also shifts the
// micro mean slightly), the weight spread (weight_rel_sd: only the mean
// weight enters), and the quenched randomness of who connects to whom
// (every target neuron receives the population mean; heterogeneity of the
// in-degrees is absent).
//
// External input. K Poisson sources at rate nu with weight w enter as their
// mean, K nu dt w per step into the synaptic current (excitatory for w >= 0,
// inhibitory otherwise), i.e. through the same synaptic filter as recurrent
// input, which in the stationary state is the mean current K nu w tau_syn.
// Their fluctuations are not represented: the population equations of
// Schwalger et al. (2017) have no diffusive noise term; the escape noise of
// gif_psc_exp (Delta_V) stands in for the membrane fluctuations (their
// microcircuit code maps a Poisson background to mu and Delta_V this way,
// reference 4.5). A micro circuit with strong Poisson input therefore has
// more voltage noise than its meso counterpart unless Delta_V accounts for
// it, or the option MesoOptions::input_noise adds its variance (and that of
// each neuron's own sample of sparse projections) to the escape rate
// (input_noise.hpp). I_e and dc add to the constant current.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "micromeso/circuit.hpp"

namespace micromeso::meso {

struct CouplingInput {
  std::size_t source;               // population index
  double weight_per_spike_pA;       // (C / N_source) * w: per source spike, per target neuron
  bool excitatory;                  // receptor
  std::uint32_t delay_steps;        // >= 1
};

struct PopulationCoupling {
  std::vector<CouplingInput> inputs;
  double external_ex_pA_per_step = 0.0;  // mean Poisson input per step
  double external_in_pA_per_step = 0.0;
  double constant_current_pA = 0.0;      // I_e + dc
};

// Mean synapses per target neuron of a projection (C above).
double mean_synapses_per_target(const Circuit& circuit, const Projection& projection);
// The projection's mean delay in whole steps of dt, at least one (d above).
std::uint32_t mean_delay_steps(const Projection& projection, double dt_ms);
// The distribution of a projection's delays over whole steps of dt, as the
// micro engine draws them (normal, mean delay_ms, sd delay_rel_sd delay_ms,
// truncated at dt/2 and rounded): (steps, probability) pairs summing to 1.
// Projections onto iaf_psc_exp populations enter the coupling with it: the
// mean field of hard-threshold neurons, whose hazard follows the input's
// rate of change (lif_hazard.hpp, drift term), rings at a few hundred Hz
// through the fast inhibitory loops of a single delay (0.75 ms + tau_syn
// 0.5 ms in Potjans & Diesmann's circuit), which the spiking network's
// spread of delays (sd 0.375 ms) damps. Escape-noise targets keep the mean
// delay (their results unchanged).
std::vector<std::pair<std::uint32_t, double>> delay_distribution_steps(const Projection& projection, double dt_ms);
// Per target population: its inputs, external mean input and constant
// current. Runs check_meso_circuit first (throws CircuitError).
std::vector<PopulationCoupling> make_coupling(const Circuit& circuit);

// The same recurrent input, arranged for one step's cost: a delay
// distribution of many steps (onto iaf_psc_exp targets, 20 to 40 steps at dt
// 0.1 ms in Potjans & Diesmann's circuit) would be one term per projection
// and delay step, though every projection from a source with the same delays
// sees the same delayed counts. So each distinct (source, distribution)
// pair is one filter, its delayed count sum_d P(d) n_source(t - d) formed once
// per step, and each projection one term, its weight times that filter's
// value: the terms of make_coupling grouped, equal up to the rounding of
// the sums (a single delay of probability 1, the escape-noise targets'
// coupling, gives the same sums to the bit).
struct DelayFilter {
  std::size_t source = 0;
  std::vector<std::pair<std::uint32_t, double>> taps;  // (delay steps >= 1, probability)
  // The taps as one window over the source's past counts, oldest first:
  // window[j] is the probability of the delay `longest - j` (0 where there
  // is no tap), so that the delayed count at step t is the dot product of
  // `window` with the counts of steps t - longest, t - longest + 1, ...
  // (a loop the compiler vectorises, where the taps one by one were a chain
  // of dependent additions). make_delayed_coupling fills both.
  std::uint32_t longest = 0;
  std::vector<double> window;
};
// Fills filter.longest and filter.window from filter.taps.
void set_delay_window(DelayFilter& filter);
struct FilteredInput {
  std::size_t filter = 0;           // index into DelayedCoupling::filters
  double weight_per_spike_pA = 0.0; // (C / N_source) w, as CouplingInput
  bool excitatory = true;
};
struct DelayedCoupling {
  std::vector<DelayFilter> filters;
  std::vector<std::vector<FilteredInput>> inputs;  // per target population, in projection order
};
DelayedCoupling make_delayed_coupling(const Circuit& circuit);

}  // namespace micromeso::meso
