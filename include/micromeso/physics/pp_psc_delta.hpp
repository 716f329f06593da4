// pp_psc_delta: a point-process neuron in NEST's form, units and parameters
// (NEST model pp_psc_delta; Cardanobile & Rotter 2010, J Comput Neurosci
// 28:267; adaptation as Jolivet et al. 2006, J Comput Neurosci 21:35). V is
// relative to rest (the model has no E_L), in mV; rates in Hz = 1/s:
//
//   tau_m dV/dt = -V + tau_m / C_m I_e,  each arriving weight w (mV): V += w  (1)
//   E_sfa = sum_j theta_j,  theta_j += q_sfa[j] at a spike,
//                           decaying with tau_sfa[j]                     (2)
//   rate = Rect[ c_1 V' + c_2 exp(c_3 V') ],  V' = V - E_sfa   (Hz)       (3)
//
// Spiking: outside the dead time a step of h spikes with probability
// 1 - exp(-rate h) (rate in Hz, h in ms: rate h / 1000); after a spike the
// neuron is dead for D = dead_time / h steps, in which it cannot spike but V
// keeps integrating (1): with_reset only sets V to 0 at the spike itself.
//
// Step order, as NEST's update():
// 1. V = P30 I_e + P33 V + w: the leak and I_e over the step, then this
//    step's delta input, so input acts on the rate of the step it arrives in;
// 2. every trace decays, theta_j *= exp(-h / tau_sfa[j]); E_sfa is their sum;
// 3. dead: count one dead step down. Otherwise the rate (3) from V - E_sfa;
//    if it is positive, a spike when u <= 1 - exp(-rate h) (u: this step's
//    uniform in (0, 1));
// 4. on a spike: D dead steps ahead, theta_j += q_sfa[j], V = 0 if with_reset.
// Consequences: a spike in step k is followed by D dead steps, the next spike
// can come in step k + D + 1 at the earliest (ISI >= dead_time + h); the rate
// of step k + a (a >= 1) sees q exp(-a h / tau_sfa) of the spike in step k
// (the trace decays before it is used; gif_psc_exp uses it before decaying).
//
// Scope: NEST draws a Poisson number of spikes per step when dead_time = 0,
// and a gamma-distributed dead time when dead_time_random; neither fits the
// engines' record of at most one spike per neuron and step, so both are
// refused (pp_psc_delta_params_error). A dead time in (0, h) is raised to h,
// as NEST does. CurrentEvents (NEST's y0, applied one step late) have no
// counterpart here: the only current is the constant I_e.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "micromeso/physics/exp_synapse.hpp"

