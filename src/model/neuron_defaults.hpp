// NEST's default parameters of each neuron model (NEST 3 model docs), the
// values a circuit file gets for every key it leaves out.
#pragma once

#include "micromeso/circuit.hpp"
#include "micromeso/physics/hh_psc_alpha.hpp"
#include "micromeso/physics/iaf_cond_exp.hpp"
#include "micromeso/physics/pp_psc_delta.hpp"

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
    // The models written for micromeso's physics headers keep NEST's defaults
    // there, as their parameter structs' initialisers: read from one place.
    case NeuronModel::iaf_cond_exp: {
      const physics::IafCondExpParams d;
      p.C_m_pF = d.C_m_pF;
      p.tau_m_ms = d.C_m_pF / d.g_L_nS;
      p.E_L_mV = d.E_L_mV;
      p.V_th_mV = d.V_th_mV;
      p.V_reset_mV = d.V_reset_mV;
      p.t_ref_ms = d.t_ref_ms;
      p.E_ex_mV = d.E_ex_mV;
      p.E_in_mV = d.E_in_mV;
      p.tau_syn_ex_ms = d.tau_syn_ex_ms;
      p.tau_syn_in_ms = d.tau_syn_in_ms;
      p.I_e_pA = d.I_e_pA;
      break;
    }
    case NeuronModel::hh_psc_alpha: {
      const physics::HhPscAlphaParams d;
      p.C_m_pF = d.C_m_pF;
      p.tau_m_ms = d.C_m_pF / d.g_L_nS;
      p.E_L_mV = d.E_L_mV;
      p.t_ref_ms = d.t_ref_ms;
      p.g_Na_nS = d.g_Na_nS;
      p.g_K_nS = d.g_K_nS;
      p.E_Na_mV = d.E_Na_mV;
      p.E_K_mV = d.E_K_mV;
      p.tau_syn_ex_ms = d.tau_syn_ex_ms;
      p.tau_syn_in_ms = d.tau_syn_in_ms;
      p.I_e_pA = d.I_e_pA;
      break;
    }
    case NeuronModel::pp_psc_delta: {  // V relative to rest: no E_L
      const physics::PpPscDeltaParams d;
      p.C_m_pF = d.C_m_pF;
      p.tau_m_ms = d.tau_m_ms;
      p.E_L_mV = 0.0;
      p.V_reset_mV = 0.0;
      p.t_ref_ms = 0.0;
      p.dead_time_ms = d.dead_time_ms;
      p.c_1_Hz_per_mV = d.c_1_Hz_per_mV;
      p.c_2_Hz = d.c_2_Hz;
      p.c_3_per_mV = d.c_3_per_mV;
      p.with_reset = d.with_reset;
      p.tau_sfa_ms = d.tau_sfa_ms;
      p.q_sfa_mV = d.q_sfa_mV;
      p.I_e_pA = d.I_e_pA;
      break;
    }
    case NeuronModel::spike_generator:  // stimuli: no membrane, their "V" stays 0
    case NeuronModel::poisson_generator:
    case NeuronModel::inhomogeneous_poisson_generator:
      p.E_L_mV = 0.0;
      p.V_reset_mV = 0.0;
      p.t_ref_ms = 0.0;
      break;
  }
  return p;
}

// NEST's initial V_m of each model (mV): E_L, but -65 mV for hh_psc_alpha
// and 0 (rest) for pp_psc_delta (and the stimuli, which have none).
inline double default_initial_V_mV(const NeuronParams& p) {
  if (p.model == NeuronModel::hh_psc_alpha) return physics::kHhPscAlphaInitialVmMv;
  if (p.model == NeuronModel::pp_psc_delta || is_stimulus(p.model)) return 0.0;
  return p.E_L_mV;
}

}  // namespace micromeso::model
