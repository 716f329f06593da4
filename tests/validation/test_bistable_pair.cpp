// The bistable pair on both engines (300 s each, about fifteen seconds of
// CPU): both switch between the two attractors at two distinct levels,
// their mean dwell times in an attractor agree within the factor the number
// of epochs allows, and their mean rates agree within 3 standard errors (the
// criterion of the meso issue), per population and for both together.
//
// A population's mean rate over a run is set mostly by how long it spent in
// the high attractor, so its standard error is that of the switching: batch
// means over 30 s (several epochs of about 8 s each) estimate it, 0.5 to
// 0.6 Hz over 300 s. The spread of the mean over independent runs (micro 4
// seeds, meso 8) is 0.49 and 0.71 Hz; batch estimates from 20 s batches up
// agree with it within their own error. The mean of both populations,
// (A + B) / 2, cancels the switching: its standard error is about 0.01 Hz
// (0.15 %), and this is the comparison that sees the model's details.
//
// It saw one: with the free pool of Schwalger et al. and NEST (neurons older
// than K = 5 tau_m at the free potential, the reset forgotten) the meso mean
// was 0.8 % high (over six seeds 6.472 +- 0.005 against 6.423 +- 0.006 Hz),
// and the engine's exact chain (--noise master) with that pool was as high,
// while the test's independent chain (age_structured_markov.hpp) gave the
// spiking network's value. The pool at its members' mean potential (the
// default) gives 6.4243 +- 0.0041 Hz over eight seeds against micro's
// 6.4244 +- 0.0047 (population_equation.cpp, commit). The paper's pool and
// the master variant are run and printed here too; the master variant is
// asserted like the default.
//
// 300 s also gives the dwell times enough completed epochs: a 60 s meso run
// could end with fewer than the test needs.
#include <gtest/gtest.h>

#include "tests/temp_dir.hpp"

#include <cmath>
#include <filesystem>
#include <iostream>
#include <utility>
#include <vector>

#include "../meso/batch_means.hpp"
#include "micromeso/analysis.hpp"
#include "micromeso/circuit_io.hpp"
#include "micromeso/output.hpp"
#include "micromeso/run.hpp"

namespace fs = std::filesystem;

namespace {

struct PairStatistics {
  double fraction_a_high = 0.0;
  int switches = 0;
  double high_hz = 0.0, low_hz = 0.0;
  double mean_hz = 0.0, mean_se_hz = 0.0;  // (A + B) / 2, batch means over 2 s
  double rate_hz[2] = {0.0, 0.0}, rate_se_hz[2] = {0.0, 0.0};  // A and B, batch means over 30 s
  std::vector<double> dwell_ms;             // completed epochs in either attractor (250 ms bins)
};

PairStatistics pair_statistics(const fs::path& activity_file) {
  const auto a = micromeso::read_activity(activity_file);
  const double to_hz = 1.0 / (500.0 * a.bin_ms * 1e-3);
  const auto& A = a.counts[0];
  const auto& B = a.counts[1];
  PairStatistics s;
  int last = 0;
  for (std::size_t k = 0; k < A.size(); ++k) {
    const int state = A[k] > B[k] ? 1 : (A[k] < B[k] ? -1 : last);
    if (last != 0 && state != last) ++s.switches;
    last = state;
    s.fraction_a_high += A[k] > B[k] ? 1.0 : 0.0;
    s.high_hz += std::max(A[k], B[k]) * to_hz;
    s.low_hz += std::min(A[k], B[k]) * to_hz;
  }
  const double n = double(A.size());
  s.fraction_a_high /= n;
  s.high_hz /= n;
  s.low_hz /= n;
  std::vector<double> a_hz(A.size()), b_hz(A.size()), pair_hz(A.size());
  for (std::size_t k = 0; k < A.size(); ++k) {
    a_hz[k] = A[k] * to_hz;
    b_hz[k] = B[k] * to_hz;
    pair_hz[k] = 0.5 * (a_hz[k] + b_hz[k]);
  }
  const auto steps = [&](double ms) { return static_cast<std::size_t>(std::llround(ms / a.bin_ms)); };
  using micromeso::testing::batch_mean_and_se;
  const auto pair = batch_mean_and_se(pair_hz, steps(2000.0));
  s.mean_hz = pair.mean;
  s.mean_se_hz = pair.se;
  for (const auto& [i, series] : {std::pair{0, &a_hz}, std::pair{1, &b_hz}}) {
    const auto r = batch_mean_and_se(*series, steps(30000.0));
    s.rate_hz[i] = r.mean;
    s.rate_se_hz[i] = r.se;
  }
  const std::size_t factor = static_cast<std::size_t>(std::llround(250.0 / a.bin_ms));
  const auto d = micromeso::analysis::dwell_times(micromeso::analysis::rebin(A, factor),
                                                  micromeso::analysis::rebin(B, factor), 250.0);
  s.dwell_ms = d.a_high_ms;
  s.dwell_ms.insert(s.dwell_ms.end(), d.b_high_ms.begin(), d.b_high_ms.end());
  return s;
}

}  // namespace

