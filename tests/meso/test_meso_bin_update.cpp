// The vectorised bin update against the formula written out with std::exp,
// for every remainder length (masked lanes) and both threshold modes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include "meso/bin_update.hpp"

using micromeso::meso::age_bin_run;
using micromeso::meso::BinConstants;
using micromeso::meso::BinSums;
using micromeso::meso::BinThresholds;

namespace {

struct Bins {
  std::vector<double> u, m, v, threshold;
};

Bins make_bins(std::size_t count) {
  Bins b;
  for (std::size_t i = 0; i < count; ++i) {
    b.u.push_back(-5.0 + 1.7 * double(i % 13));  // mV
    b.m.push_back(100.0 / double(i + 1));
    b.v.push_back(3.0 / double(i + 2));
    b.threshold.push_back(10.0 + 0.3 * double(i % 7));
  }
  return b;
}

}  // namespace

TEST(MesoBinUpdate, MatchesTheFormulaForEveryLengthAndThresholdMode) {
  const BinConstants c{std::exp(-0.5 / 10.0), 0.5 * 10e-3, 1.0 / 2.5};  // dt 0.5 ms, tau_m 10 ms, lambda_0 10/s
  const double drive_mV = 1.2;
  for (std::size_t count = 0; count <= 11; ++count)
    for (const bool per_bin : {true, false}) {
      Bins b = make_bins(count);
      const Bins before = b;
      Bins expected = b;
      BinSums want;
      for (std::size_t i = 0; i < count; ++i) {
        const double theta = per_bin ? b.threshold[i] : 12.0;
        double& u = expected.u[i];
        double& m = expected.m[i];
        double& v = expected.v[i];
        u = u * c.P22 + drive_mV;
        const double p = -std::expm1(-c.h_lambda_0 * std::exp((u - theta) * c.inverse_Delta_V));
        want.W += p * m;
        want.Y += p * v;
        want.Z += v;
        want.M += m;
        v = (1.0 - p) * (1.0 - p) * v + p * m;
        m *= 1.0 - p;
      }
      const BinThresholds thresholds{per_bin ? b.threshold.data() : nullptr, 12.0};
      const BinSums got = age_bin_run(c, drive_mV, thresholds, b.u.data(), b.m.data(), b.v.data(), count);
      // q = exp(-lambda h) carries at most 1 ulp of error and p = 1 - q
      // one more rounding of 1 ulp of 1: |error of p| <= 2^-52 absolute,
      // not relative (the price of forming p from q), so W = sum p m may be
      // off by 2^-52 sum m and v' = q^2 v + p m by 2^-52 (m + 2 v); sums
      // in another order add a few relative ulps.
      const double ulp1 = std::ldexp(1.0, -52), rel = 1e-13;
      EXPECT_NEAR(got.W, want.W, ulp1 * want.M + rel * want.W) << count << " " << per_bin;
      EXPECT_NEAR(got.Y, want.Y, ulp1 * want.Z + rel * want.Y);
      EXPECT_NEAR(got.Z, want.Z, rel * want.Z);
      EXPECT_NEAR(got.M, want.M, rel * want.M);
      for (std::size_t i = 0; i < count; ++i) {
        const double m0 = before.m[i], v0 = before.v[i];
        EXPECT_NEAR(b.u[i], expected.u[i], 1e-14 * std::abs(expected.u[i]) + 1e-15);
        EXPECT_NEAR(b.m[i], expected.m[i], ulp1 * m0 + rel * expected.m[i]);
        EXPECT_NEAR(b.v[i], expected.v[i], ulp1 * (m0 + 2.0 * v0) + rel * expected.v[i]);
      }
    }
}

// Masked lanes must not write past the run: the neighbours stay untouched.
TEST(MesoBinUpdate, LeavesTheBinsOutsideTheRunAlone) {
  const BinConstants c{0.95, 0.005, 0.5};
  Bins b = make_bins(12);
  const Bins before = b;
  age_bin_run(c, 1.0, BinThresholds{nullptr, 10.0}, b.u.data() + 1, b.m.data() + 1, b.v.data() + 1, 6);
  for (std::size_t i : {0u, 7u, 8u, 9u, 10u, 11u}) {
    EXPECT_EQ(b.u[i], before.u[i]) << i;
    EXPECT_EQ(b.m[i], before.m[i]) << i;
    EXPECT_EQ(b.v[i], before.v[i]) << i;
  }
  for (std::size_t i = 1; i <= 6; ++i) EXPECT_NE(b.u[i], before.u[i]) << i;
}
