// The arithmetic of lif_bin_hazard.hpp written once over a "lanes" type: a
// double (scalar path) or a vector of 4 or 8 doubles. Included only by
// lif_bin_hazard*.cpp, each compiled for its instruction set. Lanes provides
// V and M (values, lane mask), set, load, store, load_n and store_n (the
// first n lanes; load_n fills the rest with lane n - 1's value), the arithmetic (add, sub, mul,
// div, sqrt, max, min, floor), comparisons giving M, select(M, a, b) = M ? a : b,
// any(M), an index type I with index(V) (truncation of whole numbers) and
// rows(base, I, c0, c1, c2, c3) (lane k gets the four doubles at base + 4
// I[k], one per output), and SLEEF's exp, expm1, log and erfc.
//
// ln P_below(T) comes from the table of lif_hazard_table.hpp (cubic
// interpolation, error below 1e-11, docs/meso-lif.md section 8); only where a
// lane's T is below the table (T < -8: the mean far above the threshold) does
// the vector take SLEEF's erfc and log for that lane.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "meso/escape_series.hpp"
#include "meso/lif_bin_hazard.hpp"
#include "meso/lif_hazard.hpp"
#include "meso/lif_hazard_table.hpp"

namespace micromeso::meso {

template <class L>
struct LifBinLanes {
  using V = typename L::V;

  // The table's cubic at T (lif_table_value, lane by lane): the interval's
  // index clamped to the table (lanes outside it are not used), then Horner in t.
  // With `slope`, also the cubic's derivative in T.
  static V interpolate(const LifHazardTable::Cubic& cubic, V T, V* slope = nullptr) {
    const V x = L::mul(L::sub(T, L::set(cubic.first_T)), L::set(LifHazardTable::kPerUnitT));
    const V j = L::min(L::max(L::floor(x), L::set(0.0)), L::set(double(cubic.intervals - 1)));
    const V t = L::sub(x, j);
    V c0, c1, c2, c3;
    L::rows(cubic.rows.data()->c, L::index(j), c0, c1, c2, c3);
    if (slope)
      *slope = L::mul(L::set(LifHazardTable::kPerUnitT),
                      L::add(c1, L::mul(t, L::add(L::mul(L::set(2.0), c2), L::mul(L::set(3.0), L::mul(t, c3))))));
    return L::add(c0, L::mul(t, L::add(c1, L::mul(t, L::add(c2, L::mul(t, c3))))));
  }

  // 1 - exp(-H): below kEscapeSeriesMaxH (nearly every bin: the hazard of a
  // step is the rate times dt) the series of escape_series.hpp; a vector with
  // a lane above takes SLEEF's expm1 for those lanes.
  static V escape_probability(V H) {
    V p = escape_probability_series<L>(H);
    const auto large = L::gt(H, L::set(kEscapeSeriesMaxH));
    if (L::any(large)) p = L::select(large, L::sub(L::set(0.0), L::expm1(L::sub(L::set(0.0), H))), p);
    return p;
  }

