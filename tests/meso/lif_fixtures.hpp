// A population of hard-threshold LIF neurons (iaf_psc_exp) under Poisson
// input, for the mesoscopic tests of lif_population.hpp; and the
// diffusion-approximation rate it should have (Siegert / Brunel 2000 with
// the Fourcaud & Brunel 2002 correction for synaptic filtering).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "micromeso/circuit.hpp"

namespace micromeso::testing {

// Potjans & Diesmann (2014) neurons, potentials relative to rest: C_m 250 pF,
// tau_m 10 ms, tau_syn 0.5 ms, V_th 15 mV, V_reset 0 mV, t_ref 2 ms.
inline constexpr double kLifTauM = 10.0, kLifTauS = 0.5, kLifCm = 250.0, kLifTheta = 15.0, kLifReset = 0.0,
                        kLifTref = 2.0;

// One population driven by Poisson input of small jumps plus a constant
// current, which together give the free membrane the mean mu_mV and the
// diffusion-approximation noise sigma_mV (Brunel 2000: tau_m dV/dt = -V + mu +
// sigma sqrt(tau_m) xi). With J = w tau_s / C_m the jump of the membrane's
// charge per input spike over C_m, Poisson input of total rate K nu gives
// mu_P = J K nu tau_m and sigma^2 = J^2 K nu tau_m, so K nu = sigma^2 / (J^2 tau_m);
// I_e = (mu - mu_P) C_m / tau_m supplies the rest of the mean. Small J (0.1 mV
// by default, against sigma of 2 to 4 mV) keeps the shot noise close to the
// diffusion limit that the population equations assume. The input comes
// from 1000 sources (indegree) at the rate this needs.
inline Population lif_population(const std::string& name, std::uint64_t size, double mu_mV, double sigma_mV,
                                 double J_mV = 0.1) {
  Population p;
  p.name = name;
  p.size = size;
  NeuronParams& n = p.neuron;
  n.model = NeuronModel::iaf_psc_exp;
  n.C_m_pF = kLifCm;
  n.tau_m_ms = kLifTauM;
  n.E_L_mV = 0.0;
  n.V_reset_mV = kLifReset;
  n.V_th_mV = kLifTheta;
  n.t_ref_ms = kLifTref;
  n.tau_syn_ex_ms = kLifTauS;
  n.tau_syn_in_ms = kLifTauS;
  const double total_rate_per_ms = sigma_mV * sigma_mV / (J_mV * J_mV * kLifTauM);
  p.poisson.indegree = 1000;
  p.poisson.rate_hz = total_rate_per_ms * 1e3 / 1000.0;
  p.poisson.weight_pA = J_mV * kLifCm / kLifTauS;
  n.I_e_pA = (mu_mV - J_mV * total_rate_per_ms * kLifTauM) * kLifCm / kLifTauM;
  p.v_init.distribution = InitDistribution::uniform;
  p.v_init.low_mV = 0.0;
  p.v_init.high_mV = 10.0;
  return p;
}

inline Circuit lif_single_population(std::uint64_t size, double mu_mV, double sigma_mV, double dt_ms,
                                     std::uint64_t seed, double J_mV = 0.1) {
  Circuit c;
  c.name = "lif_single";
  c.simulation.dt_ms = dt_ms;
  c.simulation.seed = seed;
  c.populations = {lif_population("P", size, mu_mV, sigma_mV, J_mV)};
  return c;
}

// exp(u^2) (1 + erf u) = erfcx(-u), written so that it neither overflows nor
// loses precision for u < 0 (continued below -5 by its asymptotic series).
inline double exp_sq_one_plus_erf(double u) {
  if (u > -5.0) return std::exp(u * u) * std::erfc(-u);
  const double x = -u, x2 = x * x;  // erfcx(x) ~ (1 - 1/(2x^2) + 3/(4x^4) - 15/(8x^6)) / (x sqrt(pi))
  return (1.0 - 0.5 / x2 + 0.75 / (x2 * x2) - 1.875 / (x2 * x2 * x2)) / (x * 1.7724538509055159);
}

// The stationary rate (Hz) of the LIF neuron under white noise (mu, sigma):
// 1 / nu = t_ref + tau_m sqrt(pi) int_{(V_r - mu)/sigma + d}^{(V_th - mu)/sigma + d} exp(u^2) (1 + erf u) du
// (Siegert 1951; Brunel 2000, J Comput Neurosci 8:183), with both
// bounds moved by d = (alpha / 2) sqrt(tau_s / tau_m), alpha = sqrt(2) |zeta(1/2)|
// (Fourcaud & Brunel 2002, Neural Comput 14:2057): accurate to
// first order in sqrt(tau_s / tau_m) (here 0.22).
inline double siegert_rate_hz(double mu_mV, double sigma_mV, bool fourcaud_brunel = true) {
  const double d = fourcaud_brunel ? 0.5 * 1.4142135623730951 * 1.4603545088095868 * std::sqrt(kLifTauS / kLifTauM)
                                   : 0.0;
  const double lo = (kLifReset - mu_mV) / sigma_mV + d, hi = (kLifTheta - mu_mV) / sigma_mV + d;
  const int n = 20000;  // Simpson's rule; the integrand is smooth
  const double h = (hi - lo) / n;
  double sum = exp_sq_one_plus_erf(lo) + exp_sq_one_plus_erf(hi);
  for (int i = 1; i < n; ++i) sum += (i % 2 ? 4.0 : 2.0) * exp_sq_one_plus_erf(lo + i * h);
  const double integral = sum * h / 3.0;
  return 1e3 / (kLifTref + kLifTauM * 1.7724538509055159 * integral);
}

}  // namespace micromeso::testing
