// Small gif_psc_exp circuits for the mesoscopic tests, and the renewal
// theory of one escape-noise neuron under constant drive.
#pragma once

#include <cmath>
#include <vector>

#include "micromeso/circuit.hpp"
#include "micromeso/physics/exp_synapse.hpp"
#include "micromeso/physics/gif_psc_exp.hpp"

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

// Stationary rate (Hz) of the renewal process of one gif_psc_exp neuron
// without adaptation under constant current: after a spike V is held at
// V_reset for R steps, then V_m = V_inf + (V_reset - V_inf) P22^m, and the
// m-th free step fires with p_m; the mean interval is sum_k k P(k).
inline double renewal_rate_hz(const Population& p, double dt_ms) {
  const NeuronParams& n = p.neuron;
  const auto prop = physics::make_exp_synapse_propagators(n.C_m_pF, n.tau_m_ms, n.tau_syn_ex_ms, n.tau_syn_in_ms, dt_ms);
  const double v_inf = n.I_e_pA * prop.P20 / (1.0 - prop.P22);
  const int R = static_cast<int>(std::lround(n.t_ref_ms / dt_ms));
  double survival = 1.0, mean_steps = 0.0, v = n.V_reset_mV - n.E_L_mV;
  for (int m = 1; survival > 1e-300 && m < 100000000; ++m) {
    v = v * prop.P22 + n.I_e_pA * prop.P20;
    const double hazard = n.lambda_0_per_s * 1e-3 * std::exp((v - (n.V_T_star_mV - n.E_L_mV)) / n.Delta_V_mV);
    const double fire = -std::expm1(-hazard * dt_ms);
    mean_steps += double(R + m) * survival * fire;
    survival *= 1.0 - fire;
    (void)v_inf;
  }
  return 1000.0 / (mean_steps * dt_ms);
}

}  // namespace micromeso::testing
