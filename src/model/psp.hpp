// Converting a PSP peak into the amplitude of an exponential PSC, as Potjans
// & Diesmann (2014) specify synapses by their PSP (0.15 mV).
//
// A current J exp(-t/tau_s) into a passive membrane (C_m, tau_m) gives
// V(t) = J/C_m * tau_m tau_s/(tau_m - tau_s) * (exp(-t/tau_m) - exp(-t/tau_s)),
// with its maximum at t* = tau_m tau_s/(tau_m - tau_s) ln(tau_m/tau_s); for
// tau_m = tau_s it is V(t) = J/C_m t exp(-t/tau), maximal at t = tau.
#pragma once

#include <cmath>

namespace micromeso::model {

// Peak (mV) of the PSP of a unit current (1 pA).
inline double psp_peak_per_pA(double tau_m_ms, double tau_syn_ms, double C_m_pF) {
  if (std::abs(tau_m_ms - tau_syn_ms) < 1e-12 * tau_m_ms) return tau_m_ms * std::exp(-1.0) / C_m_pF;
  const double a = tau_m_ms * tau_syn_ms / (tau_m_ms - tau_syn_ms);
  const double t_peak = a * std::log(tau_m_ms / tau_syn_ms);
  return a / C_m_pF * (std::exp(-t_peak / tau_m_ms) - std::exp(-t_peak / tau_syn_ms));
}

inline double psc_for_psp_peak(double psp_mV, double tau_m_ms, double tau_syn_ms, double C_m_pF) {
  return psp_mV / psp_peak_per_pA(tau_m_ms, tau_syn_ms, C_m_pF);
}

}  // namespace micromeso::model
