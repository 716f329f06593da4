// The arithmetic of lif_bin_hazard.hpp written once over a "lanes" type: a
// double (scalar path) or a vector of 4 or 8 doubles. Included only by
// lif_bin_hazard*.cpp, each compiled for its instruction set. Lanes provides
// V and M (values, lane mask), set, load, store, the arithmetic (add, sub, mul,
// div, sqrt, max), comparisons giving M, select(M, a, b) = M ? a : b, and
// SLEEF's exp, expm1, log and erfc.
#pragma once

#include <cmath>
#include <cstddef>

#include "meso/lif_bin_hazard.hpp"
#include "meso/lif_hazard.hpp"

namespace micromeso::meso {

template <class L>
struct LifBinLanes {
  using V = typename L::V;

  // Lanes [i, i + L::width) of the run; lif_hazard.hpp's closed forms, lane by lane.
  static void step(const LifBinConstants& c, const LifBinNoise& w, V drive, const LifBinRun& r, std::size_t i) {
    const V zero = L::set(0.0), inf = L::set(HUGE_VAL), minus_inf = L::set(-HUGE_VAL);
    const V u = L::add(L::mul(L::load(r.u_mV + i), L::set(c.P22)), drive);
    // The bin's variance and threshold (lif_population.cpp, distance).
    const V variance = L::max(L::add(L::add(L::mul(L::set(w.ex_mV2), L::load(r.built_ex + i)),
                                            L::mul(L::set(w.in_mV2), L::load(r.built_in + i))),
                                     L::mul(L::set(w.quenched_mV2), L::load(r.built_quenched + i))),
                              zero);
    const V threshold = L::add(L::set(c.threshold_rel_mV), L::mul(L::set(w.shift_mV), L::load(r.built_mean + i)));
    // lif_threshold_distance: T = (V_th - u) / (sqrt(2) sigma); without
    // fluctuations +infinity below the threshold, -infinity at or above it.
    const V sd = L::sqrt(variance);
    const V T = L::select(L::gt(sd, zero),
                          L::div(L::sub(threshold, u), L::mul(L::set(1.4142135623730951), sd)),
                          L::select(L::lt(u, threshold), inf, minus_inf));
    // step_log_probability_below: ln((1 + erf T) / 2) = ln(erfc(-T) / 2); 0 past T = 12.
    const auto past_12 = L::gt(T, L::set(12.0));
    const V log_below = L::select(past_12, zero, L::log(L::mul(L::set(0.5), L::erfc(L::sub(zero, T)))));
    // lif_step_integrated_hazard: h A(T) / tau_m (A held at its peak below
    // kCgEscapePeakT) plus the drift term [ln P_below(T_start) - ln P_below(T)]_+
    // where T fell; 0 past T = 12; infinite at T = -infinity.
    const V Ta = L::max(T, L::set(kCgEscapePeakT));
    const V exponent = L::sub(L::set(0.0061),
                              L::mul(Ta, L::add(L::set(1.12),
                                                L::mul(Ta, L::add(L::set(0.257),
                                                                  L::mul(Ta, L::add(L::set(0.072),
                                                                                    L::mul(Ta, L::set(0.0117)))))))));
    const V escape = L::mul(L::set(c.h_over_tau_m), L::exp(exponent));
    const V drift = L::select(L::lt(T, L::load(r.T_start + i)),
                              L::max(L::sub(L::load(r.log_below_start + i), log_below), zero), zero);
    const V hazard = L::select(past_12, zero, L::select(L::eq(T, minus_inf), inf, L::add(escape, drift)));
    L::store(r.u_mV + i, u);
    L::store(r.T_end + i, T);
    L::store(r.log_below_end + i, log_below);
    L::store(r.escape_probability + i, L::sub(zero, L::expm1(L::sub(zero, hazard))));
  }

  // The whole run: full vectors, then the rest one bin at a time through Scalar.
  template <class Scalar>
  static void run(const LifBinConstants& c, const LifBinNoise& w, double drive_mV, const LifBinRun& r) {
    std::size_t i = 0;
    if constexpr (L::width > 1) {
      const V drive = L::set(drive_mV);
      for (; i + L::width <= r.count; i += L::width) step(c, w, drive, r, i);
    }
    for (; i < r.count; ++i) LifBinLanes<Scalar>::step(c, w, drive_mV, r, i);
  }
};

}  // namespace micromeso::meso
