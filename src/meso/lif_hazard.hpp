// The hazard of a hard-threshold LIF neuron (iaf_psc_exp) driven by
// Gaussian input fluctuations, as a function of the mean U and standard
// deviation sigma_V of the membrane potential of the neurons of one age bin:
// the refractory-density hazard of Chizhov & Graham (2007, Phys Rev E
// 75:011924; the coefficients of A as independent public implementations of
// their method use them, docs/meso-lif.md; review: Schwalger & Chizhov 2019,
// Curr Opin Neurobiol 58:155). With T = (V_th - U) / (sqrt(2) sigma_V),
//   H = A(T) / tau_m + B,
//   A(T) = exp(0.0061 - 1.12 T - 0.257 T^2 - 0.072 T^3 - 0.0117 T^4),
// A the escape over a fixed threshold by fluctuations (their fit of the
// white-noise first-passage rate, the Arrhenius-like part), and B the
// probability flux carried over the threshold by the mean's own motion:
// with the potential Gaussian, the density at V_th times the speed dU/dt,
// over the probability to be below threshold,
//   B = [-dT/dt]_+ (2 / sqrt(pi)) exp(-T^2) / (1 + erf T) = [-d/dt ln P_below(T)]_+,
//   P_below(T) = (1 + erf T) / 2.
// We integrate B over a step exactly (it is a derivative): the step's
// integrated hazard is h A(T_new) / tau_m + [ln P_below(T_old) - ln P_below(T_new)]_+,
// which becomes B h as h -> 0 and stays a probability when the mean jumps
// (docs/meso-lif.md, section 2).
//
// Coloured noise (synaptic time constant tau_s) enters through the
// Fourcaud & Brunel (2002, Neural Comput 14:2057) effective threshold
// (lif_noise_constants.hpp), applied by the caller to V_th.
#pragma once

#include <algorithm>
#include <cmath>

namespace micromeso::meso {

// A(T) of Chizhov & Graham (2007): the dimensionless escape rate (times tau_m).
// Its quartic fit is meant for |T| of a few; at T > 3 it falls below the
// Kramers rate T exp(-T^2) / sqrt(pi) (ratio 0.92 at T = 3, 0.37 at T = 4),
// where the rate is below 2e-4 / tau_m. Below T = -3.444 (the mean far above
// threshold) the quartic would fall again; we hold it at its maximum there
// (8.25), so that the hazard never decreases as the mean rises.
constexpr double kCgEscapePeakT = -3.4440303171648488;
inline double cg_escape_rate_times_tau_m(double T) {
  T = std::max(T, kCgEscapePeakT);
  return std::exp(0.0061 - T * (1.12 + T * (0.257 + T * (0.072 + T * 0.0117))));
}

// ln P_below(T) = ln((1 + erf T) / 2) = ln(erfc(-T) / 2), accurate in both tails.
inline double log_probability_below(double T) {
  if (T > 5.0) return std::log1p(-0.5 * std::erfc(T));
  return std::log(0.5 * std::erfc(-T));
}

// T = (V_th - U) / (sqrt(2) sigma_V); +infinity below threshold without
// fluctuations (sigma_V = 0), -infinity at or above it.
inline double lif_threshold_distance(double threshold_mV, double mean_mV, double sd_mV) {
  if (sd_mV > 0.0) return (threshold_mV - mean_mV) / (1.4142135623730951 * sd_mV);
  return mean_mV < threshold_mV ? HUGE_VAL : -HUGE_VAL;
}

// ln P_below as the step needs it at the start and end of a step: 0 at
// T = +infinity and past T = 12, where it is above -1e-64.
inline double step_log_probability_below(double T) { return T > 12.0 ? 0.0 : log_probability_below(T); }

// The hazard integrated over one step of h (h_over_tau_m = h / tau_m), from
// T at the step's start (T_old) to its end (T_new), given ln P_below of each
// (step_log_probability_below; a caller that ages bins keeps the end's value
// for the next step): A at the end, B integrated. T = -infinity (the mean at
// or above a noiseless threshold) is a certain spike.
inline double lif_step_integrated_hazard(double T_old, double log_below_old, double T_new, double log_below_new,
                                         double h_over_tau_m) {
  if (T_new == -HUGE_VAL) return HUGE_VAL;
  // Past T = 12 both terms are below 1e-50: nothing to add.
  if (T_new > 12.0) return 0.0;
  const double escape = h_over_tau_m * cg_escape_rate_times_tau_m(T_new);
  if (!(T_new < T_old)) return escape;
  return escape + std::max(0.0, log_below_old - log_below_new);
}

inline double lif_step_integrated_hazard(double T_old, double T_new, double h_over_tau_m) {
  return lif_step_integrated_hazard(T_old, step_log_probability_below(T_old), T_new,
                                    step_log_probability_below(T_new), h_over_tau_m);
}

// Escape probability of the step, 1 - exp(-integrated hazard).
inline double lif_step_escape_probability(double T_old, double T_new, double h_over_tau_m) {
  return -std::expm1(-lif_step_integrated_hazard(T_old, T_new, h_over_tau_m));
}

}  // namespace micromeso::meso
