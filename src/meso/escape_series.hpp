// 1 - exp(-H) for a step's integrated hazard H, without an exponential where
// H is small: the Taylor series to H^8,
//   p = H (1 - H/2 (1 - H/3 (1 - ... (1 - H/8)))) = H - H^2/2 + H^3/6 - ... - H^8/8!,
// whose truncation error is below H^9 / 9! < 2e-15 p for H < 1/16 (rounding
// aside: a few ulps of p). At the time steps of the meso engine nearly every
// bin has H < 1/16 (the hazard times dt), so its exponential of the
// survival probability is replaced by 14 multiplications and subtractions.
// Callers above kEscapeSeriesMaxH take 1 - exp(-H) from SLEEF. The escape-
// noise bins (bin_update*.cpp) and the hard-threshold bins
// (lif_bin_lanes.hpp) use the same series and cutoff; the escape-noise bins,
// whose exponential the series replaces in nearly every bin, also take the
// shorter series below kEscapeShortSeriesMaxH, lane by lane (a polynomial of
// degree 8 costs nearly what SLEEF's exp does).
#pragma once

#include <initializer_list>

namespace micromeso::meso {
// In an unnamed namespace, as lif_bin_scalar_lanes.hpp: each file compiled
// for its instruction set keeps its own copy.
namespace {

inline constexpr double kEscapeSeriesMaxH = 1.0 / 16.0;

// The series over any arithmetic type (double or a vector of doubles with
// set/add/sub/mul in an ops class, as lif_bin_lanes.hpp's).
template <class Ops, class V>
inline V escape_probability_series(V H) {
  V p = Ops::sub(Ops::set(1.0), Ops::mul(H, Ops::set(1.0 / 8.0)));
  for (const double k : {7.0, 6.0, 5.0, 4.0, 3.0, 2.0})
    p = Ops::sub(Ops::set(1.0), Ops::mul(Ops::mul(H, Ops::set(1.0 / k)), p));
  return Ops::mul(H, p);
}

// Below kEscapeShortSeriesMaxH = 2^-9 the series to H^5 suffices: its
// truncation is below H^5 / 6! < 5e-17 relative.
inline constexpr double kEscapeShortSeriesMaxH = 1.0 / 512.0;
template <class Ops, class V>
inline V escape_probability_short_series(V H) {
  V p = Ops::sub(Ops::set(1.0), Ops::mul(H, Ops::set(1.0 / 5.0)));
  for (const double k : {4.0, 3.0, 2.0}) p = Ops::sub(Ops::set(1.0), Ops::mul(Ops::mul(H, Ops::set(1.0 / k)), p));
  return Ops::mul(H, p);
}

struct ScalarSeriesOps {
  static double set(double x) { return x; }
  static double sub(double a, double b) { return a - b; }
  static double mul(double a, double b) { return a * b; }
};

}  // namespace
}  // namespace micromeso::meso
