// The three paths of the bin update (AVX-512, AVX2, scalar) against one
// another on the same random bins: several run lengths (every masked-tail
// case of both vector widths), with and without per-bin thresholds. A path
// the CPU lacks is skipped.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include "meso/bin_update.hpp"
#include "meso/bin_update_avx2.hpp"
#include "meso/bin_update_avx512.hpp"

using micromeso::meso::BinConstants;
using micromeso::meso::BinSums;
using micromeso::meso::BinThresholds;

namespace {

using RunFunction = BinSums (*)(const BinConstants&, double, const BinThresholds&, double*, double*, double*,
                                std::size_t);

constexpr std::size_t kLengths[] = {0, 1, 7, 8, 9, 100, 1387};
constexpr std::size_t kGuard = 8;  // untouched bins either side of the run
constexpr double kSentinel = -12345.0;
constexpr double kCommonThreshold_mV = 15.0;
const double kEpsilon = std::ldexp(1.0, -52);

// dt 0.5 ms, tau_m 10 ms, lambda_0 10/s; Delta_V 2.5 mV (realistic: |ln q|
// up to about 100) and 0.5 mV (sharp: q underflows to 0 in some bins).
const BinConstants kConstants[] = {{std::exp(-0.5 / 10.0), 0.5 * 10e-3, 1.0 / 2.5},
                                   {std::exp(-0.5 / 10.0), 0.5 * 10e-3, 1.0 / 0.5}};

struct Bins {
  std::vector<double> u, m, v;  // kGuard + count + kGuard each
  std::vector<double> threshold;
  BinSums sums;
};

Bins make_bins(std::size_t count, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Bins b;
  b.u.assign(count + 2 * kGuard, kSentinel);
  b.m = b.u;
  b.v = b.u;
  for (std::size_t i = kGuard; i < kGuard + count; ++i) {
    b.u[i] = -5.0 + 35.0 * unit(rng);                       // mV, below and above every threshold
    b.m[i] = (i % 11 == 0) ? 0.0 : 1000.0 * unit(rng);     // survivors; some bins empty
    b.v[i] = b.m[i] * unit(rng);                             // variance within [0, m]
    b.threshold.push_back(5.0 + 20.0 * unit(rng));           // mV
  }
  return b;
}

Bins run(RunFunction f, const BinConstants& c, std::size_t count, bool per_bin) {
  Bins b = make_bins(count, 1000u + static_cast<unsigned>(count));
  const BinThresholds threshold{per_bin ? b.threshold.data() : nullptr, kCommonThreshold_mV};
  b.sums = f(c, 1.2, threshold, b.u.data() + kGuard, b.m.data() + kGuard, b.v.data() + kGuard, count);
  return b;
}

// Tolerances. SLEEF's u10 exp is within 1.0 ulp, so each path's exp(x) is
// within 2^-52 relative and lambda h = h exp(x) within 1.5 2^-52; its q =
// exp(-lambda h) then within (1 + 1.5 |ln q|) 2^-52 relative, and two paths
// within twice that. As q |ln q| <= 1/e, q's difference between two paths
// is at most (2 + 3/e) 2^-52 + rounding, and p = 1 - q's the same plus its
// own rounding: both within 4 2^-52 absolute, not relative (the relative
// difference of a tiny q, exp(-100), is some hundred ulps, of no weight).
// So m' = m q may differ by 5 2^-52 m and v' = q^2 v + p m by 10 2^-52
// (m + v) (m and v before the update); we allow 8 and 16. u' = u P22 + drive
// is the same two roundings in every path (no FMA: -ffp-contract=off), so it
// must agree to the bit. The sums W, Y, Z, M add n nonnegative terms in
// different orders (lanes of 8, 4 or 1): each order is within (n - 1) 2^-53
// of the exact sum, two orders within (n - 1) 2^-52 of each other (the
// worst case; a lane or bin missed or counted twice is many orders more),
// plus, for W = sum p m and Y = sum p v, the 4 2^-52 of each p times M or Z.
void expect_agree(const Bins& a, const Bins& b, std::size_t count, const char* what) {
  const double n = count > 0 ? double(count - 1) : 0.0;
  const BinSums& sa = a.sums;
  const BinSums& sb = b.sums;
  for (const double sum : {sa.W, sa.Y, sa.Z, sa.M}) EXPECT_FALSE(std::isnan(sum)) << what;
  EXPECT_NEAR(sa.M, sb.M, n * kEpsilon * sb.M) << what;
  EXPECT_NEAR(sa.Z, sb.Z, n * kEpsilon * sb.Z) << what;
  EXPECT_NEAR(sa.W, sb.W, n * kEpsilon * sb.W + 8.0 * kEpsilon * sb.M) << what;
  EXPECT_NEAR(sa.Y, sb.Y, n * kEpsilon * sb.Y + 8.0 * kEpsilon * sb.Z) << what;
  const Bins before = make_bins(count, 1000u + static_cast<unsigned>(count));
  for (std::size_t i = kGuard; i < kGuard + count; ++i) {
    const double m0 = before.m[i], v0 = before.v[i];
    EXPECT_EQ(a.u[i], b.u[i]) << what << " bin " << i;
    EXPECT_NEAR(a.m[i], b.m[i], 8.0 * kEpsilon * m0) << what << " bin " << i;
    EXPECT_NEAR(a.v[i], b.v[i], 16.0 * kEpsilon * (m0 + v0)) << what << " bin " << i;
    EXPECT_GE(a.m[i], 0.0);
    EXPECT_GE(a.v[i], 0.0);
  }
}

// Masked lanes must not write outside the run (nor, as the sentinels are
// negative and the sums are checked, read into the sums).
void expect_guards_untouched(const Bins& a, std::size_t count, const char* what) {
  for (std::size_t i = 0; i < count + 2 * kGuard; ++i) {
    if (i >= kGuard && i < kGuard + count) continue;
    EXPECT_EQ(a.u[i], kSentinel) << what << " bin " << i;
    EXPECT_EQ(a.m[i], kSentinel) << what << " bin " << i;
    EXPECT_EQ(a.v[i], kSentinel) << what << " bin " << i;
  }
}

// Every length, both threshold modes, both constant sets: path `f` against
// the scalar reference.
void expect_matches_scalar(RunFunction f) {
  for (const BinConstants& c : kConstants)
    for (const std::size_t count : kLengths)
      for (const bool per_bin : {false, true}) {
        SCOPED_TRACE(::testing::Message() << "count " << count << (per_bin ? ", per-bin" : ", common")
                                          << " threshold, 1/Delta_V " << c.inverse_Delta_V);
        const Bins want = run(micromeso::meso::age_bin_run_scalar, c, count, per_bin);
        const Bins got = run(f, c, count, per_bin);
        expect_agree(got, want, count, "path vs scalar");
        expect_guards_untouched(got, count, "path");
        expect_guards_untouched(want, count, "scalar");
      }
}

bool cpu_has_avx512f() {
#if defined(__x86_64__)
  return __builtin_cpu_supports("avx512f");
#else
  return false;
#endif
}

bool cpu_has_avx2_and_fma() {
#if defined(__x86_64__)
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

}  // namespace

TEST(MesoBinUpdatePaths, Avx512MatchesScalar) {
#ifdef MICROMESO_MESO_AVX512
  if (!cpu_has_avx512f()) GTEST_SKIP() << "the CPU lacks AVX-512F";
  expect_matches_scalar(micromeso::meso::age_bin_run_avx512);
#else
  GTEST_SKIP() << "no AVX-512 path in this build";
#endif
}

TEST(MesoBinUpdatePaths, Avx2MatchesScalar) {
#ifdef MICROMESO_MESO_AVX2
  if (!cpu_has_avx2_and_fma()) GTEST_SKIP() << "the CPU lacks AVX2 or FMA";
  expect_matches_scalar(micromeso::meso::age_bin_run_avx2);
#else
  GTEST_SKIP() << "no AVX2 path in this build";
#endif
}

TEST(MesoBinUpdatePaths, Avx512MatchesAvx2) {
#if defined(MICROMESO_MESO_AVX512) && defined(MICROMESO_MESO_AVX2)
  if (!cpu_has_avx512f() || !cpu_has_avx2_and_fma()) GTEST_SKIP() << "the CPU lacks AVX-512F, AVX2 or FMA";
  for (const BinConstants& c : kConstants)
    for (const std::size_t count : kLengths)
      for (const bool per_bin : {false, true}) {
        SCOPED_TRACE(::testing::Message() << "count " << count << (per_bin ? ", per-bin" : ", common"));
        expect_agree(run(micromeso::meso::age_bin_run_avx512, c, count, per_bin),
                     run(micromeso::meso::age_bin_run_avx2, c, count, per_bin), count, "AVX-512 vs AVX2");
      }
#else
  GTEST_SKIP() << "no AVX-512 or AVX2 path in this build";
#endif
}

// age_bin_run takes the widest path the CPU has, to the bit.
TEST(MesoBinUpdatePaths, DispatchTakesTheWidestPath) {
  RunFunction widest = micromeso::meso::age_bin_run_scalar;
#ifdef MICROMESO_MESO_AVX2
  if (cpu_has_avx2_and_fma()) widest = micromeso::meso::age_bin_run_avx2;
#endif
#ifdef MICROMESO_MESO_AVX512
  if (cpu_has_avx512f()) widest = micromeso::meso::age_bin_run_avx512;
#endif
  for (const bool per_bin : {false, true}) {
    const Bins want = run(widest, kConstants[0], 1387, per_bin);
    const Bins got = run(micromeso::meso::age_bin_run, kConstants[0], 1387, per_bin);
    EXPECT_EQ(got.sums.W, want.sums.W);
    EXPECT_EQ(got.sums.Y, want.sums.Y);
    EXPECT_EQ(got.sums.Z, want.sums.Z);
    EXPECT_EQ(got.sums.M, want.sums.M);
    EXPECT_EQ(got.m, want.m);
    EXPECT_EQ(got.v, want.v);
  }
}
