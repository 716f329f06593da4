// The lowering of the escape threshold by private input fluctuations
// (input_noise.hpp) and how it depends on the time since the last spike.
#pragma once

#include <cmath>

namespace micromeso::meso {

// sigma^2 / (2 Delta_V) per kind of fluctuation (mV), as reached long after a
// spike; the population equation scales each by its age factor.
struct ThresholdShift {
  double excitatory_mV = 0.0;  // shot noise through tau_syn_ex
  double inhibitory_mV = 0.0;  // shot noise through tau_syn_in
  double quenched_mV = 0.0;    // the neuron's own mean input offset
  double total_mV() const { return excitatory_mV + inhibitory_mV + quenched_mV; }
};

// f(a): the shot noise's membrane variance at age a (ms) after the reset,
// relative to its stationary value (input_noise.hpp):
// 1 - exp(-2a/tau_m) - 2 (exp(-2a/tau_m) - exp(-a/tau_c)) / (tau_m (1/tau_syn - 1/tau_m)),
// 1/tau_c = 1/tau_m + 1/tau_syn. tau_syn != tau_m (InputNoise refuses equality).
inline double shot_noise_age_factor(double age_ms, double tau_m_ms, double tau_syn_ms) {
  const double inv_c = 1.0 / tau_m_ms + 1.0 / tau_syn_ms, kappa = 1.0 / tau_syn_ms - 1.0 / tau_m_ms;
  const double e2 = std::exp(-2.0 * age_ms / tau_m_ms);
  return 1.0 - e2 - 2.0 * (e2 - std::exp(-age_ms * inv_c)) / (tau_m_ms * kappa);
}

// f_q(a): a static input offset reaches the membrane as the mean input does
// after the reset, (1 - exp(-a/tau_m)), so its variance as the square.
inline double quenched_age_factor(double age_ms, double tau_m_ms) {
  const double built = -std::expm1(-age_ms / tau_m_ms);
  return built * built;
}

}  // namespace micromeso::meso
