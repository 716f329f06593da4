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
  if (model == NeuronModel::iaf_psc_exp) {
    p.C_m_pF = 250.0;
    p.tau_m_ms = 10.0;
    p.V_th_mV = -55.0;
    p.V_reset_mV = -70.0;
    p.t_ref_ms = 2.0;
  } else {  // gif_psc_exp: g_L = 4 nS, so tau_m = C_m / g_L = 20 ms
    p.C_m_pF = 80.0;
    p.tau_m_ms = 20.0;
    p.V_reset_mV = -55.0;
    p.t_ref_ms = 4.0;
    p.V_T_star_mV = -35.0;
    p.Delta_V_mV = 0.5;
    p.lambda_0_per_s = 1.0;
  }
  return p;
}

}  // namespace micromeso::model