namespace micromeso::physics {

// NEST's parameters and defaults (pp_psc_delta.cpp, Parameters_). NEST's
// constructor sets tau_sfa = 34 ms, q_sfa = 0 and then clears both lists, so
// by default there is no adaptation. c_2 is a rate (Hz), whatever NEST's
// source comment says.
struct PpPscDeltaParams {
  double C_m_pF = 250.0;
  double tau_m_ms = 10.0;
  double dead_time_ms = 1.0;
  bool dead_time_random = false;  // true is refused
  int dead_time_shape = 1;        // only used with dead_time_random
  bool with_reset = true;
  std::vector<double> tau_sfa_ms;  // one entry per adaptation trace
  std::vector<double> q_sfa_mV;
  double c_1_Hz_per_mV = 0.0;
  double c_2_Hz = 1.238;
  double c_3_per_mV = 0.25;
  double I_e_pA = 0.0;
  double t_ref_remaining_ms = 0.0;  // dead time left at the start
};

struct PpPscDeltaConstants {
  double P33 = 0.0;           // exp(-h / tau_m)
  double P30_mV_per_pA = 0.0; // tau_m / C_m (1 - P33): V reached from I_e over one step
  double I_e_pA = 0.0;
  double c_1_Hz_per_mV = 0.0;
  double c_2_Hz = 0.0;
  double c_3_per_mV = 0.0;
  bool with_reset = true;
  int dead_time_steps = 1;     // D >= 1
  int initial_dead_steps = 0;  // t_ref_remaining in steps: s.refractory_steps at the start
  int n_sfa = 0;
  const double* sfa_decay = nullptr;  // exp(-h / tau_sfa[j]), n_sfa entries (filled by the engine)
  const double* q_sfa_mV = nullptr;   // n_sfa entries (filled by the engine)
};

// A duration in steps as NEST's Time(Time::ms(t)).get_steps() gives it: t is
// rounded to the nearest tic (NEST's default 1000 tics per ms), then the tics
// are rounded UP to whole steps. So 1.0 ms at h = 0.1 is 10 steps, 0.25 ms 3.
inline int pp_psc_delta_steps_of(double t_ms, double h_ms) {
  const long long tics = static_cast<long long>(t_ms * 1000.0 + 0.5);
  const long long tics_per_step = std::llround(h_ms * 1000.0);
  return static_cast<int>((tics + tics_per_step - 1) / tics_per_step);
}

// Empty when the parameters describe a neuron this implementation runs, else
// why not: NEST's own refusals (BadProperty in its set_status) and the two
// settings outside the scope above.
inline std::string pp_psc_delta_params_error(const PpPscDeltaParams& p, double h_ms) {
  if (!(h_ms > 0.0)) return "the step h must be positive";
  if (!(p.C_m_pF > 0.0)) return "C_m must be positive";
  if (!(p.tau_m_ms > 0.0)) return "tau_m must be positive";
  if (p.tau_sfa_ms.size() != p.q_sfa_mV.size()) return "tau_sfa and q_sfa must have the same length";
  for (double tau : p.tau_sfa_ms)
    if (!(tau > 0.0)) return "every tau_sfa must be positive";
  if (!(p.c_3_per_mV >= 0.0)) return "c_3 must not be negative (NEST refuses it)";
  if (!(p.t_ref_remaining_ms >= 0.0)) return "t_ref_remaining must not be negative";
  if (p.dead_time_shape < 1) return "dead_time_shape must be at least 1";
  if (!(p.dead_time_ms >= 0.0)) return "dead_time must not be negative";
  if (p.dead_time_random)
    return "dead_time_random = true is not supported (a gamma-distributed dead time)";
  if (p.dead_time_ms == 0.0)
    return "dead_time = 0 is not supported: NEST then draws a Poisson number of spikes per step, "
           "micromeso records at most one spike per neuron and step";
  return {};
}

// Host: the constants for step h; throws std::invalid_argument when
// pp_psc_delta_params_error is not empty. The adaptation arrays are left null
// for the engine to point at its own copies (n_sfa entries each).
inline PpPscDeltaConstants make_pp_psc_delta_constants(const PpPscDeltaParams& p, double h_ms) {
  const std::string error = pp_psc_delta_params_error(p, h_ms);
  if (!error.empty()) throw std::invalid_argument("pp_psc_delta: " + error);
  PpPscDeltaConstants c;
  c.P33 = std::exp(-h_ms / p.tau_m_ms);
  // Written as NEST forms it (not with expm1) so that V matches NEST's
  // traces to the last bit.
  c.P30_mV_per_pA = 1.0 / p.C_m_pF * (1.0 - c.P33) * p.tau_m_ms;
  c.I_e_pA = p.I_e_pA;
  c.c_1_Hz_per_mV = p.c_1_Hz_per_mV;
  c.c_2_Hz = p.c_2_Hz;
  c.c_3_per_mV = p.c_3_per_mV;
  c.with_reset = p.with_reset;
  // NEST raises a dead time in (0, h) to h: at least one dead step.
  const double dead_time = p.dead_time_ms < h_ms ? h_ms : p.dead_time_ms;
  c.dead_time_steps = pp_psc_delta_steps_of(dead_time, h_ms);
  c.initial_dead_steps = pp_psc_delta_steps_of(p.t_ref_remaining_ms, h_ms);
  c.n_sfa = static_cast<int>(p.tau_sfa_ms.size());
  return c;
}

// Host: the decay factors exp(-h / tau_sfa[j]) the engine points sfa_decay at.
inline std::vector<double> make_pp_psc_delta_sfa_decay(const PpPscDeltaParams& p, double h_ms) {
  std::vector<double> decay;
  for (double tau : p.tau_sfa_ms) decay.push_back(std::exp(-h_ms / tau));
  return decay;
}

// E_sfa = sum_j theta_j as the traces are stored now (mV). After a step this
// is the value NEST records for it, except in a step with a spike: NEST
// records the sum before that spike's jumps (its E_sfa is refreshed at the
// start of the next step), this includes them.
MM_HD double pp_psc_delta_E_sfa_mV(const double* aux, long aux_stride, const PpPscDeltaConstants& c) {
  double E_sfa = 0.0;
  for (int j = 0; j < c.n_sfa; ++j) E_sfa += aux[j * aux_stride];
  return E_sfa;
}

// One step in the order of the header comment. s.V_rel_mV is V (mV, relative
// to rest), s.refractory_steps the dead steps left; s.I_ex_pA and s.I_in_pA
// are not used. aux: the n_sfa traces theta_j at aux[j * aux_stride].
// arriving_mV: the summed delta-synapse weights arriving in this step. u:
// this step's uniform in (0, 1). Returns true on a spike.
MM_HD bool pp_psc_delta_step(MembraneState& s, double* aux, long aux_stride, const PpPscDeltaConstants& c,
                             double arriving_mV, double u, double h_ms) {
  // (1) exactly over the step for constant I_e; operand order as NEST's.
  s.V_rel_mV = c.P30_mV_per_pA * c.I_e_pA + c.P33 * s.V_rel_mV + arriving_mV;
  // (2) the traces decay every step, dead or not; the rate below sees them decayed.
  double E_sfa = 0.0;
  for (int j = 0; j < c.n_sfa; ++j) {
    aux[j * aux_stride] *= c.sfa_decay[j];
    E_sfa += aux[j * aux_stride];
  }
  if (s.refractory_steps > 0) {
    --s.refractory_steps;
    return false;
  }
  // (3); Rect: a rate <= 0 (or NaN) cannot spike.
  const double V_eff = s.V_rel_mV - E_sfa;
  const double rate_Hz = c.c_1_Hz_per_mV * V_eff + c.c_2_Hz * exp(c.c_3_per_mV * V_eff);
  if (!(rate_Hz > 0.0)) return false;
  // Probability of at least one event of a Poisson process of this rate in
  // h; the dead time (>= h) allows no second one. h in ms, rate in 1/s.
  if (!(u <= -expm1(-rate_Hz * h_ms * 1e-3))) return false;
  s.refractory_steps = c.dead_time_steps;
  for (int j = 0; j < c.n_sfa; ++j) aux[j * aux_stride] += c.q_sfa_mV[j];
  if (c.with_reset) s.V_rel_mV = 0.0;
  return true;
}

}  // namespace micromeso::physics
