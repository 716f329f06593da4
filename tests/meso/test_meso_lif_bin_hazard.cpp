// The LIF bin loop (lif_bin_hazard.hpp), each of its paths (scalar,
// AVX2, AVX-512), against the closed forms of lif_hazard.hpp (libm) bin by
// bin, on random bins that cover every branch: without fluctuations below and
// above the threshold (T = +-infinity), past T = 12, below A's peak, a T at
// the step's start of +infinity, above and below the end's. Runs of every
// length class (empty, shorter than a vector, whole vectors, a tail); nothing
// outside the run is written. A path the CPU lacks is skipped.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include "meso/cpu_features.hpp"
#include "meso/lif_bin_hazard.hpp"
#include "meso/lif_hazard.hpp"
#include "meso/lif_hazard_table.hpp"

namespace mm = micromeso::meso;

namespace {

using RunFunction = void (*)(const mm::LifBinConstants&, const mm::LifBinNoise&, double, const mm::LifBinRun&);

constexpr std::size_t kLengths[] = {0, 1, 3, 4, 7, 8, 9, 17, 520};
constexpr std::size_t kGuard = 8;
constexpr double kSentinel = -12345.0;
const double kEpsilon = std::ldexp(1.0, -52);
constexpr double kTableLogBelow = 1e-11;
const mm::LifBinConstants kConstants{std::exp(-0.1 / 10.0), 0.1 / 10.0, 15.0};
const mm::LifBinNoise kNoise{4.0, 2.5, 0.5, 0.7};
constexpr double kDrive_mV = 0.13;

// Arrays of kGuard + count + kGuard elements; the run sees the middle.
struct Bins {
  std::vector<double> u, ex, in, quenched, mean, T_start, log_start, T_end, log_end, p;
};

Bins make_bins(std::size_t count, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const std::size_t n = count + 2 * kGuard;
  Bins b;
  for (std::vector<double>* x : {&b.u, &b.ex, &b.in, &b.quenched, &b.mean, &b.T_start, &b.log_start, &b.T_end,
                                 &b.log_end, &b.p})
    x->assign(n, kSentinel);
  for (std::size_t i = kGuard; i < kGuard + count; ++i) {
    const std::size_t kind = i % 7;
    b.u[i] = -5.0 + 40.0 * unit(rng);  // mV: far below to far above V_th = 15 mV
    // kind 0: no fluctuations yet (the end of the refractory period)
    const double built = kind == 0 ? 0.0 : unit(rng);
    b.ex[i] = built;
    b.in[i] = built * unit(rng);
    b.quenched[i] = built * built;
    b.mean[i] = built;
    // kind 1: a bin whose start had no fluctuations; else a T above or below the end's
    b.T_start[i] = kind == 1 ? HUGE_VAL : -5.0 + 20.0 * unit(rng);
    b.log_start[i] = mm::step_log_probability_below(b.T_start[i]);
  }
  return b;
}

// A run over the `count` bins of b (past its guard), without spread.
mm::LifBinRun run_over(Bins& b, std::size_t count) {
  mm::LifBinRun r;
  r.u_mV = b.u.data() + kGuard;
  r.built_ex = b.ex.data() + kGuard;
  r.built_in = b.in.data() + kGuard;
  r.built_quenched = b.quenched.data() + kGuard;
  r.built_mean = b.mean.data() + kGuard;
  r.T_start = b.T_start.data() + kGuard;
  r.log_below_start = b.log_start.data() + kGuard;
  r.T_end = b.T_end.data() + kGuard;
  r.log_below_end = b.log_end.data() + kGuard;
  r.escape_probability = b.p.data() + kGuard;
  r.count = count;
  return r;
}

Bins run(RunFunction f, std::size_t count) {
  Bins b = make_bins(count, 77u + static_cast<unsigned>(count));
  mm::LifBinRun r = run_over(b, count);
  f(kConstants, kNoise, kDrive_mV, r);
  return b;
}

// The closed forms, in the loop's order of operations. u, the variance, the
// threshold and T are the same correctly rounded operations in the same
// order (no FMA: -ffp-contract=off), so they must agree to the bit.
// ln P_below: SLEEF's erfc (1.5 ulp) and log (1 ulp) against libm's (below
// 1 ulp each): |difference| <= 4 eps (the erfc's and the log's own relative
// errors, as an absolute error of the log) + 2 eps |ln P| (the log's
// relative error); past T = 5 the reference's log1p is exact where the
// loop's log of a number next to 1 is within eps absolute, inside that bound.
// The hazard: h A within 4 eps relative (two exps of 1 ulp, one product),
// the drift term within the end's ln P error; the escape probability
// 1 - exp(-H) then within exp(-H) dH + 4 eps p (two expm1 of 1 ulp). We
// allow twice these bounds.
// The loop takes ln P_below from the table of lif_hazard_table.hpp (for
// T >= -8): add its stated error, 1e-11 absolute
// (tests/meso/test_meso_lif_hazard_table.cpp); and its
// Taylor series of 1 - exp(-H) below H = 1/16 is within 2e-15 of it (in the 4 eps p).
void expect_matches_closed_forms(const Bins& got, std::size_t count) {
  const Bins before = make_bins(count, 77u + static_cast<unsigned>(count));
  int infinite_T = 0, past_12 = 0, below_peak = 0, drift = 0, below_table = 0, series = 0, expm1 = 0;
  for (std::size_t i = kGuard; i < kGuard + count; ++i) {
    SCOPED_TRACE(::testing::Message() << "bin " << i - kGuard << " of " << count);
    const double u = before.u[i] * kConstants.P22 + kDrive_mV;
    const double variance = std::max(kNoise.ex_mV2 * before.ex[i] + kNoise.in_mV2 * before.in[i] +
                                         kNoise.quenched_mV2 * before.quenched[i],
                                     0.0);
    const double threshold = kConstants.threshold_rel_mV + kNoise.shift_mV * before.mean[i];
    const double T = mm::lif_threshold_distance(threshold, u, std::sqrt(variance));
    const double log_below = mm::step_log_probability_below(T);
    const double H = mm::lif_step_integrated_hazard(before.T_start[i], before.log_start[i], T, log_below,
                                                    kConstants.h_over_tau_m);
    const double p = -std::expm1(-H);
    ASSERT_EQ(got.u[i], u);
    ASSERT_EQ(got.T_end[i], T);
    infinite_T += std::isinf(T);
    past_12 += T > 12.0;
    below_peak += T < mm::kCgEscapePeakT;
    drift += T < before.T_start[i];
    below_table += std::isfinite(T) && T < mm::LifHazardTable::kLogBelowFirstT;
    series += H > 0.0 && H <= 1.0 / 16.0;
    expm1 += std::isfinite(H) && H > 1.0 / 16.0;
    if (std::isinf(log_below)) {
      EXPECT_EQ(got.log_end[i], log_below);
    } else {
      EXPECT_NEAR(got.log_end[i], log_below,
                  kTableLogBelow + 2.0 * (4.0 * kEpsilon + 2.0 * kEpsilon * std::fabs(log_below)));
    }
    if (std::isinf(H)) {
      EXPECT_EQ(got.p[i], 1.0);
    } else {
      const double escape = std::isinf(T) ? 0.0 : kConstants.h_over_tau_m * mm::cg_escape_rate_times_tau_m(T);
      const double dH = 4.0 * kEpsilon * escape + 4.0 * kEpsilon + 2.0 * kEpsilon * std::fabs(log_below);
      const double dH_table = kTableLogBelow;
      EXPECT_NEAR(got.p[i], p, std::exp(-H) * dH_table + 2.0 * (std::exp(-H) * dH + 4.0 * kEpsilon * p))
          << "T " << T << ", H " << H;
    }
    EXPECT_GE(got.p[i], 0.0);
    EXPECT_LE(got.p[i], 1.0);
  }
  if (count >= 520) {  // the random bins reach every branch
    EXPECT_GT(infinite_T, 0);
    EXPECT_GT(past_12, 0);
    EXPECT_GT(below_peak, 0);
    EXPECT_GT(drift, 0);
    EXPECT_GT(below_table, 0);
    EXPECT_GT(series, 0);
    EXPECT_GT(expm1, 0);
  }
  // Nothing outside the run is written.
  for (std::size_t i = 0; i < count + 2 * kGuard; ++i) {
    if (i >= kGuard && i < kGuard + count) continue;
    for (const std::vector<double>* x : {&got.u, &got.T_end, &got.log_end, &got.p}) EXPECT_EQ((*x)[i], kSentinel);
  }
}

void expect_path_correct(RunFunction f) {
  for (const std::size_t count : kLengths) {
    SCOPED_TRACE(::testing::Message() << "run of " << count);
    expect_matches_closed_forms(run(f, count), count);
  }
}

}  // namespace

