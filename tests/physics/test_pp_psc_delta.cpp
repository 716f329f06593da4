// pp_psc_delta: NEST's parameters, the deterministic parts of a step in
// closed form, and the spike statistics against exact discrete-time results
// (fixed seeds; tolerances are 4 standard errors or chi-square quantiles at
// p = 0.001).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "micromeso/physics/pp_psc_delta.hpp"
#include "micromeso/physics/random.hpp"

using namespace micromeso::physics;

namespace {

constexpr double kH = 0.1;  // ms

// This step's uniform, as the engines draw it.
double escape_u(std::uint64_t seed, std::uint32_t neuron, std::uint64_t step) {
  return uniform_open(philox4x32_10(seed, kStreamEscape, neuron, step).v[0]);
}

// p = 0.001 quantile of chi-square with dof degrees of freedom
// (Wilson-Hilferty, z = 3.09).
double chi2_critical(int dof) {
  const double z = 3.09, a = 2.0 / (9.0 * dof);
  return dof * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

// Pearson chi-square of observed against expected counts over the bins with
// at least 20 expected, the rest pooled into one bin; the totals are not
// fixed (renewal counts), so every bin is a degree of freedom.
struct ChiSquare {
  double chi2 = 0.0;
  int dof = 0;
};
ChiSquare chi_square(const std::vector<double>& observed, const std::vector<double>& expected) {
  ChiSquare r;
  double o_rest = 0.0, e_rest = 0.0;
  for (std::size_t k = 0; k < observed.size(); ++k) {
    if (expected[k] >= 20.0) {
      r.chi2 += (observed[k] - expected[k]) * (observed[k] - expected[k]) / expected[k];
      ++r.dof;
    } else {
      o_rest += observed[k];
      e_rest += expected[k];
    }
  }
  if (e_rest > 0.0) {
    r.chi2 += (o_rest - e_rest) * (o_rest - e_rest) / e_rest;
    ++r.dof;
  } else {
    EXPECT_EQ(o_rest, 0.0) << "spikes where none can be";
  }
  return r;
}

// A neuron with its adaptation arrays (the engine's part).
struct Neuron {
  PpPscDeltaParams p;
  std::vector<double> decay, q;
  PpPscDeltaConstants c;
  explicit Neuron(const PpPscDeltaParams& params, double h = kH)
      : p(params), decay(make_pp_psc_delta_sfa_decay(params, h)), q(params.q_sfa_mV),
        c(make_pp_psc_delta_constants(params, h)) {
    c.sfa_decay = decay.data();
    c.q_sfa_mV = q.data();
  }
};

// A rate that does not depend on V: c_1 = c_3 = 0, rate = c_2.
PpPscDeltaParams constant_rate(double c_2_Hz, double dead_time_ms) {
  PpPscDeltaParams p;
  p.c_1_Hz_per_mV = 0.0;
  p.c_2_Hz = c_2_Hz;
  p.c_3_per_mV = 0.0;
  p.dead_time_ms = dead_time_ms;
  return p;
}

}  // namespace

// ---------------------------------------------------------------- parameters

TEST(PpPscDelta, DefaultsAreNests) {
  const PpPscDeltaParams p;  // NEST pp_psc_delta.cpp, Parameters_::Parameters_()
  EXPECT_EQ(p.C_m_pF, 250.0);
  EXPECT_EQ(p.tau_m_ms, 10.0);
  EXPECT_EQ(p.dead_time_ms, 1.0);
  EXPECT_FALSE(p.dead_time_random);
  EXPECT_EQ(p.dead_time_shape, 1);
  EXPECT_TRUE(p.with_reset);
  EXPECT_TRUE(p.tau_sfa_ms.empty());  // NEST clears the lists: no adaptation
  EXPECT_TRUE(p.q_sfa_mV.empty());
  EXPECT_EQ(p.c_1_Hz_per_mV, 0.0);
  EXPECT_EQ(p.c_2_Hz, 1.238);
  EXPECT_EQ(p.c_3_per_mV, 0.25);
  EXPECT_EQ(p.I_e_pA, 0.0);
  EXPECT_EQ(p.t_ref_remaining_ms, 0.0);
  const PpPscDeltaConstants c = make_pp_psc_delta_constants(p, kH);
  EXPECT_EQ(c.dead_time_steps, 10);
  EXPECT_EQ(c.initial_dead_steps, 0);
  EXPECT_EQ(c.n_sfa, 0);
  EXPECT_EQ(c.sfa_decay, nullptr);
  EXPECT_EQ(c.q_sfa_mV, nullptr);
  EXPECT_NEAR(c.P33, std::exp(-0.01), 1e-16);
  EXPECT_NEAR(c.P30_mV_per_pA, 10.0 / 250.0 * -std::expm1(-0.01), 1e-17);
}

// NEST: Time(Time::ms(t)).get_steps() rounds to the tic, then up to a step;
// a dead time in (0, h) becomes h.
TEST(PpPscDelta, DeadTimeInStepsAsNest) {
  EXPECT_EQ(pp_psc_delta_steps_of(1.0, 0.1), 10);
  EXPECT_EQ(pp_psc_delta_steps_of(25.0, 0.1), 250);
  EXPECT_EQ(pp_psc_delta_steps_of(0.25, 0.1), 3);  // up, not to the nearest
  EXPECT_EQ(pp_psc_delta_steps_of(0.3, 0.1), 3);   // 0.3 / 0.1 = 2.9999999999999996 in doubles
  EXPECT_EQ(pp_psc_delta_steps_of(0.0, 0.1), 0);
  PpPscDeltaParams p;
  p.dead_time_ms = 1e-8;  // NEST's test_adapting_threshold uses this value
  EXPECT_EQ(make_pp_psc_delta_constants(p, kH).dead_time_steps, 1);
  p.dead_time_ms = 0.1;
  EXPECT_EQ(make_pp_psc_delta_constants(p, kH).dead_time_steps, 1);
  p.t_ref_remaining_ms = 0.5;
  EXPECT_EQ(make_pp_psc_delta_constants(p, kH).initial_dead_steps, 5);
}

TEST(PpPscDelta, UnsupportedAndInvalidParametersAreReported) {
  EXPECT_EQ(pp_psc_delta_params_error(PpPscDeltaParams{}, kH), "");
  const auto error_with = [](auto change) {
    PpPscDeltaParams p;
    change(p);
    return pp_psc_delta_params_error(p, kH);
  };
  EXPECT_NE(error_with([](PpPscDeltaParams& p) { p.dead_time_random = true; }), "");
  EXPECT_NE(error_with([](PpPscDeltaParams& p) { p.dead_time_ms = 0.0; }), "");
  EXPECT_NE(error_with([](PpPscDeltaParams& p) { p.dead_time_ms = -1.0; }), "");
  EXPECT_NE(error_with([](PpPscDeltaParams& p) { p.C_m_pF = 0.0; }), "");
  EXPECT_NE(error_with([](PpPscDeltaParams& p) { p.tau_m_ms = -1.0; }), "");
  EXPECT_NE(error_with([](PpPscDeltaParams& p) { p.c_3_per_mV = -0.1; }), "");
  EXPECT_NE(error_with([](PpPscDeltaParams& p) { p.tau_sfa_ms = {10.0}; }), "");
  EXPECT_NE(error_with([](PpPscDeltaParams& p) {
              p.tau_sfa_ms = {0.0};
              p.q_sfa_mV = {1.0};
            }),
            "");
  PpPscDeltaParams p;
  p.dead_time_ms = 0.0;
  EXPECT_THROW(make_pp_psc_delta_constants(p, kH), std::invalid_argument);
}

// ------------------------------------------------------- deterministic parts

// Without spikes (rate 0: c_1 = c_2 = 0) V relaxes to R I_e = tau_m / C_m I_e
// with tau_m from 0: V(n h) = R I_e (1 - exp(-n h / tau_m)).
TEST(PpPscDelta, MembraneRelaxesToRIeWithTauM) {
  PpPscDeltaParams p;
  p.c_2_Hz = 0.0;
  p.I_e_pA = 200.0;
  const Neuron n(p);
  const double R_Ie = 10.0 / 250.0 * 200.0;  // 8 mV
  MembraneState s{0.0, 0.0, 0.0, 0};
  for (int k = 1; k <= 500; ++k) {
    EXPECT_FALSE(pp_psc_delta_step(s, nullptr, 0, n.c, 0.0, 1e-300, kH));
    ASSERT_NEAR(s.V_rel_mV, R_Ie * -std::expm1(-k * kH / 10.0), 1e-12) << k;
  }
}

// A delta weight moves V by itself in the step it arrives in, then decays
// with tau_m like the rest of V.
TEST(PpPscDelta, DeltaInputJumpsVByTheWeight) {
  PpPscDeltaParams p;
  p.c_2_Hz = 0.0;
  p.I_e_pA = 100.0;
  const Neuron n(p);
  MembraneState a{1.0, 0.0, 0.0, 0}, b = a;
  for (int k = 0; k < 60; ++k) {
    pp_psc_delta_step(a, nullptr, 0, n.c, 0.0, 0.5, kH);
    pp_psc_delta_step(b, nullptr, 0, n.c, k == 10 ? 0.7 : (k == 30 ? -1.1 : 0.0), 0.5, kH);
    double expected = 0.0;
    if (k >= 10) expected += 0.7 * std::exp(-(k - 10) * kH / 10.0);
    if (k >= 30) expected -= 1.1 * std::exp(-(k - 30) * kH / 10.0);
    ASSERT_NEAR(b.V_rel_mV - a.V_rel_mV, expected, 1e-13) << k;
  }
}

// A certain spike (rate * h >> 1) whenever not dead: spikes in steps 0,
// D + 1, 2 (D + 1), ...; with_reset sets V to 0 at the spike step only, and
// V keeps integrating I_e in the dead steps (NEST does not clamp it).
TEST(PpPscDelta, DeadTimeAndResetOnCertainSpikes) {
  for (const bool with_reset : {true, false}) {
    PpPscDeltaParams p = constant_rate(1e9, 0.5);
    p.with_reset = with_reset;
    p.I_e_pA = 250.0;  // R I_e = 10 mV
    const Neuron n(p);
    const int D = n.c.dead_time_steps;
    ASSERT_EQ(D, 5);
    MembraneState s{0.0, 0.0, 0.0, 0};
    int since_spike = 0;
    for (int k = 0; k < 100; ++k) {
      const bool spiked = pp_psc_delta_step(s, nullptr, 0, n.c, 0.0, 0.999, kH);
      ASSERT_EQ(spiked, k % (D + 1) == 0) << k;
      since_spike = spiked ? 0 : since_spike + 1;
      const double expected = with_reset ? 10.0 * -std::expm1(-since_spike * kH / 10.0)
                                         : 10.0 * -std::expm1(-(k + 1) * kH / 10.0);
      ASSERT_NEAR(s.V_rel_mV, expected, 1e-12) << k;
      ASSERT_EQ(s.refractory_steps, spiked ? D : std::max(0, D - since_spike)) << k;
    }
  }
}

// Each trace jumps by q at a spike and decays with its tau_sfa; the rate of
// step k + a after a spike in step k sees q exp(-a h / tau) (decayed before
// use). Checked on the spike decision itself: u just below the expected
// probability spikes, u just above does not.
TEST(PpPscDelta, AdaptationJumpsByQAndDecaysWithTauSfa) {
  PpPscDeltaParams p;
  p.dead_time_ms = kH;  // one dead step
  p.c_1_Hz_per_mV = 0.0;
  p.c_2_Hz = 500.0;
  p.c_3_per_mV = 0.5;
  p.tau_sfa_ms = {5.0, 50.0};
  p.q_sfa_mV = {2.0, 3.0};
  const Neuron n(p);
  const auto E_sfa = [](int a) { return 2.0 * std::exp(-a * kH / 5.0) + 3.0 * std::exp(-a * kH / 50.0); };
  // u = 0: a certain spike when the rate is positive.
  double theta[2] = {0.0, 0.0};
  MembraneState s{0.0, 0.0, 0.0, 0};
  ASSERT_TRUE(pp_psc_delta_step(s, theta, 1, n.c, 0.0, 0.0, kH));
  EXPECT_DOUBLE_EQ(pp_psc_delta_E_sfa_mV(theta, 1, n.c), 5.0);  // the jumps, undecayed
  for (int a = 1; a <= 200; ++a) {
    ASSERT_FALSE(pp_psc_delta_step(s, theta, 1, n.c, 0.0, 1.0, kH));  // u = 1: no spike while p < 1
    ASSERT_NEAR(pp_psc_delta_E_sfa_mV(theta, 1, n.c), E_sfa(a), 1e-12) << a;
  }
  for (const int a : {2, 3, 10, 40}) {
    const double p_spike = -std::expm1(-500.0 * std::exp(-0.5 * E_sfa(a)) * kH * 1e-3);
    for (const double factor : {1.0 - 1e-9, 1.0 + 1e-9}) {
      double th[2] = {0.0, 0.0};
      MembraneState m{0.0, 0.0, 0.0, 0};
      ASSERT_TRUE(pp_psc_delta_step(m, th, 1, n.c, 0.0, 0.0, kH));
      for (int k = 1; k < a; ++k) ASSERT_FALSE(pp_psc_delta_step(m, th, 1, n.c, 0.0, 1.0, kH));
      EXPECT_EQ(pp_psc_delta_step(m, th, 1, n.c, 0.0, p_spike * factor, kH), factor < 1.0) << a;
    }
  }
  // A second spike adds its jumps to what is left of the first.
  double th[2] = {0.0, 0.0};
  MembraneState m{0.0, 0.0, 0.0, 0};
  ASSERT_TRUE(pp_psc_delta_step(m, th, 1, n.c, 0.0, 0.0, kH));
  ASSERT_FALSE(pp_psc_delta_step(m, th, 1, n.c, 0.0, 0.0, kH));  // dead
  ASSERT_TRUE(pp_psc_delta_step(m, th, 1, n.c, 0.0, 0.0, kH));
  EXPECT_NEAR(pp_psc_delta_E_sfa_mV(th, 1, n.c), E_sfa(2) + 5.0, 1e-12);
}

// Rect: a rate c_1 V' + c_2 exp(c_3 V') <= 0 never spikes; the linear part
// alone spikes with 1 - exp(-c_1 V' h).
TEST(PpPscDelta, RateIsRectifiedAndInHertz) {
  PpPscDeltaParams p;
  p.c_1_Hz_per_mV = 100.0;
  p.c_2_Hz = 0.0;
  const Neuron n(p);
  MembraneState s{-3.0, 0.0, 0.0, 0};
  EXPECT_FALSE(pp_psc_delta_step(s, nullptr, 0, n.c, 0.0, 1e-300, kH));
  // V' = 5 mV: 500 Hz, p = 1 - exp(-0.05) over 0.1 ms.
  const double p_spike = -std::expm1(-500.0 * kH * 1e-3);
  MembraneState a{0.0, 0.0, 0.0, 0}, b = a;
  EXPECT_TRUE(pp_psc_delta_step(a, nullptr, 0, n.c, 5.0, p_spike * (1 - 1e-9), kH));
  EXPECT_FALSE(pp_psc_delta_step(b, nullptr, 0, n.c, 5.0, p_spike * (1 + 1e-9), kH));
}

// -------------------------------------------------------------- statistics

// Constant rate c_2, dead time D steps: outside the dead time every step
// spikes with p = 1 - exp(-c_2 h), so the ISI is D + G steps with G geometric
// on {1, 2, ...}: P(ISI = D + m) = p (1 - p)^(m - 1), mean mu = D + 1/p,
// variance (1 - p) / p^2; the rate 1 / (mu h) tends to NEST's
// c_2 / (1 + c_2 dead_time) as h -> 0 (here it is lower by a factor
// 1 + (h/2) / (mu h)). The neurons start in the stationary state of this
// Markov chain (r dead steps left: 1/mu for each r = 1..D, (1/p)/mu for
// r = 0), so every step spikes with probability 1/mu exactly.
TEST(PpPscDelta, ConstantRateIsPoissonWithDeadTimeOnTheGrid) {
  const Neuron n(constant_rate(50.0, 2.0));
  const int D = n.c.dead_time_steps;
  ASSERT_EQ(D, 20);
  const double p = -std::expm1(-50.0 * kH * 1e-3);
  const double mu = D + 1.0 / p, var = (1.0 - p) / (p * p);
  const int neurons = 400, steps = 25000, max_isi = steps;
  std::vector<double> histogram(max_isi + 1, 0.0);
  double spikes = 0.0;
  for (int i = 0; i < neurons; ++i) {
    const double x = mu * uniform_open(philox4x32_10(11, kStreamInitialV, i, 0).v[0]);
    MembraneState s{0.0, 0.0, 0.0, x < D ? 1 + static_cast<int>(x) : 0};
    int last = -1;
    for (int k = 0; k < steps; ++k) {
      if (!pp_psc_delta_step(s, nullptr, 0, n.c, 0.0, escape_u(7, i, k), kH)) continue;
      ++spikes;
      if (last >= 0) ++histogram[k - last];
      last = k;
    }
  }
  // Rate: the count of a stationary renewal process over T has variance
  // T var / mu^3 (asymptotically; Cox 1962, Renewal Theory, Sec. 4.5).
  const double T = double(neurons) * steps;
  EXPECT_NEAR(spikes, T / mu, 4.0 * std::sqrt(T * var / (mu * mu * mu)));
  // ISIs: an interval L that starts at a spike in step t is seen when
  // t + L < steps, so the expected count of L is neurons (steps - L) P(L) / mu.
  std::vector<double> expected(max_isi + 1, 0.0);
  for (int L = D + 1; L <= max_isi; ++L)
    expected[L] = neurons * double(steps - L) * p * std::pow(1.0 - p, L - D - 1) / mu;
  for (int L = 0; L <= D; ++L) ASSERT_EQ(histogram[L], 0.0) << "ISI inside the dead time: " << L;
  EXPECT_GT(histogram[D + 1], 0.0);  // the shortest ISI is D + 1 steps
  const ChiSquare r = chi_square(histogram, expected);
  ASSERT_GT(r.dof, 100);
  EXPECT_LT(r.chi2, chi2_critical(r.dof)) << "dof " << r.dof;
}

// NEST's own check (testsuite/pytests/test_pp_psc_delta.py,
// test_rate_and_fixed_dead_time): dead_time 25 ms, c_2 = 10 Hz, c_3 = 0.25,
// no reset, 10 s from rest; the rate is within a factor (0.5, 1.5) of
// 1 / (1/c_2 + dead_time) = 8 Hz and no ISI is shorter than the dead time.
// Here with 40 neurons, also against the exact discrete rate: from rest the
// first wait lacks the dead time, which adds at most one spike per neuron in
// expectation (so the tolerance is 4 standard errors plus one per neuron).
TEST(PpPscDelta, NestRateAndFixedDeadTime) {
  PpPscDeltaParams p;
  p.dead_time_ms = 25.0;
  p.with_reset = false;
  p.c_1_Hz_per_mV = 0.0;
  p.c_2_Hz = 10.0;
  p.c_3_per_mV = 0.25;
  const Neuron n(p);
  const int D = n.c.dead_time_steps, neurons = 40, steps = 100000;  // 10 s
  double spikes = 0.0;
  int min_isi = steps;
  for (int i = 0; i < neurons; ++i) {
    MembraneState s{0.0, 0.0, 0.0, 0};
    int last = -1;
    for (int k = 0; k < steps; ++k) {
      if (!pp_psc_delta_step(s, nullptr, 0, n.c, 0.0, escape_u(23, i, k), kH)) continue;
      ++spikes;
      if (last >= 0) min_isi = std::min(min_isi, k - last);
      last = k;
    }
  }
  const double rate_Hz = spikes / (neurons * steps * kH * 1e-3);
  const double nest_rate_Hz = 1.0 / (1.0 / 10.0 + 25.0e-3);
  EXPECT_GT(rate_Hz / nest_rate_Hz, 0.5);
  EXPECT_LT(rate_Hz / nest_rate_Hz, 1.5);
  EXPECT_GE(min_isi * kH, 25.0 - 1e-9);
  EXPECT_EQ(min_isi, D + 1);
  const double q = -std::expm1(-10.0 * kH * 1e-3);
  const double mu = D + 1.0 / q, var = (1.0 - q) / (q * q);
  const double T = double(neurons) * steps;
  EXPECT_NEAR(spikes, T / mu, 4.0 * std::sqrt(T * var / (mu * mu * mu)) + neurons);
}

namespace {

// Driven, adapting neuron for the next tests: R I_e = 12 mV, rate
// V' + 2 exp(0.3 V') Hz (negative, hence 0, for V' below about -1.34 mV),
// one trace q = 4 mV, tau_sfa = 30 ms, dead time 2 ms, reset to 0.
PpPscDeltaParams adapting_neuron() {
  PpPscDeltaParams p;
  p.I_e_pA = 300.0;
  p.c_1_Hz_per_mV = 1.0;
  p.c_2_Hz = 2.0;
  p.c_3_per_mV = 0.3;
  p.dead_time_ms = 2.0;
  p.tau_sfa_ms = {30.0};
  p.q_sfa_mV = {4.0};
  return p;
}

}  // namespace

// With adaptation the train is not renewal (E_sfa carries every earlier
// spike), but the first ISI from a known state is exact: right after a spike
// in step 0 with no earlier adaptation (theta = q, V = 0, D dead steps), step
// m has V_m = R I_e (1 - exp(-m h / tau_m)), E_m = q exp(-m h / tau_sfa),
// p_m = 1 - exp(-rate(V_m - E_m) h) for m > D, and
// P(ISI = m) = p_m prod_{D < j < m} (1 - p_j). Checked as a chi-square over
// bins of 4 steps and by its mean.
TEST(PpPscDelta, FirstIsiAfterASpikeFollowsTheHazard) {
  const Neuron n(adapting_neuron());
  const int D = n.c.dead_time_steps, neurons = 10000, max_m = 4000, width = 4;
  std::vector<double> P(max_m + 1, 0.0);
  double survival = 1.0;
  for (int m = D + 1; m <= max_m; ++m) {
    const double V = 12.0 * -std::expm1(-m * kH / 10.0), E = 4.0 * std::exp(-m * kH / 30.0);
    const double rate = std::max(0.0, (V - E) + 2.0 * std::exp(0.3 * (V - E)));
    const double p = -std::expm1(-rate * kH * 1e-3);
    P[m] = survival * p;
    survival *= 1.0 - p;
  }
  ASSERT_LT(survival, 1e-12);
  std::vector<double> observed(max_m / width + 1, 0.0), expected(max_m / width + 1, 0.0);
  double isi_sum = 0.0;
  for (int i = 0; i < neurons; ++i) {
    MembraneState s{0.0, 0.0, 0.0, D};
    double theta = 4.0;
    for (int m = 1; m <= max_m; ++m) {
      if (!pp_psc_delta_step(s, &theta, 1, n.c, 0.0, escape_u(31, i, m), kH)) continue;
      ++observed[m / width];
      isi_sum += m;
      break;
    }
  }
  double mean = 0.0, second = 0.0;
  for (int m = 0; m <= max_m; ++m) {
    expected[m / width] += neurons * P[m];
    mean += m * P[m];
    second += double(m) * m * P[m];
  }
  const double sd = std::sqrt(second - mean * mean);
  EXPECT_NEAR(isi_sum / neurons, mean, 4.0 * sd / std::sqrt(double(neurons)));
  const ChiSquare r = chi_square(observed, expected);
  ASSERT_GT(r.dof, 40);
  EXPECT_LT(r.chi2, chi2_critical(r.dof)) << "dof " << r.dof;
}

// Long runs with two traces, delta input and both reset settings, checked
// step by step against V, the traces and the dead time recomputed here from
// the equations (traces decayed before use). Given the history, the
// spike indicator x_k of a live step is Bernoulli(p_k), so
// sum_k (x_k - p_k) is a martingale with variance sum_k p_k (1 - p_k): within
// each band of p_k its standardised sum is about N(0, 1), and the sum of
// their squares is chi-square with one degree of freedom per band. This
// tests the whole hazard (rate function, E_sfa, dead time, reset) without
// a renewal assumption.
TEST(PpPscDelta, SpikesFollowTheConditionalIntensityWithAdaptationAndInput) {
  for (const bool with_reset : {true, false}) {
    PpPscDeltaParams params = adapting_neuron();
    params.with_reset = with_reset;
    params.c_1_Hz_per_mV = 0.5;
    params.c_2_Hz = 3.0;
    params.c_3_per_mV = 0.25;
    params.I_e_pA = 250.0;  // 10 mV
    params.dead_time_ms = 1.5;
    params.tau_sfa_ms = {20.0, 200.0};
    params.q_sfa_mV = {3.0, 1.0};
    const Neuron n(params);
    const int D = n.c.dead_time_steps, neurons = 100, steps = 20000;
    const double decay_m = std::exp(-kH / 10.0), drive = 10.0 * -std::expm1(-kH / 10.0);
    const double decay_1 = std::exp(-kH / 20.0), decay_2 = std::exp(-kH / 200.0);
    // Bands of p: [0, 1e-5), then a factor 2 each.
    const int bands = 18;
    std::vector<double> sum_x(bands, 0.0), sum_p(bands, 0.0), sum_var(bands, 0.0);
    double max_dV = 0.0, spikes = 0.0;
    for (int i = 0; i < neurons; ++i) {
      MembraneState s{0.0, 0.0, 0.0, 0};
      double theta[2] = {0.0, 0.0};
      double V = 0.0, th1 = 0.0, th2 = 0.0;
      int dead = 0;
      for (int k = 0; k < steps; ++k) {
        const double w = ((k + i) % 7 == 0 ? 2.0 : 0.0) + ((k + 3 * i) % 13 == 0 ? -3.0 : 0.0);
        const bool x = pp_psc_delta_step(s, theta, 1, n.c, w, escape_u(41 + with_reset, i, k), kH);
        spikes += x;
        V = V * decay_m + drive + w;
        th1 *= decay_1;
        th2 *= decay_2;
        if (dead > 0) {
          --dead;
          ASSERT_FALSE(x) << "spike in a dead step";
          max_dV = std::max(max_dV, std::abs(s.V_rel_mV - V));
          continue;
        }
        const double Vp = V - th1 - th2;
        const double rate = std::max(0.0, 0.5 * Vp + 3.0 * std::exp(0.25 * Vp));
        const double p = -std::expm1(-rate * kH * 1e-3);
        if (p == 0.0) {
          ASSERT_FALSE(x) << "spike at rate 0";
        }
        const int band = p < 1e-5 ? 0 : std::min(bands - 1, 1 + static_cast<int>(std::log2(p / 1e-5)));
        sum_x[band] += x;
        sum_p[band] += p;
        sum_var[band] += p * (1.0 - p);
        if (x) {
          dead = D;
          th1 += 3.0;
          th2 += 1.0;
          if (with_reset) V = 0.0;
        }
        max_dV = std::max(max_dV, std::abs(s.V_rel_mV - V));
      }
    }
    EXPECT_LT(max_dV, 1e-9) << "V differs from the closed form";
    double chi2 = 0.0, all_x = 0.0, all_p = 0.0, all_var = 0.0;
    int dof = 0;
    for (int b = 0; b < bands; ++b) {
      all_x += sum_x[b];
      all_p += sum_p[b];
      all_var += sum_var[b];
      if (sum_p[b] < 10.0) continue;
      chi2 += (sum_x[b] - sum_p[b]) * (sum_x[b] - sum_p[b]) / sum_var[b];
      ++dof;
    }
    ASSERT_GT(spikes, 3000.0);
    ASSERT_GE(dof, 5);
    EXPECT_NEAR(all_x, all_p, 4.0 * std::sqrt(all_var)) << "with_reset " << with_reset;
    EXPECT_LT(chi2, chi2_critical(dof)) << "with_reset " << with_reset << ", dof " << dof;
  }
}

// NEST's own check of adaptation (testsuite/pytests/test_pp_psc_delta.py,
// test_adapting_threshold): dead_time 1e-8 ms (one step), c_2 = 30 Hz,
// c_3 = 0.25, q_sfa = 7 mV, tau_sfa = 34 ms, no reset, no input: successive
// ISIs are negatively correlated, -1 <= rho_1 <= 0. Here pooled over
// 50 neurons of 10 s, and rho_1 below zero by more than 4 standard errors of
// an uncorrelated sequence (1 / sqrt(n)).
TEST(PpPscDelta, NestAdaptationGivesNegativeIsiCorrelation) {
  PpPscDeltaParams p;
  p.dead_time_ms = 1e-8;
  p.with_reset = false;
  p.c_1_Hz_per_mV = 0.0;
  p.c_2_Hz = 30.0;
  p.c_3_per_mV = 0.25;
  p.tau_sfa_ms = {34.0};
  p.q_sfa_mV = {7.0};
  const Neuron n(p);
  const int neurons = 50, steps = 100000;
  double sum = 0.0, sum2 = 0.0, sum12 = 0.0, sum1 = 0.0, sum2nd = 0.0;
  long count = 0, pairs = 0;
  for (int i = 0; i < neurons; ++i) {
    MembraneState s{0.0, 0.0, 0.0, 0};
    double theta = 0.0;
    std::vector<double> isi;
    int last = -1;
    for (int k = 0; k < steps; ++k) {
      if (!pp_psc_delta_step(s, &theta, 1, n.c, 0.0, escape_u(53, i, k), kH)) continue;
      if (last >= 0) isi.push_back((k - last) * kH);
      last = k;
    }
    for (std::size_t j = 0; j < isi.size(); ++j) {
      sum += isi[j];
      sum2 += isi[j] * isi[j];
      ++count;
      if (j + 1 < isi.size()) {
        sum12 += isi[j] * isi[j + 1];
        sum1 += isi[j];
        sum2nd += isi[j + 1];
        ++pairs;
      }
    }
  }
  ASSERT_GT(pairs, 5000);
  const double mean = sum / count, variance = sum2 / count - mean * mean;
  const double rho = (sum12 / pairs - (sum1 / pairs) * (sum2nd / pairs)) / variance;
  EXPECT_GE(rho, -1.0);
  EXPECT_LT(rho + 4.0 / std::sqrt(double(pairs)), 0.0) << "rho_1 = " << rho;
}
