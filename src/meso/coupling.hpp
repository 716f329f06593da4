// From the microscopic circuit to the mesoscopic coupling (mean field).
//
// A projection beta -> alpha with mean weight w (pA) gives each target
// neuron on average C = (mean synapses per target) synapses:
//   fixed_total_number: n_synapses / N_alpha; pairwise_bernoulli: p N_beta
//   (p (N - 1) onto itself without autapses); fixed_indegree: indegree.
// A spike of one beta neuron therefore adds on average (C / N_beta) w to the
// excitatory or inhibitory current of every alpha neuron, after the
// projection's mean delay rounded to dt. What is lost: the spread of the
// micro circuit's delays (it smooths the coupling kernel), the weight
// spread (relative sd), and the quenched randomness of who connects to whom;
// all are averaged out in the mean-field coupling.
//
// External Poisson input (K sources at rate nu, weight w) enters as its
// mean, K nu dt w per step into the synaptic current; its fluctuations are
// not represented: the escape noise of gif_psc_exp stands in for them (the
// population equations of Schwalger et al. 2017 have no diffusive term).
// I_e and dc add to the constant current.
#pragma once

#include <cstdint>
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

// Mean synapses per target neuron of a projection.
double mean_synapses_per_target(const Circuit& circuit, const Projection& projection);
std::vector<PopulationCoupling> make_coupling(const Circuit& circuit);

}  // namespace micromeso::meso