TEST(MesoLifBinHazard, ScalarMatchesClosedForms) { expect_path_correct(mm::lif_bin_hazard_run_scalar); }

TEST(MesoLifBinHazard, Avx2MatchesClosedForms) {
#ifdef MICROMESO_MESO_LIF_VECTOR
  if (!mm::cpu_has_avx2_and_fma()) GTEST_SKIP() << "the CPU lacks AVX2 or FMA";
  expect_path_correct(mm::lif_bin_hazard_run_avx2);
#else
  GTEST_SKIP() << "no vector path in this build";
#endif
}

TEST(MesoLifBinHazard, Avx512MatchesClosedForms) {
#ifdef MICROMESO_MESO_LIF_VECTOR
  if (!mm::cpu_has_avx512f()) GTEST_SKIP() << "the CPU lacks AVX-512F";
  expect_path_correct(mm::lif_bin_hazard_run_avx512);
#else
  GTEST_SKIP() << "no vector path in this build";
#endif
}

TEST(MesoLifBinHazard, DispatchMatchesClosedForms) { expect_path_correct(mm::lif_bin_hazard_run); }

// Blocks of ages (lif_population.hpp) pass the spread of their members' mean
// potentials, which adds to each one's variance: the same run as with that
// spread folded into the quenched part (built_quenched + spread / s_q^2). The
// two sums differ by a few roundings, so T agrees within 1e-13 relative and
// the escape probability within 1e-12 relative (it moves by dT times at most
// a few tens, hazard's slope in T, over p). Every path, runs with tails.
TEST(MesoLifBinHazard, BlockSpreadAddsToTheVariance) {
  for (const RunFunction f : {mm::lif_bin_hazard_run_scalar, mm::lif_bin_hazard_run}) {
    for (const std::size_t count : {std::size_t{5}, std::size_t{19}}) {
      Bins with = make_bins(count, 900u + static_cast<unsigned>(count));
      Bins folded = with;
      std::vector<double> spread(count);
      for (std::size_t i = 0; i < count; ++i) {
        spread[i] = 0.3 * double(i % 4);  // mV^2
        folded.quenched[kGuard + i] += spread[i] / kNoise.quenched_mV2;
      }
      const auto go = [&](Bins& b, const double* s) {
        mm::LifBinRun r = run_over(b, count);
        r.spread_mV2 = s;
        f(kConstants, kNoise, kDrive_mV, r);
      };
      go(with, spread.data());
      go(folded, nullptr);
      for (std::size_t i = kGuard; i < kGuard + count; ++i) {
        EXPECT_EQ(with.u[i], folded.u[i]) << i;
        if (std::isfinite(folded.T_end[i])) {
          EXPECT_NEAR(with.T_end[i], folded.T_end[i], 1e-13 * std::abs(folded.T_end[i]) + 1e-15) << i;
        } else {
          EXPECT_EQ(with.T_end[i], folded.T_end[i]) << i;
        }
        EXPECT_NEAR(with.p[i], folded.p[i], 1e-12 * folded.p[i] + 1e-300) << i;
      }
      for (std::size_t i = 0; i < kGuard; ++i) EXPECT_EQ(with.p[i], kSentinel);  // nothing before the run written
    }
  }
}

