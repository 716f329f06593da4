// Exact integration of a membrane driven by exponentially decaying synaptic
// currents (Rotter & Diesmann 1999, Biol Cybern 81:381): over one step h the
// state (V, I_ex, I_in) is propagated by a matrix whose entries depend only on
// the time constants, computed once on the host.
#pragma once

#include <cmath>

#include "micromeso/physics/host_device.hpp"

namespace micromeso::physics {

struct ExpSynapsePropagators {
  double P22 = 0.0;     // membrane decay exp(-h/tau_m)
  double P20 = 0.0;     // constant current -> V: tau_m/C_m (1 - P22), mV/pA
  double P11ex = 0.0;   // exp(-h/tau_syn_ex)
  double P11in = 0.0;
  double P21ex = 0.0;   // synaptic current -> V over one step, mV/pA
  double P21in = 0.0;
};

// Entry of the propagator matrix taking an exponential current (tau_syn) to
// the membrane (tau_m, C_m) over h: tau_s tau_m / (C (tau_m - tau_s)) *
// (exp(-h/tau_m) - exp(-h/tau_s)), with its limit h/C exp(-h/tau) when the two
// time constants coincide (the singularity NEST's IAFPropagatorExp handles).
inline double current_to_voltage_propagator(double tau_syn_ms, double tau_m_ms, double C_m_pF,
                                            double h_ms) {
  const double beta = 1.0 / tau_syn_ms - 1.0 / tau_m_ms;  // 1/ms
  if (std::abs(beta) * h_ms < 1e-12) return h_ms / C_m_pF * std::exp(-h_ms / tau_m_ms);
  // exp(-h/tau_m) (1 - exp(-beta h)) / (beta C), written with expm1 for accuracy.
  return std::exp(-h_ms / tau_m_ms) * (-std::expm1(-beta * h_ms)) / (beta * C_m_pF);
}

inline ExpSynapsePropagators make_exp_synapse_propagators(double C_m_pF, double tau_m_ms,
                                                          double tau_syn_ex_ms,
                                                          double tau_syn_in_ms, double h_ms) {
  ExpSynapsePropagators p;
  p.P22 = std::exp(-h_ms / tau_m_ms);
  p.P20 = -tau_m_ms / C_m_pF * std::expm1(-h_ms / tau_m_ms);
  p.P11ex = std::exp(-h_ms / tau_syn_ex_ms);
  p.P11in = std::exp(-h_ms / tau_syn_in_ms);
  p.P21ex = current_to_voltage_propagator(tau_syn_ex_ms, tau_m_ms, C_m_pF, h_ms);
  p.P21in = current_to_voltage_propagator(tau_syn_in_ms, tau_m_ms, C_m_pF, h_ms);
  return p;
}

// Membrane state common to both neuron models; V relative to E_L.
struct MembraneState {
  double V_rel_mV;
  double I_ex_pA;
  double I_in_pA;
  int refractory_steps;  // steps left with V clamped at V_reset
};

// V(t+h) from V(t) and the currents at t (exact for piecewise-constant I_const).
MM_HD double propagate_membrane(const MembraneState& s, const ExpSynapsePropagators& p,
                                double I_const_pA) {
  return s.V_rel_mV * p.P22 + s.I_ex_pA * p.P21ex + s.I_in_pA * p.P21in + I_const_pA * p.P20;
}

// Currents decay, then the input that arrives in this step is added. Called
// after propagate_membrane (iaf_psc_exp: the input acts on V from the next
// step on) or before it (gif_psc_exp: from this step on), as NEST orders them.
MM_HD void propagate_currents(MembraneState& s, const ExpSynapsePropagators& p,
                              double arriving_ex_pA, double arriving_in_pA) {
  s.I_ex_pA = s.I_ex_pA * p.P11ex + arriving_ex_pA;
  s.I_in_pA = s.I_in_pA * p.P11in + arriving_in_pA;
}

}  // namespace micromeso::physics
