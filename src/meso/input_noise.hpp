// Each neuron's private input fluctuations, which the mean-field coupling
// (coupling.hpp) leaves out, as a shift of the escape threshold (an option of
// the mesoscopic engine, off by default: not part of Schwalger et al. 2017).
// For iaf_psc_exp populations the same variances, by kind, make the hazard
// itself (variances(), lif_population.hpp), always.
//
// A spiking neuron of a sparse circuit sees its own sample of the source
// population's spikes and its own Poisson input. Their shot noise gives its
// membrane a variance sigma^2 which the population equations, fed the
// population mean, do not have. By Campbell's theorem a source of spike rate
// r(t) (per ms, per target neuron) with weights w adds
//   sigma^2(t) = E[w^2] int_0^inf r(t - s) eps(s)^2 ds,
// eps(s) = (1 / C_m) a (exp(-s / tau_m) - exp(-s / tau_syn)), a = tau_syn tau_m / (tau_m - tau_syn),
// the membrane response to a unit current pulse through the synaptic filter;
// eps^2 is a sum of three exponentials, so the integral is three low-pass
// filters of r per input. Of a recurrent projection with C synapses per
// target from N_source neurons of activity A (1/ms), the private part has rate
// (1 - C / N_source) C A: the rest, p^2 of the summed spikes, is common to all
// targets and already in the population equations' own fluctuations (all-to-all
// coupling, C = N_source, has no private part). Poisson input (K sources at
// nu) is private at rate K nu.
//
// A neuron's own in-degree and weights also set its mean input apart from
// the population's (quenched): variance (Var C + C rel_sd^2) (w x)^2 with x
// the mean membrane response to the source's spikes per unit weight.
//
// For a Gaussian membrane fluctuation xi the escape hazard lambda_0 exp((V +
// xi - theta) / Delta_V) averages to lambda_0 exp((V - theta) / Delta_V)
// exp(sigma^2 / (2 Delta_V^2)): the threshold is lowered by sigma^2 / (2
// Delta_V). The reset sets the membrane, and with it xi, to V_reset; the
// current's fluctuation goes on, so at age a the variance is back to
// sigma^2 f(a) with (second moments of dxi/dt = -xi / tau_m + eta, eta of
// variance s^2 and correlation time tau_syn; 1/tau_c = 1/tau_m + 1/tau_syn)
//   f(a) = 1 - exp(-2a/tau_m) - 2 (exp(-2a/tau_m) - exp(-a/tau_c)) / (tau_m (1/tau_syn - 1/tau_m)),
// and a quenched offset builds up as the mean does, f_q(a) = (1 - exp(-a/tau_m))^2.
// What this leaves out: survivors are biased to low xi and neurons that just
// fired to high current (of order rate x tau_m, the approximation's main
// error: about +1 % at 1 Hz, +10 % at 10 Hz with tau_m 20 ms in the
// single-population test), and the skew of shot noise (of order PSP /
// Delta_V).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "micromeso/circuit.hpp"
#include "meso/threshold_shift.hpp"

namespace micromeso::meso {

class InputNoise {
 public:
  // Throws CircuitError for a target population with tau_syn = tau_m (the
  // kernel above is then not a sum of exponentials).
  InputNoise(const Circuit& circuit, double dt_ms);

  // One step: past_counts[source][(step - delay) % ring] is the spike count
  // of `source` that arrives now, as in MesoSimulator.
  void advance(const std::vector<std::vector<double>>& past_counts, std::size_t ring, std::uint64_t step);

  // The present membrane variance (mV^2) of a target population, summed
  // over its kinds, and its threshold shift sigma^2 / (2 Delta_V) (mV, to
  // subtract) per kind (at ages where f = 1).
  double variance_mV2(std::size_t target) const;
  ThresholdShift threshold_shift(std::size_t target) const;
  // The same variance by kind (mV^2, Campbell's theorem above): what the
  // hazard of hard-threshold populations is made of (lif_population.hpp).
  struct Variances {
    double excitatory_mV2 = 0.0, inhibitory_mV2 = 0.0, quenched_mV2 = 0.0;
  };
  Variances variances(std::size_t target) const {
    return Variances{excitatory_mV2_[target], inhibitory_mV2_[target], quenched_mV2_[target]};
  }
  // Whether a population receives any private input noise at all (Poisson
  // input, a projection with a private or quenched part): without it a
  // hard-threshold population has no hazard (circuit_check.cpp).
  static bool has_input_noise(const Circuit& circuit, std::size_t target);

 private:
  // F(t) = int_0^inf r(t - s) c exp(-k s) ds for a rate r constant over each
  // step: F <- exp(-k h) F + c r (1 - exp(-k h)) / k, exact.
  struct ExpFilter {
    double decay = 0.0, weight = 0.0, value = 0.0;
    ExpFilter() = default;
    ExpFilter(double k_per_ms, double c, double dt_ms)
        : decay(std::exp(-k_per_ms * dt_ms)), weight(c * -std::expm1(-k_per_ms * dt_ms) / k_per_ms) {}
    double advance(double rate) { return value = decay * value + weight * rate; }
  };
  struct Term {
    std::size_t target = 0;
    bool poisson = false;           // constant rate, else a recurrent source
    bool excitatory = true;         // receptor: tau_syn_ex or tau_syn_in
    std::size_t source = 0;
    std::uint32_t delay_steps = 0;
    double rate_per_spike = 0.0;    // private input rate per ms per source spike in the step (recurrent)
    double rate_per_ms = 0.0;       // private input rate per ms (Poisson)
    // Shot noise: gain E[w^2] a^2 / C_m^2 (mV^2) times the filters of the
    // private rate exp(-2 s/tau_m) + exp(-2 s/tau_syn) - 2 exp(-s (1/tau_m + 1/tau_syn)).
    double gain_mV2 = 0.0;
    ExpFilter square[3];
    // Quenched part (recurrent only): the neuron's mean input differs from
    // the population's by its in-degree and weights, variance
    // quenched_gain x^2 with x = G_m - G_s the filters exp(-s/tau_m) -
    // exp(-s/tau_syn) of the source's rate per neuron (the mean membrane
    // response per unit weight, without a / C_m, which is in the gain).
    double quenched_gain_mV2 = 0.0;  // (Var K + K rel_sd^2) w^2 a^2 / C_m^2
    double activity_per_spike = 0.0; // 1 / (N_source h): a count as the source's rate per neuron (1/ms)
    ExpFilter mean[2];
  };
  std::vector<Term> terms_;
  // Per target population: variance by kind (mV^2).
  std::vector<double> excitatory_mV2_, inhibitory_mV2_, quenched_mV2_, inverse_two_Delta_V_;
};

}  // namespace micromeso::meso
