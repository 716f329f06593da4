// A tabulated ln P_below(T) = ln((1 + erf T) / 2) (lif_hazard.hpp) for the
// bin loop (lif_bin_lanes.hpp), which spent most of its time in SLEEF's erfc
// and log; a lookup table with interpolation is what Schwalger's own
// population-equation code does for its escape rates (the "fasthazard" idea
// of issue 13). The function is a cubic per interval of width 1/128 in T,
// the Hermite cubic through the closed form's values and slopes at the
// interval's ends, stored as the cubic's four coefficients in the interval's
// local coordinate t in [0, 1):
//   f(T) ~ c0 + t (c1 + t (c2 + t c3)),   T = T_first + (j + t) / 128.
// Error of cubic Hermite interpolation: |f - p| <= h^4 / 384 max|f''''| (h =
// 1/128; e.g. Burden & Faires, Numerical Analysis, section 3.4), below 1e-11
// absolute where |f''''| <= 1; tests/meso/test_meso_lif_hazard_table.cpp
// checks 1e-11 over the whole range, and docs/meso-lif.md section 8 states
// the measured error.
//
// Range: T in [-8, 12] (below -8 the loop takes the closed form, past 12 it
// needs no value).
//
// A(T) is not tabulated: it is the exponential of a quartic whose slope
// reaches 130 at T = 12, so a table of this spacing would err by several
// percent relative there (1e-7 at T = 4), while SLEEF's exp of the quartic
// costs little.
#pragma once

#include <cstddef>
#include <vector>

namespace micromeso::meso {

struct LifHazardTable {
  static constexpr double kPerUnitT = 128.0;
  static constexpr double kLogBelowFirstT = -8.0;
  static constexpr double kLastT = 12.0;
  // The four coefficients of one interval side by side, 32-byte aligned: the
  // vector loop loads one row per lane (one 256-bit load) and transposes the
  // rows in registers, rather than gathering each coefficient separately
  // (four gathers per vector; the same numbers, so the same results).
  struct alignas(32) Row {
    double c[4];
  };
  // Coefficients c0 ... c3 of each interval, one array per coefficient (the
  // scalar reference, lif_table_value), and the same as rows.
  struct Cubic {
    std::vector<double> c0, c1, c2, c3;
    std::vector<Row> rows;
    double first_T = 0.0;
    std::size_t intervals = 0;
  };
  Cubic log_below;  // ln P_below(T)
};

// Built once per process from the closed form of lif_hazard.hpp.
const LifHazardTable& lif_hazard_table();

// The scalar evaluation (the reference of the vector loop's): T inside the
// table's range.
double lif_table_value(const LifHazardTable::Cubic& cubic, double T);

}  // namespace micromeso::meso