TEST(BistablePair, MicroAndMesoSwitchBetweenTheSameAttractors) {
  micromeso::Circuit c = micromeso::builtin_circuit("bistable_pair");
  c.simulation.t_sim_ms = 300000.0;  // about 35 epochs per engine
  const fs::path dir = micromeso::testing::unique_temp_dir("micromeso-bistable-pair");
  fs::remove_all(dir);
  micromeso::RunOptions micro;
  micro.backend = micromeso::BackendChoice::cpu;
  micro.out_dir = dir / "micro";
  micromeso::Circuit no_spikes = c;
  no_spikes.simulation.record.spikes = false;
  ASSERT_TRUE(micromeso::run_micro(no_spikes, micro).complete);
  const auto meso_run = [&](const std::string& name, const std::string& noise, bool paper_free_pool) {
    micromeso::MesoRunOptions meso;
    meso.out_dir = dir / name;
    meso.noise = noise;
    meso.paper_free_pool = paper_free_pool;
    EXPECT_TRUE(micromeso::run_meso(c, meso).complete) << name;
    return pair_statistics(meso.out_dir / "activity.h5");
  };
  const PairStatistics m = pair_statistics(dir / "micro/activity.h5"), p = meso_run("meso", "binomial", false);
  const PairStatistics master = meso_run("master", "master", false), paper = meso_run("paper", "binomial", true);
  for (const auto& [name, s] : {std::pair{"micro", m}, std::pair{"meso", p}, std::pair{"meso master", master}}) {
    std::cout << name << ": A high " << s.fraction_a_high << " of the time, " << s.switches << " switches, high "
              << s.high_hz << " Hz, low " << s.low_hz << " Hz, mean " << s.mean_hz << " +- " << s.mean_se_hz
              << " Hz\n";
    EXPECT_GE(s.switches, 4) << name;  // both attractors visited, more than once
    EXPECT_GT(s.fraction_a_high, 0.1) << name;
    EXPECT_LT(s.fraction_a_high, 0.9) << name;
    EXPECT_GT(s.high_hz, 2.0 * s.low_hz) << name;  // two distinct levels
  }
  // The meso issue's criterion: mean rates within 3 standard errors (the
  // runs are independent), per population and for both together.
  for (const auto& [name, q] : {std::pair{"meso", p}, std::pair{"meso master", master}}) {
    for (int i = 0; i < 2; ++i) {
      const double se = std::hypot(m.rate_se_hz[i], q.rate_se_hz[i]);
      std::cout << name << ", population " << "AB"[i] << ": micro " << m.rate_hz[i] << " +- " << m.rate_se_hz[i]
                << " Hz, " << name << " " << q.rate_hz[i] << " +- " << q.rate_se_hz[i] << " Hz\n";
      EXPECT_NEAR(m.rate_hz[i], q.rate_hz[i], 3.0 * se) << name << ", population " << "AB"[i];
    }
    std::cout << name << ", mean of both populations: micro " << m.mean_hz << " +- " << m.mean_se_hz << " Hz, "
              << name << " " << q.mean_hz << " +- " << q.mean_se_hz << " Hz\n";
    EXPECT_NEAR(m.mean_hz, q.mean_hz, 3.0 * std::hypot(m.mean_se_hz, q.mean_se_hz)) << name;
  }
  std::cout << "the paper's free pool (--paper-free-pool, not asserted): mean of both " << paper.mean_hz << " +- "
            << paper.mean_se_hz << " Hz\n";
  // Mean dwell times: for (nearly) exponential dwell times the mean of n has
  // relative sd 1/sqrt(n), so ln(ratio of means) has sd sqrt(1/n1 + 1/n2).
  const auto mean = [](const std::vector<double>& x) {
    double t = 0.0;
    for (double v : x) t += v;
    return t / double(x.size());
  };
  // With ~35 epochs expected per run, fewer than 10 would itself mean the
  // engines do not switch as they should.
  ASSERT_GE(m.dwell_ms.size(), 10u);
  ASSERT_GE(p.dwell_ms.size(), 10u);
  const double ratio = mean(m.dwell_ms) / mean(p.dwell_ms);
  const double factor_sd = std::sqrt(1.0 / double(m.dwell_ms.size()) + 1.0 / double(p.dwell_ms.size()));
  std::cout << "mean dwell time: micro " << mean(m.dwell_ms) << " ms (" << m.dwell_ms.size() << " epochs), meso "
            << mean(p.dwell_ms) << " ms (" << p.dwell_ms.size() << " epochs); allowed factor "
            << std::exp(3.0 * factor_sd) << "\n";
  EXPECT_LT(std::abs(std::log(ratio)), 3.0 * factor_sd);
  fs::remove_all(dir);
}