// The survivor tilt of blocks (lif_bin_lanes.hpp): each path's shift of a
// block's mean against s^2 dH/du (at most s), dH/du from central finite
// differences of the closed-form integrated hazard (lif_hazard.hpp) with both
// ends of the step moved by a member's offset over its own deviation; the
// spread loses the shift's square. (The analytic slope uses the table's
// derivative of ln P_below, within 1e-7 of the closed form's.)
TEST(MesoLifBinHazard, SurvivorTiltMovesTheMeanByTheHazardsSlope) {
  std::vector<RunFunction> paths{mm::lif_bin_hazard_run_scalar, mm::lif_bin_hazard_run};
  for (const RunFunction f : paths) {
    const std::size_t count = 29;
    Bins b = make_bins(count, 4242u);
    std::vector<double> spread(count + 2 * kGuard, kSentinel), slope_start(count + 2 * kGuard, kSentinel),
        slope_end(count + 2 * kGuard, kSentinel);
    for (std::size_t i = kGuard; i < kGuard + count; ++i) {
      spread[i] = 0.05 + 0.4 * double(i % 5);  // mV^2
      // the start's d ln P_below / dT, as the equation keeps it (0 at T = +infinity)
      const double T = b.T_start[i];
      slope_start[i] = std::isfinite(T) ? std::exp(-T * T - b.log_start[i]) / std::sqrt(M_PI) : 0.0;
    }
    const Bins before = b;
    mm::LifBinRun r = run_over(b, count);
    r.spread_mV2 = spread.data() + kGuard;
    r.slope_below_start = slope_start.data() + kGuard;
    r.slope_below_end = slope_end.data() + kGuard;
    r.spread_end_mV2 = spread.data() + kGuard;  // in place, as the equation runs it
    f(kConstants, kNoise, kDrive_mV, r);
    std::size_t tilted = 0;
    for (std::size_t i = kGuard; i < kGuard + count; ++i) {
      const double s2 = 0.05 + 0.4 * double(i % 5);
      const double own = kNoise.ex_mV2 * before.ex[i] + kNoise.in_mV2 * before.in[i] +
                         kNoise.quenched_mV2 * before.quenched[i];
      const double u = before.u[i] * kConstants.P22 + kDrive_mV;
      const double threshold = kConstants.threshold_rel_mV + kNoise.shift_mV * before.mean[i];
      const double T_end = mm::lif_threshold_distance(threshold, u, std::sqrt(own + s2));
      if (!(own > 0.0) || !std::isfinite(T_end) || T_end > 12.0) continue;
      const auto H = [&](double delta) {
        const double dT = delta / (std::sqrt(2.0) * std::sqrt(own));
        return mm::lif_step_integrated_hazard(before.T_start[i] - dT, T_end - dT, kConstants.h_over_tau_m);
      };
      const double eps = 1e-4 * std::sqrt(own);
      const double dH_du = (H(eps) - H(-eps)) / (2.0 * eps);
      if (!(dH_du > 0.0) || !std::isfinite(dH_du)) continue;
      // Skip bins where the drift term switches on within the difference (a kink).
      if ((before.T_start[i] > T_end) != (before.T_start[i] - 1e-3 > T_end + 1e-3)) continue;
      const double shift = std::min(s2 * dH_du, std::sqrt(s2));
      EXPECT_NEAR(u - b.u[i], shift, 1e-5 * shift + 1e-12) << i;
      EXPECT_NEAR(spread[i], s2 - shift * shift, 1e-5 * s2) << i;
      ++tilted;
    }
    EXPECT_GT(tilted, count / 3);
    for (std::size_t i = 0; i < kGuard; ++i) EXPECT_EQ(spread[i], kSentinel);  // nothing before the run written
  }
}

