// iaf_cond_exp: leaky integrate-and-fire neuron with a hard threshold, an
// absolute refractory period and exponentially decaying excitatory and
// inhibitory conductances, in NEST's form, units and parameters (NEST model
// iaf_cond_exp; V in mV, conductances in nS, C_m in pF, currents in pA):
//
//   C_m dV/dt = -g_L (V - E_L) - g_ex (V - E_ex) - g_in (V - E_in) + I_e   (1)
//   dg_ex/dt  = -g_ex / tau_syn_ex,   dg_in/dt = -g_in / tau_syn_in         (2)
//
// An arriving spike of weight w (nS) adds w to g_ex when w > 0 and |w| to
// g_in when w < 0. NEST evaluates the right-hand side of (1) at min(V, V_th),
// so that V overshooting the threshold within a step does not feed back on
// its own slope; we do the same (it can only matter in a step where V
// crosses V_th).
//
// Integration. NEST uses GSL's adaptive RKF45 (absolute tolerance 1e-3 on V
// and on the conductances, no relative tolerance), whose step sequence
// depends on the data. Here every step of h is split into a fixed number
// n_sub of equal sub-steps, chosen on the host from the parameters and h only
// (make_iaf_cond_exp_constants), so CPU and GPU do the same arithmetic (+, -,
// *, / and min; no exp in the step) for every neuron:
// - the conductances (2) are propagated exactly, g(t) = g(0) exp(-t/tau),
//   with exp(-h/tau) over the step and exp(-h_sub/(2 tau)), exp(-h_sub/tau)
//   for the values at the stage times;
// - V, Eq. (1), takes one classical Runge-Kutta step (RK4) per sub-step with
//   these exact conductances at the stage times 0, h_sub/2, h_sub.
// Error bound. (1) is linear in V, with the rate a = (g_L + g_ex + g_in)/C_m
// (at NEST's defaults 0.067/ms at rest, 0.47/ms with 100 nS open). RK4 then
// errs in two ways: it integrates the forcing g(t) (E - V), which varies on
// tau_syn, as Simpson's rule does, with a relative error
// (h_sub/tau_syn)^4 / 2880; and it propagates the membrane's own decay with
// an error (h_sub a)^5 / 120 per sub-step, accumulated over ~1/(h_sub a) of
// them. So a conductance pulse that moves V by up to dV leaves an error
//   |V - V_exact| <= [(h_sub/tau_syn)^4 / 2880 + (h_sub a)^4 / 120] |dV|,
// which the tests confirm for pulses of 2 nS to 1 uS on either receptor
// (the error reaches up to 0.96 of it; order 4). With h_sub <= tau_min / 8
// (kIafCondExpSubstepsPerTau) the first term is 8.5e-8 |dV|, and the second
// stays below it while a h_sub < 0.057 (a total conductance below ~550 nS at
// C_m = 250 pF, h = 0.1 ms, h_sub = 0.025 ms). On NEST's reference trace our V
// is 8.7e-8 mV from the converged solution, NEST's own RKF45 trace 1.5e-5 mV
// (docs/models/iaf_cond_exp.md). RK4 is stable for a h_sub < 2.78 (a total
// conductance below ~28 uS at these values).
//
// Step order, as NEST's update(): the ODE over the step with the
// conductances as they were at its start (V only when not refractory); then
// the conductance jumps arriving in this step are added (they act on V from
// the next step on); then, while refractory, V is held at V_reset and the
// count goes down, else a spike when V >= V_th, V is reset and the count set
// to t_ref / h.
#pragma once

#include <cmath>

#include "micromeso/physics/exp_synapse.hpp"

