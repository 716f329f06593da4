// hh_psc_alpha: the Hodgkin-Huxley neuron with alpha-shaped synaptic currents,
// in NEST's form, units and parameters (NEST model hh_psc_alpha; Hodgkin &
// Huxley 1952, J Physiol 117:500, with the rate functions of Dayan & Abbott
// 2001, Ch. 5 and Gerstner & Kistler 2002, Ch. 2 as NEST writes them; V in mV,
// rates in 1/ms, conductances in nS, C_m in pF, currents in pA):
//
//   C_m dV/dt = -g_Na m^3 h (V - E_Na) - g_K n^4 (V - E_K) - g_L (V - E_L)
//               + I_e + I_ex + I_in                                       (1)
//   dx/dt     = alpha_x(V) (1 - x) - beta_x(V) x,   x in {m, h, n}        (2)
//   alpha_m = 0.1 (V + 40) / (1 - exp(-(V + 40)/10)),  beta_m = 4 exp(-(V + 65)/18)
//   alpha_h = 0.07 exp(-(V + 65)/20),                  beta_h = 1 / (1 + exp(-(V + 35)/10))
//   alpha_n = 0.01 (V + 55) / (1 - exp(-(V + 55)/10)), beta_n = 0.125 exp(-(V + 65)/80)
//   dI'/dt = -I'/tau_syn,  dI/dt = I' - I/tau_syn   (each receptor)      (3)
//
// An arriving weight w (pA) adds w e / tau_syn to I', so that the current is
// I(t) = w (t/tau_syn) exp(1 - t/tau_syn) with its peak w at t = tau_syn.
//
// Integration. NEST uses GSL's adaptive RKF45 (absolute local error control),
// whose step sequence depends on the data and cannot be reproduced on a GPU.
// Here every step of h is split into a fixed number n_sub of equal sub-steps,
// chosen on the host from h and the conductances only
// (make_hh_psc_alpha_constants), so that CPU and GPU do the same arithmetic
// for every neuron:
// - the alpha currents (3) are linear and independent of V: they are
//   propagated exactly, I'(t) = I'_0 e^{-t/tau}, I(t) = (I_0 + I'_0 t) e^{-t/tau};
// - (V, m, h, n), Eqs. (1)-(2), take one classical Runge-Kutta step (RK4,
//   global error O(h_sub^4)) per sub-step, with the exact currents at the
//   stage times 0, h_sub/2, h_sub.
// Stability: the stiffest direction is V, with rate (g_Na m^3 h + g_K n^4 +
// g_L) / C_m, at most (g_Na + g_K + g_L) / C_m = 156/ms at NEST's defaults;
// the gates' alpha + beta stay below 30/ms for V in [-100, 60] mV. RK4 is
// stable for |lambda| h_sub < 2.78, so h_sub <= 2 C_m / (g_Na + g_K + g_L)
// keeps it stable whatever the gates (hh_psc_alpha_substeps).
// Error: RK4's global error falls as h_sub^4 (measured order 4.05-4.09); at
// h_sub = 0.01 ms it is 1.2e-4 mV in V and 2e-7 in the gates over NEST's
// reference traces, a tenth of NEST's own solver error on the input-driven
// one, and spike steps equal NEST's (docs/models/hh_psc_alpha.md).
//
// Step order, as NEST's update(): the ODE over the step with the currents as
// they are; then, unless refractory, a spike when V >= 0 mV and V fell during
// the step (the step after the peak: threshold plus local maximum); then the
// input arriving in this step is added to I' (it acts from the next step on;
// NEST adds it before the spike check, which reads only V: the same).
// There is no reset: the refractory count only suppresses spike detection for
// t_ref / h steps after a spike (V, m, h, n evolve freely).
#pragma once

#include <cmath>

#include "micromeso/physics/exp_synapse.hpp"

