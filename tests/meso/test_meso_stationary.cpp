// The N -> infinity population equation (NoiseModel::none) in its stationary
// state against renewal theory computed independently (renewal_theory.hpp):
// A_0 = 1 / int S(t) dt for the escape neuron under constant drive.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "meso/history_length.hpp"
#include "meso_fixtures.hpp"
#include "micromeso/meso.hpp"
#include "micromeso/physics/exp_synapse.hpp"

using namespace micromeso;
using micromeso::testing::single_population;

namespace {

// Mean rate (Hz) of population 0 over `average_ms` after `settle_ms`.
// block_change: MesoOptions::block_kernel_change_Delta_V (0: exact history);
// other options from `o` (its noise is set to none).
double stationary_rate_hz(const Circuit& c, double settle_ms, double average_ms, double block_change = 0.0,
                          meso::MesoOptions o = {}) {
  o.noise = meso::NoiseModel::none;
  o.block_kernel_change_Delta_V = block_change;
  meso::MesoSimulator sim(c, o);
  const double h = c.simulation.dt_ms;
  for (long k = 0; k < std::lround(settle_ms / h); ++k) sim.step();
  const long steps = std::lround(average_ms / h);
  double sum = 0.0;
  for (long k = 0; k < steps; ++k) {
    sim.step();
    sum += sim.spike_counts()[0];
  }
  return sum / (double(c.populations[0].size) * double(steps) * h * 1e-3);
}

// History length K of population 0 (steps).
std::size_t history_steps(const Circuit& c, double block_change) {
  meso::MesoOptions o;
  o.block_kernel_change_Delta_V = block_change;
  return meso::MesoSimulator(c, o).history_steps(0);
}

}  // namespace

// No adaptation: the discrete-time renewal rate of the same neuron. Exact up
// to the neurons that survive the whole window (5 tau_m) and join the free
// pool: far below 1e-6 here (a measured 1e-12), as few live that long at
// these rates (low rates: the next test).
// And its continuous-time limit (survival integrated on a fine grid): the
// discretisation error turns out second order in dt (Richardson: err(h) ~
// 4/3 (A_h - A_{h/2}), about 1e-4 Hz at 0.1 ms); a refractory period one
// step too long or short, or the hazard taken at the wrong end of the step,
// is a first-order error of about dt A_0 relative (0.1 Hz here) and fails by
// two orders of magnitude.
TEST(MesoStationary, RateIsTheRenewalRateAndItsContinuousLimit) {
  for (double I_e : {350.0, 450.0}) {
    const Circuit c = single_population(500, I_e, 0.1, 1);
    const Population& p = c.populations[0];
    const double rate = stationary_rate_hz(c, 1000.0, 500.0);
    const double discrete = micromeso::testing::renewal_rate_hz(p, 0.1);
    EXPECT_GT(discrete, 5.0);
    EXPECT_NEAR(rate, discrete, 1e-6 * discrete) << "I_e " << I_e;
    const double continuous = micromeso::testing::continuous_renewal_rate_hz(p);
    const double richardson = 4.0 / 3.0 * std::abs(discrete - micromeso::testing::renewal_rate_hz(p, 0.05));
    EXPECT_LT(richardson, 1e-3);
    EXPECT_NEAR(rate, continuous, 1.5 * richardson) << "I_e " << I_e;
  }
}