  // Lanes [i, i + L::width) of the run; lif_hazard.hpp's closed forms, lane by
  // lane, with ln P_below from the table.
  // Forced inline: with the survivor tilt's code GCC stopped inlining it into
  // run(), which cost more than the tilt (docs/meso-lif.md, section 8).
  [[gnu::always_inline]] static inline void step(const LifBinConstants& c, const LifBinNoise& w, V drive,
                                                 const LifBinRun& r, std::size_t i,
                   const LifHazardTable& table, std::size_t n = L::width) {
    // n < width: the run's last n bins; the spare lanes repeat bin n - 1
    // (valid values) and are not written.
    const auto ld = [n](const double* p) { return n == L::width ? L::load(p) : L::load_n(p, n); };
    const auto st = [n](double* p, V x) {
      if (n == L::width)
        L::store(p, x);
      else
        L::store_n(p, x, n);
    };
    const V zero = L::set(0.0), inf = L::set(HUGE_VAL), minus_inf = L::set(-HUGE_VAL);
    const V u = L::add(L::mul(ld(r.u_mV + i), L::set(c.P22)), drive);
    // The bin's variance and threshold (lif_population.cpp, distance).
    V sum = L::add(L::add(L::mul(L::set(w.ex_mV2), ld(r.built_ex + i)),
                          L::mul(L::set(w.in_mV2), ld(r.built_in + i))),
                   L::mul(L::set(w.quenched_mV2), ld(r.built_quenched + i)));
    if (r.spread_mV2) sum = L::add(sum, ld(r.spread_mV2 + i));
    const V variance = L::max(sum, zero);
    const V threshold = L::add(L::set(c.threshold_rel_mV), L::mul(L::set(w.shift_mV), ld(r.built_mean + i)));
    // lif_threshold_distance: T = (V_th - u) / (sqrt(2) sigma); without
    // fluctuations +infinity below the threshold, -infinity at or above it.
    const V sd = L::sqrt(variance);
    const V T = L::select(L::gt(sd, zero),
                          L::div(L::sub(threshold, u), L::mul(L::set(1.4142135623730951), sd)),
                          L::select(L::lt(u, threshold), inf, minus_inf));
    // step_log_probability_below: ln((1 + erf T) / 2) = ln(erfc(-T) / 2); 0 past T = 12.
    const auto past_12 = L::gt(T, L::set(12.0));
    const bool tilt = r.slope_below_end != nullptr;
    V slope_below = zero;
    V log_below = interpolate(table.log_below, T, tilt ? &slope_below : nullptr);
    const auto below_table = L::lt(T, L::set(LifHazardTable::kLogBelowFirstT));
    if (L::any(below_table)) {
      log_below = L::select(below_table, L::log(L::mul(L::set(0.5), L::erfc(L::sub(zero, T)))), log_below);
      // d ln P_below / dT = -2T - 1/T + O(T^-3) far below (the Gaussian tail's asymptotic series).
      if (tilt)
        slope_below = L::select(below_table, L::sub(L::sub(zero, L::add(T, T)), L::div(L::set(1.0), T)), slope_below);
    }
    log_below = L::select(past_12, zero, log_below);
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
    const V drift = L::select(L::lt(T, ld(r.T_start + i)),
                              L::max(L::sub(ld(r.log_below_start + i), log_below), zero), zero);
    const V hazard = L::select(past_12, zero, L::select(L::eq(T, minus_inf), inf, L::add(escape, drift)));
    V u_end = u, T_end = T, log_below_end = log_below;
    if (tilt) {
      // The survivor tilt of a block (lif_population.hpp): a member whose mean
      // lies delta above the block's has, to first order, the integrated
      // hazard H + delta dH/du, dH/du = -(dH/dT_end + dH/dT_start) / (sqrt(2)
      // sigma_own) (T of the member: its own deviation sigma_own, without the
      // block's spread s^2; both ends of the step move with delta). The
      // escape term gives -h A'(T) / tau_m = h A(T) q'(T) / tau_m (q the
      // quartic; 0 where A is held), the drift term, where it acts, d ln
      // P_below/dT at the end less at the start. The survivors, a Gaussian
      // of the members' means weighted by 1 - p(delta) = (1 - p)(1 - delta
      // dH/du), have their mean lower by s^2 dH/du and their spread smaller
      // by that squared; the shift is capped at s (where the first order
      // would overshoot: nearly every member fires). The block's T moves with
      // its mean and spread, ln P_below with T to first order.
      const V dq = L::add(L::set(1.12),
                          L::mul(Ta, L::add(L::set(0.514), L::mul(Ta, L::add(L::set(0.216), L::mul(Ta, L::set(0.0468)))))));
      const V escape_slope = L::select(L::gt(T, L::set(kCgEscapePeakT)), L::mul(escape, dq), zero);
      const V drift_slope = L::select(L::gt(drift, zero), L::sub(slope_below, ld(r.slope_below_start + i)), zero);
      const auto finite = L::lt(L::max(T, L::sub(zero, T)), inf);
      const V slope = L::select(past_12, zero, L::select(finite, L::add(escape_slope, drift_slope), zero));
      const V slope_end = L::select(past_12, zero, L::select(finite, slope_below, zero));
      const V s2 = ld(r.spread_mV2 + i);
      const V own = L::max(L::sub(variance, s2), zero);
      const auto tilted = L::gt(L::min(L::min(s2, own), slope), zero);
      if (L::any(tilted)) {
        const V one = L::set(1.0);
        const V own_safe = L::select(tilted, own, one);
        const V shift = L::min(L::div(L::mul(s2, slope), L::mul(L::set(1.4142135623730951), L::sqrt(own_safe))),
                               L::sqrt(s2));
        const V spread = L::sub(s2, L::mul(shift, shift));
        const V distance = L::mul(T, L::select(tilted, sd, one));  // (V_th' - u) / sqrt(2)
        const V T_tilted = L::div(L::add(distance, L::mul(shift, L::set(0.7071067811865476))),
                                  L::sqrt(L::add(own_safe, spread)));
        u_end = L::select(tilted, L::sub(u, shift), u);
        st(r.spread_end_mV2 + i, L::select(tilted, spread, s2));
        T_end = L::select(tilted, T_tilted, T);
        log_below_end =
            L::select(tilted, L::min(zero, L::add(log_below, L::mul(slope_end, L::sub(T_tilted, T)))), log_below);
      } else {
        st(r.spread_end_mV2 + i, s2);
      }
      st(r.slope_below_end + i, slope_end);
    }
    st(r.u_mV + i, u_end);
    st(r.T_end + i, T_end);
    st(r.log_below_end + i, log_below_end);
    st(r.escape_probability + i, escape_probability(hazard));
  }

  // The whole run: full vectors, then the last 1 to width - 1 bins as one
  // more vector whose spare lanes repeat the last bin (masked loads, so they
  // hold valid values) and are not written back (masked stores). Each lane's
  // result depends on its own bin only, so a bin's values do not depend on
  // where the run ends. (Scalar: the one-bin lanes.)
  static void run(const LifBinConstants& c, const LifBinNoise& w, double drive_mV, const LifBinRun& r) {
    const LifBinSegment segment{c, w, drive_mV, r};
    runs(&segment, 1);
  }

  // Several runs in one loop (lif_bin_hazard.hpp, lif_bin_hazard_runs).
  static void runs(const LifBinSegment* segments, std::size_t count) {
    const LifHazardTable& table = lif_hazard_table();
    for (std::size_t s = 0; s < count; ++s) {
      const LifBinSegment& seg = segments[s];
      const V drive = L::set(seg.drive_mV);
      std::size_t i = 0;
      for (; i + L::width <= seg.run.count; i += L::width) step(seg.constants, seg.noise, drive, seg.run, i, table);
      if (i < seg.run.count) step(seg.constants, seg.noise, drive, seg.run, i, table, seg.run.count - i);
    }
  }
};

}  // namespace micromeso::meso
