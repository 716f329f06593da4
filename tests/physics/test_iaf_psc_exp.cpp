#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "micromeso/physics/iaf_psc_exp.hpp"

#include "param_names.hpp"

using namespace micromeso::physics;

namespace {

// Potjans & Diesmann (2014) neuron: C_m 250 pF, tau_m 10 ms, tau_syn 0.5 ms.
constexpr double kC = 250.0, kTauM = 10.0, kTauS = 0.5, kRef = 2.0;

IafConstants pd_neuron(double h, double I_e_pA) {
  return IafConstants{make_exp_synapse_propagators(kC, kTauM, kTauS, kTauS, h), 15.0, 0.0, I_e_pA,
                      static_cast<int>(std::lround(kRef / h))};
}

// PSP of an exponential current of amplitude J (pA) at time t after arrival.
double psp_mV(double J, double t) {
  return J / kC * kTauS * kTauM / (kTauM - kTauS) * (std::exp(-t / kTauM) - std::exp(-t / kTauS));
}

}  // namespace

// Exact integration: on the grid the simulated PSP equals the closed form.
TEST(IafPscExp, PspOnGridEqualsClosedForm) {
  const double h = 0.1, J = 87.8;
  const IafConstants c = pd_neuron(h, 0.0);
  MembraneState s{0.0, 0.0, 0.0, 0};
  iaf_psc_exp_step(s, c, J, 0.0);  // the spike arrives in step 0
  for (int n = 1; n <= 300; ++n) {
    iaf_psc_exp_step(s, c, 0.0, 0.0);
    ASSERT_NEAR(s.V_rel_mV, psp_mV(J, n * h), 1e-12) << "step " << n;
  }
}

// The paper's conversion: the PSC whose PSP peaks at 0.15 mV. Peak time
// t* = tau_m tau_s / (tau_m - tau_s) ln(tau_m / tau_s); J = 0.15 / PSP_1pA(t*).
TEST(IafPscExp, PotjansDiesmannPspPeakIs015mV) {
  const double t_peak = kTauM * kTauS / (kTauM - kTauS) * std::log(kTauM / kTauS);
  const double J = 0.15 / psp_mV(1.0, t_peak);
  EXPECT_NEAR(J, 87.8, 0.05);  // 87.81 pA in NEST's microcircuit example
  const double h = 0.001;      // fine grid: the grid maximum is within 1e-7 mV of the peak
  const IafConstants c = pd_neuron(h, 0.0);
  MembraneState s{0.0, 0.0, 0.0, 0};
  iaf_psc_exp_step(s, c, J, 0.0);
  double peak = 0.0;
  for (int n = 0; n < 5000; ++n) {
    iaf_psc_exp_step(s, c, 0.0, 0.0);
    peak = std::max(peak, s.V_rel_mV);
  }
  EXPECT_NEAR(peak, 0.15, 1e-6);
}

// f-I curve of the LIF neuron under constant current: the free membrane
// reaches threshold after T = tau_m ln(RI / (RI - theta)) (reset = E_L); on the
// grid the crossing is detected at the first step after T, so the simulated
// interval is t_ref + ceil(T / h) h.
class IafFICurve : public ::testing::TestWithParam<double> {};

TEST_P(IafFICurve, IntervalMatchesClosedForm) {
  const double I = GetParam(), h = 0.1;
  const IafConstants c = pd_neuron(h, I);
  const double RI = kTauM / kC * I, theta = 15.0;
  const double T_free = kTauM * std::log(RI / (RI - theta));
  const double expected_isi = kRef + std::ceil(T_free / h - 1e-9) * h;
  MembraneState s{0.0, 0.0, 0.0, 0};
  std::vector<int> spike_steps;
  for (int n = 0; n < 20000; ++n)
    if (iaf_psc_exp_step(s, c, 0.0, 0.0)) spike_steps.push_back(n);
  ASSERT_GE(spike_steps.size(), 10u);
  for (std::size_t k = 1; k < spike_steps.size(); ++k)
    ASSERT_NEAR((spike_steps[k] - spike_steps[k - 1]) * h, expected_isi, 1e-9);
  // The rate agrees with the continuous f-I curve up to the grid: 1/f within h.
  const double rate_hz = (spike_steps.size() - 1) / ((spike_steps.back() - spike_steps.front()) * h * 1e-3);
  const double analytic_hz = 1000.0 / (kRef + T_free);
  EXPECT_LE(1000.0 / rate_hz - 1000.0 / analytic_hz, h + 1e-9);
  EXPECT_GE(1000.0 / rate_hz - 1000.0 / analytic_hz, 0.0);
}

// Test names: I380pA, I400pA, ...
INSTANTIATE_TEST_SUITE_P(Currents, IafFICurve, ::testing::Values(380.0, 400.0, 500.0, 800.0, 1500.0),
                         [](const ::testing::TestParamInfo<double>& info) {
                           return "I" + micromeso::testing::number_name(info.param) + "pA";
                         });

TEST(IafPscExp, BelowRheobaseNeverFires) {
  const IafConstants c = pd_neuron(0.1, 370.0);  // RI = 14.8 mV < 15 mV
  MembraneState s{0.0, 0.0, 0.0, 0};
  for (int n = 0; n < 100000; ++n) ASSERT_FALSE(iaf_psc_exp_step(s, c, 0.0, 0.0));
  EXPECT_NEAR(s.V_rel_mV, 14.8, 1e-9);
}

TEST(IafPscExp, RefractoryPeriodClampsTheMembrane) {
  const IafConstants c = pd_neuron(0.1, 0.0);
  MembraneState s{15.0, 0.0, 0.0, 0};
  s.V_rel_mV = 16.0;
  s.refractory_steps = 0;
  // V above threshold before the step: the update decays it but it stays above.
  EXPECT_TRUE(iaf_psc_exp_step(s, c, 0.0, 0.0));
  for (int n = 0; n < 20; ++n) {
    iaf_psc_exp_step(s, c, 1e5, 0.0);  // strong input cannot move V while refractory
    EXPECT_EQ(s.V_rel_mV, 0.0);
  }
  // After t_ref = 20 steps V integrates again: the current that kept
  // arriving during refractoriness (as in NEST) drives it over threshold at once.
  EXPECT_TRUE(iaf_psc_exp_step(s, c, 0.0, 0.0));
}

// Equal membrane and synaptic time constants: the propagator's limit
// h/C exp(-h/tau) must join the general formula continuously.
TEST(IafPscExp, PropagatorSingularityIsContinuous) {
  const double h = 0.1;
  const double at = current_to_voltage_propagator(10.0, 10.0, 250.0, h);
  const double tau_m = 10.0 * (1 + 1e-7);
  const double near = current_to_voltage_propagator(10.0, tau_m, 250.0, h);
  EXPECT_NEAR(at, h / 250.0 * std::exp(-h / 10.0), 1e-15);
  // Near the singularity the general formula must match its Taylor series
  // h/C exp(-h/tau_m) (1 - b h/2 + (b h)^2/6), b = 1/tau_syn - 1/tau_m, to
  // rounding error (a naive difference of exponentials loses ~9 digits here).
  const double b = 1.0 / 10.0 - 1.0 / tau_m;
  const double series = h / 250.0 * std::exp(-h / tau_m) * (1.0 - b * h / 2.0 + b * b * h * h / 6.0);
  EXPECT_NEAR(near, series, 1e-13 * series);
}