namespace micromeso::physics {

// NEST's parameters and defaults (iaf_cond_exp, Parameters_).
struct IafCondExpParams {
  double C_m_pF = 250.0;
  double g_L_nS = 16.6667;
  double E_L_mV = -70.0;
  double V_th_mV = -55.0;
  double V_reset_mV = -60.0;
  double t_ref_ms = 2.0;
  double E_ex_mV = 0.0;
  double E_in_mV = -85.0;
  double tau_syn_ex_ms = 0.2;
  double tau_syn_in_ms = 2.0;
  double I_e_pA = 0.0;
};

// Sub-steps per shortest time constant (see the error bound above).
inline constexpr int kIafCondExpSubstepsPerTau = 8;

// Auxiliary values per neuron: aux[0] = g_ex (nS), aux[1 * stride] = g_in (nS).
inline constexpr int kIafCondExpAux = 2;

struct IafCondExpConstants {
  double inv_C_m_per_pF = 0.0;
  double g_L_nS = 0.0;
  double E_ex_rel_mV = 0.0;       // E_ex - E_L
  double E_in_rel_mV = 0.0;       // E_in - E_L
  double I_e_pA = 0.0;
  double threshold_rel_mV = 0.0;  // V_th - E_L
  double reset_rel_mV = 0.0;      // V_reset - E_L
  int n_sub = 1;                  // sub-steps per step
  double h_sub_ms = 0.0;          // h / n_sub
  // Exact conductance decay over half a sub-step, a sub-step and the step.
  double ex_decay_half = 0.0, ex_decay_sub = 0.0, ex_decay_step = 0.0;
  double in_decay_half = 0.0, in_decay_sub = 0.0, in_decay_step = 0.0;
  int refractory_steps = 0;       // t_ref / h
};

// Sub-steps for a step of h_ms: the fewest with h_sub <= tau_min / 8, tau_min
// the shortest of tau_syn_ex, tau_syn_in and C_m / g_L (the 1e-9 absorbs the
// division's rounding, so that an exact multiple is not rounded up).
inline int iaf_cond_exp_substeps(const IafCondExpParams& p, double h_ms) {
  double tau_min = p.tau_syn_ex_ms < p.tau_syn_in_ms ? p.tau_syn_ex_ms : p.tau_syn_in_ms;
  const double tau_m = p.C_m_pF / p.g_L_nS;
  if (tau_m < tau_min) tau_min = tau_m;
  const int n = static_cast<int>(std::ceil(h_ms * kIafCondExpSubstepsPerTau / tau_min - 1e-9));
  return n < 1 ? 1 : n;
}

// Constants with an explicit number of sub-steps (the tests' convergence
// study); make_iaf_cond_exp_constants chooses it.
inline IafCondExpConstants make_iaf_cond_exp_constants_substeps(const IafCondExpParams& p, double h_ms,
                                                                int n_sub) {
  IafCondExpConstants c;
  c.inv_C_m_per_pF = 1.0 / p.C_m_pF;
  c.g_L_nS = p.g_L_nS;
  c.E_ex_rel_mV = p.E_ex_mV - p.E_L_mV;
  c.E_in_rel_mV = p.E_in_mV - p.E_L_mV;
  c.I_e_pA = p.I_e_pA;
  c.threshold_rel_mV = p.V_th_mV - p.E_L_mV;
  c.reset_rel_mV = p.V_reset_mV - p.E_L_mV;
  c.n_sub = n_sub;
  c.h_sub_ms = h_ms / n_sub;
  c.ex_decay_half = std::exp(-0.5 * c.h_sub_ms / p.tau_syn_ex_ms);
  c.ex_decay_sub = std::exp(-c.h_sub_ms / p.tau_syn_ex_ms);
  c.ex_decay_step = std::exp(-h_ms / p.tau_syn_ex_ms);
  c.in_decay_half = std::exp(-0.5 * c.h_sub_ms / p.tau_syn_in_ms);
  c.in_decay_sub = std::exp(-c.h_sub_ms / p.tau_syn_in_ms);
  c.in_decay_step = std::exp(-h_ms / p.tau_syn_in_ms);
  // t_ref is a multiple of h (the engine validates it); rounding removes
  // only the division's last bit, as NEST's Time::get_steps.
  c.refractory_steps = static_cast<int>(std::llround(p.t_ref_ms / h_ms));
  return c;
}

inline IafCondExpConstants make_iaf_cond_exp_constants(const IafCondExpParams& p, double h_ms) {
  return make_iaf_cond_exp_constants_substeps(p, h_ms, iaf_cond_exp_substeps(p, h_ms));
}

// dV/dt (mV/ms) of Eq. (1) at V (relative to E_L) and conductances g_ex,
// g_in (nS), evaluated at min(V, V_th) as NEST does.
MM_HD double iaf_cond_exp_dVdt(double V_rel_mV, double g_ex_nS, double g_in_nS, const IafCondExpConstants& c) {
  const double V = c.threshold_rel_mV < V_rel_mV ? c.threshold_rel_mV : V_rel_mV;
  const double I_pA = c.I_e_pA - c.g_L_nS * V - g_ex_nS * (V - c.E_ex_rel_mV) - g_in_nS * (V - c.E_in_rel_mV);
  return I_pA * c.inv_C_m_per_pF;
}

// V (relative to E_L) after one step of h from V_rel_mV, the conductances
// starting at g_ex_nS, g_in_nS and decaying exactly: n_sub RK4 sub-steps.
MM_HD double iaf_cond_exp_integrate_membrane(double V_rel_mV, double g_ex_nS, double g_in_nS,
                                             const IafCondExpConstants& c) {
  const double hs = c.h_sub_ms;
  double V = V_rel_mV, g_ex = g_ex_nS, g_in = g_in_nS;
  for (int k = 0; k < c.n_sub; ++k) {
    const double g_ex_half = g_ex * c.ex_decay_half, g_in_half = g_in * c.in_decay_half;
    const double g_ex_end = g_ex * c.ex_decay_sub, g_in_end = g_in * c.in_decay_sub;
    const double k1 = iaf_cond_exp_dVdt(V, g_ex, g_in, c);
    const double k2 = iaf_cond_exp_dVdt(V + 0.5 * hs * k1, g_ex_half, g_in_half, c);
    const double k3 = iaf_cond_exp_dVdt(V + 0.5 * hs * k2, g_ex_half, g_in_half, c);
    const double k4 = iaf_cond_exp_dVdt(V + hs * k3, g_ex_end, g_in_end, c);
    V += hs / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
    g_ex = g_ex_end;
    g_in = g_in_end;
  }
  return V;
}

// One step of h in the order given at the top of the file. s.V_rel_mV is
// V_m - E_L; s.I_ex_pA, s.I_in_pA are unused (left as they are, 0); aux
// holds g_ex at aux[0] and g_in at aux[aux_stride] (nS); arriving_ex_nS and
// arriving_in_nS (a magnitude, >= 0) are the jumps arriving in this step.
// Returns true on a spike.
MM_HD bool iaf_cond_exp_step(MembraneState& s, double* aux, long aux_stride, const IafCondExpConstants& c,
                             double arriving_ex_nS, double arriving_in_nS) {
  double& g_ex = aux[0];
  double& g_in = aux[aux_stride];
  if (s.refractory_steps == 0) s.V_rel_mV = iaf_cond_exp_integrate_membrane(s.V_rel_mV, g_ex, g_in, c);
  g_ex = g_ex * c.ex_decay_step + arriving_ex_nS;
  g_in = g_in * c.in_decay_step + arriving_in_nS;
  if (s.refractory_steps > 0) {
    --s.refractory_steps;
    s.V_rel_mV = c.reset_rel_mV;
    return false;
  }
  if (!(s.V_rel_mV >= c.threshold_rel_mV)) return false;
  s.refractory_steps = c.refractory_steps;
  s.V_rel_mV = c.reset_rel_mV;
  return true;
}

}  // namespace micromeso::physics
