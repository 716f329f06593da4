// Renewal theory of one gif_psc_exp neuron under constant current, computed
// independently of the engine: the stationary activity is A_0 = 1 / (mean
// interspike interval) with the mean interval the integral (sum) of the
// survival S = exp(-int lambda) (Gerstner et al., Neuronal Dynamics, ch. 14;
// with adaptation the quasi-renewal threshold of Schwalger et al. 2017,
// reference meso-algorithm.md 3.6, solved self-consistently for A_0).
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "micromeso/circuit.hpp"

namespace micromeso::testing {

namespace detail {

inline double v_inf_rel_mV(const Population& p) {
  return (p.neuron.I_e_pA + p.dc_pA) * p.neuron.tau_m_ms / p.neuron.C_m_pF;
}

// theta at age a >= 1 steps: sum_j q_j exp(-(a - 1) h / tau_j) (the kernel
// convention of physics/gif_psc_exp.hpp).
inline double kernel_mV(const NeuronParams& n, double age_steps, double h_ms) {
  double t = 0.0;
  for (std::size_t j = 0; j < n.tau_sfa_ms.size(); ++j)
    t += n.q_sfa_mV[j] * std::exp(-(age_steps - 1.0) * h_ms / n.tau_sfa_ms[j]);
  return t;
}

// Mean interval in steps for a given activity a (spikes per neuron per step)
// of the population the neuron belongs to, in discrete time: after a spike
// the neuron is refractory for R steps, then its potential relaxes from
// V_reset towards V_inf and it fires in the step of age k with probability
// p_k = 1 - exp(-lambda_k h), lambda_k = lambda_0 exp((u_k - theta_k) /
// Delta_V) at the end of the step (the micro engine's rule). The threshold
// at age k is V_T* + theta(k) + a sum_{k' > k} theta_tilde(k') (quasi-renewal:
// the population's spikes before the neuron's last one, theta_tilde =
// Delta_V (1 - exp(-theta / Delta_V))). With window K > 0 the model is the
// one the population equations integrate: ages k' >= K enter linearly
// (theta instead of theta_tilde), and a neuron older than K steps has the
// potential V_inf and the threshold V_T* + a sum_{k' >= K} theta(k').
inline double mean_interval_steps(const Population& p, double h, std::size_t window, double a) {
  const NeuronParams& n = p.neuron;
  const long R = std::lround(n.t_ref_ms / h);
  const double v_inf = v_inf_rel_mV(p), v_reset = n.V_reset_mV - n.E_L_mV, v_t = n.V_T_star_mV - n.E_L_mV;
  // Ages covered explicitly: the window, or (pure theory) until the kernel,
  // the reset and the survival are negligible.
  long last = static_cast<long>(window);
  if (window == 0) {
    last = R + 1;
    while (std::abs(kernel_mV(n, double(last), h)) > 1e-14 * n.Delta_V_mV ||
           std::abs(v_reset - v_inf) * std::exp(-double(last - R) * h / n.tau_m_ms) > 1e-14 * n.Delta_V_mV)
      ++last;
  }
  double linear_tail = 0.0;  // sum_{k' >= K} theta(k')
  if (window > 0)
    for (std::size_t j = 0; j < n.tau_sfa_ms.size(); ++j)
      linear_tail += n.q_sfa_mV[j] * std::exp(-double(window - 1) * h / n.tau_sfa_ms[j]) /
                     (1.0 - std::exp(-h / n.tau_sfa_ms[j]));
  std::vector<double> suffix(static_cast<std::size_t>(last) + 2, 0.0);  // sum_{k' > k, k' < K} theta_tilde(k')
  const long qr_last = window > 0 ? last - 1 : last;
  for (long k = qr_last; k >= 1; --k)
    suffix[k - 1] = suffix[k] + n.Delta_V_mV * (1.0 - std::exp(-kernel_mV(n, double(k), h) / n.Delta_V_mV));
  const auto fire = [&](double u, double threshold) {
    return -std::expm1(-h * n.lambda_0_per_s * 1e-3 * std::exp((u - threshold) / n.Delta_V_mV));
  };
  double survival = 1.0, mean = 1.0;  // sum over ages k >= 0 of S(k); S(0) = 1
  for (long k = 1; k <= last; ++k) {
    if (k > R) {
      const double u = v_inf + (v_reset - v_inf) * std::exp(-double(k - R) * h / n.tau_m_ms);
      survival *= 1.0 - fire(u, v_t + kernel_mV(n, double(k), h) + a * (suffix[k] + linear_tail));
    }
    mean += survival;
  }
  // Beyond the last age the hazard is constant: a geometric tail.
  const double p_tail = fire(v_inf, v_t + a * linear_tail);
  return mean + survival * (1.0 - p_tail) / p_tail;
}

}  // namespace detail

// Stationary rate (Hz): the activity a with a * (mean interval)(a) = 1, by
// bisection (the interval grows with a through adaptation). window = 0 is the
// quasi-renewal theory itself; window = K the population equations' version
// of it (see mean_interval_steps).
inline double quasi_renewal_rate_hz(const Population& p, double h_ms, std::size_t window = 0) {
  double lo = 0.0, hi = 1.0;
  for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; ++it) {
    const double a = 0.5 * (lo + hi);
    (a * detail::mean_interval_steps(p, h_ms, window, a) < 1.0 ? lo : hi) = a;
  }
  return 0.5 * (lo + hi) / h_ms * 1000.0;
}

// Without adaptation the rate does not feed back: plain renewal theory.
inline double renewal_rate_hz(const Population& p, double h_ms) {
  return 1000.0 / (detail::mean_interval_steps(p, h_ms, 0, 0.0) * h_ms);
}

// Continuous time, no adaptation: mean interval t_ref + int_0^inf S(s) ds with
// S(s) = exp(-int_0^s lambda(V(r)) dr), V(r) = V_inf + (V_reset - V_inf)
// exp(-r / tau_m) (the membrane relaxing after the refractory period), by the
// trapezoidal rule on a grid of ds and an exponential tail where V = V_inf.
inline double continuous_renewal_rate_hz(const Population& p, double ds_ms = 1e-3) {
  const NeuronParams& n = p.neuron;
  const double v_inf = detail::v_inf_rel_mV(p), v_reset = n.V_reset_mV - n.E_L_mV, v_t = n.V_T_star_mV - n.E_L_mV;
  const auto hazard = [&](double s) {
    const double v = v_inf + (v_reset - v_inf) * std::exp(-s / n.tau_m_ms);
    return n.lambda_0_per_s * 1e-3 * std::exp((v - v_t) / n.Delta_V_mV);
  };
  double s = 0.0, cumulative = 0.0, survival = 1.0, integral = 0.0, lambda = hazard(0.0);
  while (std::abs(v_reset - v_inf) * std::exp(-s / n.tau_m_ms) > 1e-14 * n.Delta_V_mV && survival > 1e-300) {
    const double next_lambda = hazard(s + ds_ms);
    cumulative += 0.5 * (lambda + next_lambda) * ds_ms;
    const double next_survival = std::exp(-cumulative);
    integral += 0.5 * (survival + next_survival) * ds_ms;
    s += ds_ms;
    survival = next_survival;
    lambda = next_lambda;
  }
  integral += survival / lambda;
  return 1000.0 / (n.t_ref_ms + integral);
}

}  // namespace micromeso::testing