// Several runs in one call (lif_bin_hazard_runs, a step's populations) give
// each run's results alone, to the bit: runs of different lengths, constants,
// noise and drive, one with a block's spread and tilt, on every path the CPU
// has; an empty run in the list changes nothing.
TEST(MesoLifBinHazard, SeveralRunsInOneCallAreEachRunAlone) {
  using RunsFunction = void (*)(const mm::LifBinSegment*, std::size_t);
  std::vector<std::pair<RunFunction, RunsFunction>> paths{{mm::lif_bin_hazard_run_scalar, mm::lif_bin_hazard_runs_scalar},
                                                          {mm::lif_bin_hazard_run, mm::lif_bin_hazard_runs}};
#ifdef MICROMESO_MESO_LIF_VECTOR
  if (mm::cpu_has_avx2_and_fma()) paths.emplace_back(mm::lif_bin_hazard_run_avx2, mm::lif_bin_hazard_runs_avx2);
  if (mm::cpu_has_avx512f()) paths.emplace_back(mm::lif_bin_hazard_run_avx512, mm::lif_bin_hazard_runs_avx512);
#endif
  const std::size_t counts[] = {5, 0, 19, 8, 3};
  for (const auto& [one, several] : paths) {
    std::vector<Bins> alone, together;
    std::vector<std::vector<double>> spreads;
    std::vector<mm::LifBinSegment> segments;
    for (std::size_t k = 0; k < std::size(counts); ++k) {
      alone.push_back(make_bins(counts[k], 300u + unsigned(k)));
      spreads.emplace_back(counts[k] + 1, 0.2 + 0.1 * double(k));
    }
    together = alone;
    std::vector<std::vector<double>> spreads_together = spreads, slopes(std::size(counts)),
                                     slopes_together(std::size(counts));
    const auto describe = [&](std::size_t k, Bins& b, std::vector<double>& spread, std::vector<double>& slope) {
      mm::LifBinSegment s;
      s.constants = mm::LifBinConstants{std::exp(-0.1 / (8.0 + double(k))), 0.1 / (8.0 + double(k)), 15.0 + double(k)};
      s.noise = mm::LifBinNoise{4.0 + double(k), 2.5, 0.5 * double(k), 0.7};
      s.drive_mV = 0.13 * double(k + 1);
      s.run = run_over(b, counts[k]);
      if (k == 2) {  // a run of blocks: spread and survivor tilt
        slope.assign(counts[k] + 1, 0.1);
        s.run.spread_mV2 = spread.data();
        s.run.spread_end_mV2 = spread.data();
        s.run.slope_below_start = slope.data();
        s.run.slope_below_end = slope.data();
      }
      return s;
    };
    for (std::size_t k = 0; k < std::size(counts); ++k) {
      const mm::LifBinSegment s = describe(k, alone[k], spreads[k], slopes[k]);
      one(s.constants, s.noise, s.drive_mV, s.run);
      segments.push_back(describe(k, together[k], spreads_together[k], slopes_together[k]));
    }
    several(segments.data(), segments.size());
    for (std::size_t k = 0; k < std::size(counts); ++k) {
      SCOPED_TRACE(::testing::Message() << "run " << k);
      EXPECT_EQ(alone[k].u, together[k].u);
      EXPECT_EQ(alone[k].T_end, together[k].T_end);
      EXPECT_EQ(alone[k].log_end, together[k].log_end);
      EXPECT_EQ(alone[k].p, together[k].p);
      EXPECT_EQ(spreads[k], spreads_together[k]);
      EXPECT_EQ(slopes[k], slopes_together[k]);
    }
  }
}
