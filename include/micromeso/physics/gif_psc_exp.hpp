// gif_psc_exp with escape noise: the spike probability in a step of length h
// is 1 - exp(-lambda h) with hazard lambda = lambda_0 exp((V - V_T)/Delta_V);
// the threshold V_T = V_T_star + sum_j theta_j moves with adaptation traces
// that jump by q_sfa[j] at each spike and decay with tau_sfa[j] (Schwalger,
// Deger & Gerstner 2017, PLoS Comput Biol 13:e1005507, Eqs. 1-3; NEST
// gif_psc_exp). After a spike V is clamped at V_reset for t_ref and the
// hazard is zero.
//
// Kernel convention: a spike in step k adds q_j to theta_j; the threshold used
// in step k + a (a >= 1) holds q_j exp(-(a-1) h / tau_j), i.e. the adaptation
// kernel theta(s) = sum_j q_j exp(-(s - h)/tau_j) sampled at the step after
// the spike. The mesoscopic engine uses the same convention.
#pragma once

#include <cmath>

#include "micromeso/physics/exp_synapse.hpp"

namespace micromeso::physics {

struct GifConstants {
  ExpSynapsePropagators prop;
  double reset_rel_mV;       // V_reset - E_L
  double V_T_star_rel_mV;    // V_T_star - E_L
  double Delta_V_mV;
  double lambda_0_per_ms;
  double I_const_pA;
  int refractory_steps;
  int n_sfa;
  const double* sfa_decay;   // exp(-h/tau_sfa[j]), n_sfa entries
  const double* q_sfa_mV;    // n_sfa entries
};

// Hazard (1/ms) at relative potential V and threshold V_T.
MM_HD double escape_hazard_per_ms(double V_rel_mV, double V_T_rel_mV, double lambda_0_per_ms,
                                  double Delta_V_mV) {
  return lambda_0_per_ms * exp((V_rel_mV - V_T_rel_mV) / Delta_V_mV);
}

// Probability of at least one event of an inhomogeneous Poisson process with
// constant hazard over h.
MM_HD double escape_probability(double hazard_per_ms, double h_ms) {
  return -expm1(-hazard_per_ms * h_ms);
}

// The threshold of this step, V_T_star + sum_j theta_j with the traces as
// they were before this step's decay (NEST's E_sfa), relative to E_L.
MM_HD double gif_threshold_rel_mV(const double* theta, long theta_stride, const GifConstants& c) {
  double V_T = c.V_T_star_rel_mV;
  for (int j = 0; j < c.n_sfa; ++j) V_T += theta[j * theta_stride];
  return V_T;
}

// One step, in NEST's order for gif_psc_exp (which differs from its
// iaf_psc_exp):
// 1. the threshold is formed from the adaptation traces, which then decay;
// 2. the currents decay and the input arriving in this step is added, so
//    it acts on V in this very step;
// 3. when not refractory, V is propagated with these new currents and the
//    escape probability 1 - exp(-lambda(V) h) decides on a spike (`u` is
//    this step's uniform in (0, 1)); a spike adds q_j to each trace and
//    starts the refractory period;
// 4. while refractory, V is held at V_reset, one step at a time.
// So V keeps its value at the step of the spike and sits at V_reset in the
// t_ref / h steps after it. NEST never resets V when t_ref = 0; we reset it
// at the spike then, so that V_reset means what it says and the mesoscopic
// engine describes the same neuron (the one deviation from NEST here).
// `theta` points to the neuron's n_sfa adaptation traces, `theta_stride`
// apart (structure-of-arrays layout). Returns true on a spike.
MM_HD bool gif_psc_exp_step(MembraneState& s, double* theta, long theta_stride,
                            const GifConstants& c, double arriving_ex_pA, double arriving_in_pA,
                            double u, double h_ms) {
  const double V_T = gif_threshold_rel_mV(theta, theta_stride, c);
  for (int j = 0; j < c.n_sfa; ++j) theta[j * theta_stride] *= c.sfa_decay[j];
  propagate_currents(s, c.prop, arriving_ex_pA, arriving_in_pA);
  if (s.refractory_steps > 0) {
    --s.refractory_steps;
    s.V_rel_mV = c.reset_rel_mV;
    return false;
  }
  s.V_rel_mV = propagate_membrane(s, c.prop, c.I_const_pA);
  const double hazard = escape_hazard_per_ms(s.V_rel_mV, V_T, c.lambda_0_per_ms, c.Delta_V_mV);
  if (!(u < escape_probability(hazard, h_ms))) return false;
  for (int j = 0; j < c.n_sfa; ++j) theta[j * theta_stride] += c.q_sfa_mV[j];
  s.refractory_steps = c.refractory_steps;
  if (c.refractory_steps == 0) s.V_rel_mV = c.reset_rel_mV;
  return true;
}

}  // namespace micromeso::physics
