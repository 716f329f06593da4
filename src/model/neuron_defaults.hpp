// NEST's default parameters of each neuron model (NEST 3 model docs), the
// values a circuit file gets for every key it leaves out.
#pragma once

#include "micromeso/circuit.hpp"

namespace micromeso::model {

inline NeuronParams default_neuron_params(NeuronModel model) {
  NeuronParams p;
  p.model = model;
  p.E_L_mV = -70.0;
  p.I_e_pA = 0.0;
  p.tau_syn_ex_ms = 2.0;
  p.tau_syn_in_ms = 2.0;
  switch (model) {
    case NeuronModel::iaf_psc_exp:
      p.C_m_pF = 250.0;
      p.tau_m_ms = 10.0;
      p.V_th_mV = -55.0;
      p.V_reset_mV = -70.0;
      p.t_ref_ms = 2.0;
      break;
    case NeuronModel::gif_psc_exp:  // g_L = 4 nS, so tau_m = C_m / g_L = 20 ms
      p.C_m_pF = 80.0;
      p.tau_m_ms = 20.0;
      p.V_reset_mV = -55.0;
      p.t_ref_ms = 4.0;
      p.V_T_star_mV = -35.0;
      p.Delta_V_mV = 0.5;
      p.lambda_0_per_s = 1.0;
      break;
    case NeuronModel::iaf_cond_exp:  // g_L = 16.6667 nS
      p.C_m_pF = 250.0;
      p.tau_m_ms = 250.0 / 16.6667;
      p.V_th_mV = -55.0;
      p.V_reset_mV = -60.0;
      p.t_ref_ms = 2.0;
      p.E_ex_mV = 0.0;
      p.E_in_mV = -85.0;
      p.tau_syn_ex_ms = 0.2;
      p.tau_syn_in_ms = 2.0;
      break;
    case NeuronModel::hh_psc_alpha:  // g_L = 30 nS
      p.C_m_pF = 100.0;
      p.tau_m_ms = 100.0 / 30.0;
      p.E_L_mV = -54.402;
      p.t_ref_ms = 2.0;
      p.g_Na_nS = 12000.0;
      p.g_K_nS = 3600.0;
      p.E_Na_mV = 50.0;
      p.E_K_mV = -77.0;
      p.tau_syn_ex_ms = 0.2;
      p.tau_syn_in_ms = 2.0;
      break;
    case NeuronModel::pp_psc_delta:  // V relative to rest: no E_L
      p.C_m_pF = 250.0;
      p.tau_m_ms = 10.0;
      p.E_L_mV = 0.0;
      p.V_reset_mV = 0.0;
      p.t_ref_ms = 0.0;
      p.dead_time_ms = 1.0;
      p.c_1_Hz_per_mV = 0.0;
      p.c_2_Hz = 1.238;
      p.c_3_per_mV = 0.25;
      p.with_reset = true;
      break;
  }
  return p;
}

// NEST's initial V_m of each model (mV): E_L, but -65 mV for hh_psc_alpha
// and 0 (rest) for pp_psc_delta.
inline double default_initial_V_mV(const NeuronParams& p) {
  if (p.model == NeuronModel::hh_psc_alpha) return -65.0;
  if (p.model == NeuronModel::pp_psc_delta) return 0.0;
  return p.E_L_mV;
}

}  // namespace micromeso::model