namespace micromeso::physics {

// NEST's parameters and defaults (hh_psc_alpha.cpp, Parameters_).
struct HhPscAlphaParams {
  double C_m_pF = 100.0;
  double g_Na_nS = 12000.0;
  double g_K_nS = 3600.0;
  double g_L_nS = 30.0;
  double E_Na_mV = 50.0;
  double E_K_mV = -77.0;
  double E_L_mV = -54.402;
  double tau_syn_ex_ms = 0.2;
  double tau_syn_in_ms = 2.0;
  double t_ref_ms = 2.0;
  double I_e_pA = 0.0;
};

// NEST starts V_m at -65 mV (not at E_L), within 1e-3 mV of the resting
// potential of its default parameters; m, h, n at their steady state there.
inline constexpr double kHhPscAlphaInitialVmMv = -65.0;

// Largest sub-step (ms): 10 RK4 sub-steps at dt = 0.1 ms, one at 0.01 ms
// (error above); it is also below the stability bound at NEST's defaults.
inline constexpr double kHhPscAlphaMaxSubstepMs = 0.01;

struct HhPscAlphaConstants {
  double E_L_mV = 0.0;
  double inv_C_m_per_pF = 0.0;
  double g_Na_nS = 0.0, g_K_nS = 0.0, g_L_nS = 0.0;
  double E_Na_mV = 0.0, E_K_mV = 0.0;
  double I_e_pA = 0.0;
  int n_sub = 1;             // sub-steps per step
  double h_sub_ms = 0.0;     // h / n_sub
  // Exact alpha-current propagation over half and a whole sub-step:
  // exp(-h_sub / (2 tau)), exp(-h_sub / tau) per receptor.
  double ex_decay_half = 0.0, ex_decay_full = 0.0;
  double in_decay_half = 0.0, in_decay_full = 0.0;
  double psc_init_ex_per_ms = 0.0;  // e / tau_syn_ex: I' per pA of weight
  double psc_init_in_per_ms = 0.0;
  int refractory_steps = 0;         // t_ref / h
};

// Per neuron: aux[0] = m, aux[1*stride] = h, aux[2*stride] = n,
// aux[3*stride] = I'_ex (pA/ms), aux[4*stride] = I'_in (pA/ms).
inline constexpr int kHhPscAlphaAux = 5;

// Sub-steps for a step of h_ms: the fewest with h_sub <= kHhPscAlphaMaxSubstepMs
// and h_sub (g_Na + g_K + g_L) / C_m <= 2, inside RK4's stability interval
// (2.78) for any gate values (only for conductances above NEST's defaults
// does the second bound bite). The 1e-9 absorbs the division's rounding, so
// 0.1 / 0.01 gives 10, not 11. Depends on parameters and h only, never on the
// state: every neuron of a population takes the same sub-steps.
inline int hh_psc_alpha_substeps(const HhPscAlphaParams& p, double h_ms) {
  double h_max = kHhPscAlphaMaxSubstepMs;
  const double g_sum = p.g_Na_nS + p.g_K_nS + p.g_L_nS;
  if (g_sum > 0.0 && 2.0 * p.C_m_pF / g_sum < h_max) h_max = 2.0 * p.C_m_pF / g_sum;
  const int n = static_cast<int>(std::ceil(h_ms / h_max - 1e-9));
  return n < 1 ? 1 : n;
}

// Constants with an explicit number of sub-steps (the tests' convergence
// studies); make_hh_psc_alpha_constants chooses it from h.
inline HhPscAlphaConstants make_hh_psc_alpha_constants_substeps(const HhPscAlphaParams& p, double h_ms,
                                                                int n_sub) {
  HhPscAlphaConstants c;
  c.E_L_mV = p.E_L_mV;
  c.inv_C_m_per_pF = 1.0 / p.C_m_pF;
  c.g_Na_nS = p.g_Na_nS;
  c.g_K_nS = p.g_K_nS;
  c.g_L_nS = p.g_L_nS;
  c.E_Na_mV = p.E_Na_mV;
  c.E_K_mV = p.E_K_mV;
  c.I_e_pA = p.I_e_pA;
  c.n_sub = n_sub;
  c.h_sub_ms = h_ms / n_sub;
  c.ex_decay_half = std::exp(-0.5 * c.h_sub_ms / p.tau_syn_ex_ms);
  c.ex_decay_full = std::exp(-c.h_sub_ms / p.tau_syn_ex_ms);
  c.in_decay_half = std::exp(-0.5 * c.h_sub_ms / p.tau_syn_in_ms);
  c.in_decay_full = std::exp(-c.h_sub_ms / p.tau_syn_in_ms);
  const double e = std::exp(1.0);
  c.psc_init_ex_per_ms = e / p.tau_syn_ex_ms;
  c.psc_init_in_per_ms = e / p.tau_syn_in_ms;
  // t_ref is a multiple of h (the engine validates it); rounding removes
  // only the division's last bit, as NEST's Time::get_steps.
  c.refractory_steps = static_cast<int>(std::llround(p.t_ref_ms / h_ms));
  return c;
}

inline HhPscAlphaConstants make_hh_psc_alpha_constants(const HhPscAlphaParams& p, double h_ms) {
  return make_hh_psc_alpha_constants_substeps(p, h_ms, hh_psc_alpha_substeps(p, h_ms));
}

// x / (1 - exp(-x)), the common factor of alpha_m and alpha_n. It is 0/0 at
// x = 0 (V = -40 mV for m, -55 mV for n) but tends to 1 there; for |x| < 1e-4
// its Taylor series 1 + x/2 + x^2/12 is used (the next term, -x^4/720, is
// below 1.4e-19 there); elsewhere expm1 keeps full relative precision, so
// there is no cancellation on either side of the switch.
MM_HD double hh_x_over_one_minus_exp(double x) {
  if (fabs(x) < 1e-4) return 1.0 + x * (0.5 + x * (1.0 / 12.0));
  return x / -expm1(-x);
}

// Rates (1/ms) at V (absolute, mV), Eq. (2).
struct HhRates {
  double alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n;
};

MM_HD HhRates hh_rates(double V) {
  HhRates r;
  r.alpha_m = hh_x_over_one_minus_exp((V + 40.0) / 10.0);
  r.beta_m = 4.0 * exp(-(V + 65.0) / 18.0);
  r.alpha_h = 0.07 * exp(-(V + 65.0) / 20.0);
  r.beta_h = 1.0 / (1.0 + exp(-(V + 35.0) / 10.0));
  r.alpha_n = 0.1 * hh_x_over_one_minus_exp((V + 55.0) / 10.0);
  r.beta_n = 0.125 * exp(-(V + 65.0) / 80.0);
  return r;
}

// (V, m, h, n) or their time derivatives.
struct HhPoint {
  double V, m, h, n;
};

// Right-hand side of Eqs. (1)-(2); I_syn_pA = I_ex + I_in at that time.
MM_HD HhPoint hh_derivative(const HhPoint& y, double I_syn_pA, const HhPscAlphaConstants& c) {
  const HhRates r = hh_rates(y.V);
  const double m3h = y.m * y.m * y.m * y.h;
  const double n2 = y.n * y.n;
  const double I_Na = c.g_Na_nS * m3h * (y.V - c.E_Na_mV);
  const double I_K = c.g_K_nS * (n2 * n2) * (y.V - c.E_K_mV);
  const double I_L = c.g_L_nS * (y.V - c.E_L_mV);
  HhPoint d;
  d.V = (c.I_e_pA + I_syn_pA - I_Na - I_K - I_L) * c.inv_C_m_per_pF;
  d.m = r.alpha_m * (1.0 - y.m) - r.beta_m * y.m;
  d.h = r.alpha_h * (1.0 - y.h) - r.beta_h * y.h;
  d.n = r.alpha_n * (1.0 - y.n) - r.beta_n * y.n;
  return d;
}

MM_HD HhPoint hh_axpy(const HhPoint& y, double a, const HhPoint& d) {
  return HhPoint{y.V + a * d.V, y.m + a * d.m, y.h + a * d.h, y.n + a * d.n};
}

// Steady state x_inf = alpha / (alpha + beta) of the gates at V (absolute).
MM_HD HhPoint hh_steady_state(double V) {
  const HhRates r = hh_rates(V);
  return HhPoint{V, r.alpha_m / (r.alpha_m + r.beta_m), r.alpha_h / (r.alpha_h + r.beta_h),
                 r.alpha_n / (r.alpha_n + r.beta_n)};
}

// Sets m, h, n to their steady state at V = s.V_rel_mV + E_L and the currents
// to zero (NEST's initial state); the refractory count is cleared.
MM_HD void hh_psc_alpha_init(MembraneState& s, double* aux, long aux_stride, const HhPscAlphaConstants& c) {
  const HhPoint x = hh_steady_state(s.V_rel_mV + c.E_L_mV);
  aux[0] = x.m;
  aux[1 * aux_stride] = x.h;
  aux[2 * aux_stride] = x.n;
  aux[3 * aux_stride] = 0.0;
  aux[4 * aux_stride] = 0.0;
  s.I_ex_pA = 0.0;
  s.I_in_pA = 0.0;
  s.refractory_steps = 0;
}

// One step of h (= n_sub sub-steps); see the order at the top of the file.
// Returns true on a spike.
MM_HD bool hh_psc_alpha_step(MembraneState& s, double* aux, long aux_stride, const HhPscAlphaConstants& c,
                             double arriving_ex_pA, double arriving_in_pA) {
  const double V_start = s.V_rel_mV + c.E_L_mV;
  HhPoint y{V_start, aux[0], aux[1 * aux_stride], aux[2 * aux_stride]};
  double dI_ex = aux[3 * aux_stride], I_ex = s.I_ex_pA;
  double dI_in = aux[4 * aux_stride], I_in = s.I_in_pA;
  const double hs = c.h_sub_ms;
  for (int k = 0; k < c.n_sub; ++k) {
    // Exact alpha currents at the RK4 stage times 0, hs/2, hs.
    const double I_0 = I_ex + I_in;
    const double I_half = (I_ex + dI_ex * (0.5 * hs)) * c.ex_decay_half + (I_in + dI_in * (0.5 * hs)) * c.in_decay_half;
    I_ex = (I_ex + dI_ex * hs) * c.ex_decay_full;
    I_in = (I_in + dI_in * hs) * c.in_decay_full;
    dI_ex *= c.ex_decay_full;
    dI_in *= c.in_decay_full;
    const double I_1 = I_ex + I_in;
    const HhPoint k1 = hh_derivative(y, I_0, c);
    const HhPoint k2 = hh_derivative(hh_axpy(y, 0.5 * hs, k1), I_half, c);
    const HhPoint k3 = hh_derivative(hh_axpy(y, 0.5 * hs, k2), I_half, c);
    const HhPoint k4 = hh_derivative(hh_axpy(y, hs, k3), I_1, c);
    const double w = hs / 6.0;
    y.V += w * (k1.V + 2.0 * k2.V + 2.0 * k3.V + k4.V);
    y.m += w * (k1.m + 2.0 * k2.m + 2.0 * k3.m + k4.m);
    y.h += w * (k1.h + 2.0 * k2.h + 2.0 * k3.h + k4.h);
    y.n += w * (k1.n + 2.0 * k2.n + 2.0 * k3.n + k4.n);
  }
  s.V_rel_mV = y.V - c.E_L_mV;
  aux[0] = y.m;
  aux[1 * aux_stride] = y.h;
  aux[2 * aux_stride] = y.n;
  s.I_ex_pA = I_ex;
  s.I_in_pA = I_in;
  // Input of this step enters I' after the ODE: it shapes the current from
  // the next step on (NEST adds it after gsl_odeiv_evolve_apply).
  aux[3 * aux_stride] = dI_ex + arriving_ex_pA * c.psc_init_ex_per_ms;
  aux[4 * aux_stride] = dI_in + arriving_in_pA * c.psc_init_in_per_ms;
  if (s.refractory_steps > 0) {
    --s.refractory_steps;
    return false;
  }
  // Threshold and local maximum: V at or above 0 mV and falling over the step.
  if (!(y.V >= 0.0 && V_start > y.V)) return false;
  s.refractory_steps = c.refractory_steps;
  return true;
}

}  // namespace micromeso::physics
