// Small gif_psc_exp circuits for the mesoscopic tests (renewal theory of
// one such neuron under constant drive: renewal_theory.hpp).
#pragma once

#include <cmath>
#include <vector>

#include "micromeso/circuit.hpp"
#include "renewal_theory.hpp"

namespace micromeso::testing {

// Schwalger-style parameters, voltages relative to rest: tau_m 20 ms,
// t_ref 4 ms, V_T* 15 mV, Delta_V 2 mV, lambda_0 10 Hz; I_e sets the drive.
inline Population gif_population(const std::string& name, std::uint64_t size, double I_e_pA) {
  Population p;
  p.name = name;
  p.size = size;
  NeuronParams& n = p.neuron;
  n.model = NeuronModel::gif_psc_exp;
  n.C_m_pF = 250.0;
  n.tau_m_ms = 20.0;
  n.E_L_mV = 0.0;
  n.V_reset_mV = 0.0;
  n.t_ref_ms = 4.0;
  n.tau_syn_ex_ms = 3.0;
  n.tau_syn_in_ms = 6.0;
  n.I_e_pA = I_e_pA;
  n.V_T_star_mV = 15.0;
  n.Delta_V_mV = 2.0;
  n.lambda_0_per_s = 10.0;
  p.v_init.distribution = InitDistribution::fixed;
  p.v_init.value_mV = 0.0;
  return p;
}

inline Circuit single_population(std::uint64_t size, double I_e_pA, double dt_ms, std::uint64_t seed) {
  Circuit c;
  c.name = "single";
  c.simulation.dt_ms = dt_ms;
  c.simulation.seed = seed;
  c.populations = {gif_population("P", size, I_e_pA)};
  return c;
}

// The same population with threshold adaptation on two time scales
// (q_sfa 5 mV over 30 ms and 1 mV over 200 ms): a history of several hundred
// steps at dt 0.5 ms, long enough for blocks (history_length.hpp).
inline Circuit adapting_single_population(std::uint64_t size, double I_e_pA, double dt_ms, std::uint64_t seed) {
  Circuit c = single_population(size, I_e_pA, dt_ms, seed);
  c.populations[0].neuron.tau_sfa_ms = {30.0, 200.0};
  c.populations[0].neuron.q_sfa_mV = {5.0, 1.0};
  return c;
}

}  // namespace micromeso::testing