// Adaptation (two time scales): the self-consistent quasi-renewal rate. The
// population equations keep the QR nonlinearity inside the history window K
// only; older spikes act linearly on the threshold. Against the QR theory
// with that same window the agreement is exact (a measured 1e-10 after 3 s);
// against the QR theory proper the window shifts every threshold by
// delta = A_0 sum_{k >= K} (theta - theta_tilde)(k), which changes the rate
// by at most a factor exp(delta / Delta_V) (escape rate ~ exp(-threshold /
// Delta_V), adaptation feedback only reduces the change).
TEST(MesoStationary, AdaptingRateIsTheQuasiRenewalRate) {
  for (double I_e : {300.0, 600.0}) {
    Circuit c = micromeso::testing::adapting_single_population(500, I_e, 0.5, 1);
    const NeuronParams& n = c.populations[0].neuron;
    const std::size_t K = history_steps(c, 0.0);
    const double rate = stationary_rate_hz(c, 3000.0, 1000.0);
    const double windowed = micromeso::testing::quasi_renewal_rate_hz(c.populations[0], 0.5, K);
    const double qr = micromeso::testing::quasi_renewal_rate_hz(c.populations[0], 0.5);
    EXPECT_NEAR(rate, windowed, 1e-7 * windowed) << "I_e " << I_e;
    double delta = 0.0;  // mV
    for (std::size_t k = K; k < 100 * K; ++k) {
      const double theta = micromeso::testing::detail::kernel_mV(n, double(k), 0.5);
      delta += theta - n.Delta_V_mV * (1.0 - std::exp(-theta / n.Delta_V_mV));
    }
    delta *= rate * 0.5e-3;
    EXPECT_GT(delta, 0.0);
    EXPECT_NEAR(rate, qr, qr * std::expm1(delta / n.Delta_V_mV)) << "I_e " << I_e;
    // Adaptation matters: the rate without it is far higher.
    Circuit plain = c;
    plain.populations[0].neuron.tau_sfa_ms.clear();
    plain.populations[0].neuron.q_sfa_mV.clear();
    EXPECT_GT(micromeso::testing::renewal_rate_hz(plain.populations[0], 0.5), 1.3 * rate);
    std::cout << "I_e " << I_e << " pA, K " << K << ": meso " << rate << " Hz, windowed QR " << windowed
              << " Hz, QR " << qr << " Hz (bound " << qr * std::expm1(delta / n.Delta_V_mV) << " Hz)\n";
  }
}

// The same population with old ages grouped in blocks (the default). Its
// window ends K to K + B - 1 steps back, with the phase of the blocks, so
// its reference is the windowed QR rate averaged over those B windows (to
// first order in the small rate change per window step). Against it the
// blocks' own error is of second order in the kernel change per block:
// quartering the change must cut it by more than 8 (16 in theory; 4 would be
// first order, e.g. a block's kernel taken at one end instead of averaged,
// or its own earlier spikes left out). The error grows where more neurons
// live to old ages: at the default 0.05 Delta_V a measured 7e-5 at 6 Hz
// (200 pA), 1e-6 at 17 Hz (300 pA); the documented bound is 1e-4 (meso.hpp).
TEST(MesoStationary, BlockedHistoryErrorIsSecondOrder) {
  for (double I_e : {200.0, 300.0}) {
    Circuit c = micromeso::testing::adapting_single_population(500, I_e, 0.5, 1);
    const NeuronParams& n = c.populations[0].neuron;
    const auto relative_error = [&](double change) {
      const double rate = stationary_rate_hz(c, 3000.0, 1000.0, change);
      const meso::HistoryLayout layout = meso::history_layout(n, 0.5, change);
      EXPECT_GT(layout.blocks, 10u);
      EXPECT_EQ(layout.total(), history_steps(c, change));
      double windowed = 0.0;
      for (std::size_t s = 0; s < layout.block_steps; ++s)
        windowed += micromeso::testing::quasi_renewal_rate_hz(c.populations[0], 0.5, layout.total() + s);
      windowed /= double(layout.block_steps);
      return std::abs(rate - windowed) / windowed;
    };
    const double fine = relative_error(0.05), finer = relative_error(0.0125);
    std::cout << "I_e " << I_e << " pA: relative error " << fine << " (0.05 Delta_V per block), " << finer
              << " (0.0125)\n";
    EXPECT_GT(fine, 8.0 * finer);
    EXPECT_LT(fine, 1e-4);
  }
}

