// The interpolation table of ln P_below (lif_hazard_table.hpp) against the
// closed form of lif_hazard.hpp, densely over its whole range: the stated
// error bound (1e-11 absolute; docs/meso-lif.md section 8), exact at the
// nodes up to rounding, and continuous across the intervals' ends.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "meso/lif_hazard.hpp"
#include "meso/lif_hazard_table.hpp"

namespace mm = micromeso::meso;

namespace {

constexpr double kLogBelowBound = 1e-11;  // absolute

// Largest error over `per_interval` points per interval, from first to last T.
template <class Closed>
double largest_error(const mm::LifHazardTable::Cubic& cubic, double last_T, Closed closed, int per_interval) {
  double worst = 0.0;
  const double h = 1.0 / mm::LifHazardTable::kPerUnitT;
  for (std::size_t j = 0; j < cubic.intervals; ++j) {
    for (int k = 0; k <= per_interval; ++k) {
      const double T = std::min(cubic.first_T + (double(j) + double(k) / per_interval) * h, last_T);
      const double exact = closed(T), got = mm::lif_table_value(cubic, T);
      worst = std::max(worst, std::fabs(got - exact));
    }
  }
  return worst;
}

}  // namespace

TEST(MesoLifHazardTable, LogProbabilityBelowWithinBound) {
  const auto& table = mm::lif_hazard_table();
  EXPECT_EQ(table.log_below.first_T, mm::LifHazardTable::kLogBelowFirstT);
  const double worst = largest_error(table.log_below, mm::LifHazardTable::kLastT, mm::log_probability_below, 64);
  RecordProperty("largest_error", std::to_string(worst));
  EXPECT_LT(worst, kLogBelowBound);
  EXPECT_GT(worst, 0.0);  // the table is an interpolation, not the closed form
}

TEST(MesoLifHazardTable, NodesAndIntervalEnds) {
  const auto& table = mm::lif_hazard_table();
  const double h = 1.0 / mm::LifHazardTable::kPerUnitT;
  for (std::size_t j = 0; j + 1 < table.log_below.intervals; j += 37) {
    const double T = table.log_below.first_T + double(j) * h;
    EXPECT_NEAR(mm::lif_table_value(table.log_below, T), mm::log_probability_below(T),
                1e-15 * (1.0 + std::fabs(mm::log_probability_below(T))));
    // The cubic of interval j at t = 1 is interval j + 1's value at t = 0.
    const auto& c = table.log_below;
    const double end = c.c0[j] + c.c1[j] + c.c2[j] + c.c3[j];
    EXPECT_NEAR(end, c.c0[j + 1], 1e-13 * (1.0 + std::fabs(c.c0[j + 1])));
  }
}

// The vector loop reads the coefficients as rows (one 256-bit load per lane):
// each row must hold exactly its interval's four coefficients, 32-byte aligned,
// so that the loop's results equal those of the per-coefficient arrays bit for bit.
TEST(MesoLifHazardTable, RowsHoldTheCoefficients) {
  const auto& c = mm::lif_hazard_table().log_below;
  ASSERT_EQ(c.rows.size(), c.intervals);
  ASSERT_EQ(c.c0.size(), c.intervals);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(c.rows.data()) % 32, 0u);
  for (std::size_t j = 0; j < c.intervals; ++j) {
    EXPECT_EQ(c.rows[j].c[0], c.c0[j]);
    EXPECT_EQ(c.rows[j].c[1], c.c1[j]);
    EXPECT_EQ(c.rows[j].c[2], c.c2[j]);
    EXPECT_EQ(c.rows[j].c[3], c.c3[j]);
  }
}
