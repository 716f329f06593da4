// Tabulated forms of the two transcendental parts of the LIF hazard
// (lif_hazard.hpp) for the bin loop (lif_bin_lanes.hpp): ln P_below(T) and
// A(T) of Chizhov & Graham (2007). The bin loop spent most of its time in
// erfc, log and exp; a lookup table with interpolation is what Schwalger's
// own population-equation code does for its escape rates (the "fasthazard"
// idea of issue 13). Here each function is a cubic per interval of width
// 1/64 in T, the Hermite cubic through the values and slopes of the closed
// forms at the interval's ends, stored as the cubic's four coefficients in
// the interval's local coordinate t in [0, 1):
//   f(T) ~ c0 + t (c1 + t (c2 + t c3)),   T = T_first + (j + t) / 64.
// Error of cubic Hermite interpolation: |f - p| <= h^4 / 384 max|f''''| (h =
// 1/64; e.g. Burden & Faires, Numerical Analysis, section 3.4), here below
// 1e-11 for ln P_below (absolute; |d^4 ln P_below / dT^4| <= 2 on the
// range) and for A relative to A (ln A is a quartic, |A''''/A| <= 40 on the
// range); tests/meso/test_meso_lif_hazard_table.cpp measures it (at most 2e-12
// and 1e-11) and docs/meso-lif.md section 8 states it.
//
// Ranges: ln P_below over T in [-8, 12] (below -8 the loop takes the closed
// form, past 12 it needs no value); A over [kCgEscapePeakT, 12] (A is held at
// its peak below kCgEscapePeakT, so the loop clamps T there first).
#pragma once

#include <cstddef>
#include <vector>

namespace micromeso::meso {

struct LifHazardTable {
  static constexpr double kPerUnitT = 64.0;
  static constexpr double kLogBelowFirstT = -8.0;
  static constexpr double kLastT = 12.0;
  // Coefficients c0 ... c3 of each interval, one array per coefficient (the
  // vector loop gathers each with the same index). The last interval ends at
  // kLastT exactly.
  struct Cubic {
    std::vector<double> c0, c1, c2, c3;
    double first_T = 0.0;
    std::size_t intervals = 0;
  };
  Cubic log_below, escape;  // ln P_below(T); A(T) = tau_m x escape rate
};

// Built once per process from the closed forms of lif_hazard.hpp.
const LifHazardTable& lif_hazard_table();

// The scalar evaluation (the reference of the vector loop's): T inside the
// table's range.
double lif_table_value(const LifHazardTable::Cubic& cubic, double T);

}  // namespace micromeso::meso