// External Poisson input enters through the synaptic filter as its mean:
// K nu dt w per step, which the exact propagators turn into the stationary
// membrane potential R K nu w tau_syn up to O((dt / tau)^2). The equivalent
// constant current of the discrete filter is I = a P21 / ((1 - P11) P20)
// with a = K nu dt w; with it the two circuits have the same stationary
// rate. Excitatory (tau_syn_ex) and inhibitory (tau_syn_in) input alike.
TEST(MesoStationary, ExternalPoissonInputActsAsItsMeanCurrent) {
  const double h = 0.5;
  for (const double w : {20.0, -20.0}) {
    Circuit poisson = single_population(200, w > 0 ? 150.0 : 1050.0, h, 1);
    poisson.populations[0].poisson = PoissonInput{100, 50.0, w};
    const NeuronParams& n = poisson.populations[0].neuron;
    const auto prop = physics::make_exp_synapse_propagators(n.C_m_pF, n.tau_m_ms, n.tau_syn_ex_ms, n.tau_syn_in_ms, h);
    const double tau_s = w > 0 ? n.tau_syn_ex_ms : n.tau_syn_in_ms;
    const double P11 = w > 0 ? prop.P11ex : prop.P11in, P21 = w > 0 ? prop.P21ex : prop.P21in;
    const double a = 100 * 50.0 * 1e-3 * h * w;
    const double equivalent_pA = a * P21 / ((1.0 - P11) * prop.P20);
    const double mean_current_pA = 100 * 50.0 * 1e-3 * w * tau_s;  // K nu w tau_syn
    EXPECT_NEAR(equivalent_pA, mean_current_pA, std::abs(mean_current_pA) * (h / tau_s) * (h / tau_s));
    Circuit constant = poisson;
    constant.populations[0].poisson = PoissonInput{};
    constant.populations[0].neuron.I_e_pA += equivalent_pA;
    const double with_poisson = stationary_rate_hz(poisson, 1500.0, 500.0);
    const double with_current = stationary_rate_hz(constant, 1500.0, 500.0);
    EXPECT_GT(with_poisson, 5.0);
    EXPECT_NEAR(with_poisson, with_current, 1e-8 * with_current) << "w " << w;
    // and it is the renewal rate at that current (the filter has no other effect)
    EXPECT_NEAR(with_poisson, micromeso::testing::renewal_rate_hz(constant.populations[0], h), 1e-6 * with_poisson);
  }
}

// Low rates (2 to 9 Hz): most neurons outlive the history K = 5 tau_m and
// sit in the free pool. Its members reset K or more steps ago, so their
// potentials lie within delta = exp(-K dt / tau_m) |V_inf - V_reset| below
// V_inf (0.08 to 0.11 mV here). The pool at its members' mean potential
// errs only through their spread: a relative hazard error of at most
// var(u) / (2 Delta_V^2) <= (delta / Delta_V)^2 / 8 (2e-4 to 4e-4 here),
// which bounds the rate's. The paper's free potential (reset forgotten)
// puts the pool up to delta too high, a first-order error that the test
// sees above that bound (measured 0.17 to 0.41 % against 2e-5).
TEST(MesoStationary, FreePoolAtItsMembersMeanPotentialKeepsTheRenewalRateAtLowRates) {
  const double h = 0.5;
  for (double I_e : {150.0, 175.0, 200.0}) {
    const Circuit c = single_population(500, I_e, h, 1);
    const NeuronParams& n = c.populations[0].neuron;
    const double theory = micromeso::testing::renewal_rate_hz(c.populations[0], h);
    const double V_inf_mV = I_e * n.tau_m_ms / n.C_m_pF;
    const double K = double(history_steps(c, 0.0));
    const double delta_mV = std::exp(-K * h / n.tau_m_ms) * std::abs(V_inf_mV - (n.V_reset_mV - n.E_L_mV));
    const double bound = (delta_mV / n.Delta_V_mV) * (delta_mV / n.Delta_V_mV) / 8.0;
    meso::MesoOptions mean_pool, paper_pool;
    paper_pool.paper_free_pool = true;
    const double rate = stationary_rate_hz(c, 10000.0, 10000.0, 0.0, mean_pool);
    const double paper = stationary_rate_hz(c, 10000.0, 10000.0, 0.0, paper_pool);
    EXPECT_LT(std::abs(rate / theory - 1.0), bound) << "I_e " << I_e << ": " << rate << " vs " << theory << " Hz";
    EXPECT_GT(std::abs(paper / theory - 1.0), bound) << "I_e " << I_e << ": the paper's pool, " << paper << " Hz";
  }
}
