// A coupled excitatory-inhibitory network (800 E + 200 I escape-noise
// neurons, no adaptation, tau_syn 0.5 ms as in the cortical column) with
// all-to-all coupling: every neuron receives exactly the population's spikes,
// which is the situation the population equations describe (a mean field
// with finite-size noise, Schwalger et al. 2017). Micro and meso then agree:
// the mean rates within 3 standard errors (batch means over 1 s, many
// correlation times of the activity apart) and the spectra within their
// statistics (squared LSD within 4 sd of its null value, as in the singleton
// test).
//
// The same network with sparse random connectivity (the same mean input:
// fixed in-degree 20 %, weights 5 times larger) is run and reported but not
// asserted: its spiking neurons fire about 6 % faster than the population
// equations predict (a measured 17.84 vs 16.77 Hz), because each neuron also
// receives the shot noise of its own presynaptic sample, which the mean field
// does not have. This is the deficit the cortical column shows (docs/validation.md,
// "The cortical column").
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <string>

#include "../meso/batch_means.hpp"
#include "../meso/meso_fixtures.hpp"
#include "age_structured_markov.hpp"
#include "micromeso/meso.hpp"
#include "compare_options.hpp"
#include "micromeso/compare.hpp"
#include "micromeso/output.hpp"

namespace fs = std::filesystem;
using namespace micromeso;

namespace {

Circuit ei_network(bool all_to_all, double tau_syn_ex_ms = 0.5, double tau_syn_in_ms = 0.5, double dt_ms = 0.1) {
  Circuit c;
  c.name = all_to_all ? "ei_all_to_all" : "ei_sparse";
  c.simulation.dt_ms = dt_ms;
  c.simulation.seed = 5;
  c.simulation.t_presim_ms = 1000.0;
  c.simulation.t_sim_ms = 20000.0;
  c.simulation.record.spikes = false;
  c.simulation.record.activity_bin_ms = 1.0;
  for (const auto& [name, size] : {std::pair{"E", 800u}, std::pair{"I", 200u}}) {
    Population p = micromeso::testing::gif_population(name, size, 300.0);  // mu 24 mV
    p.neuron.tau_syn_ex_ms = tau_syn_ex_ms;
    p.neuron.tau_syn_in_ms = tau_syn_in_ms;
    p.neuron.Delta_V_mV = 2.5;
    c.populations.push_back(p);
  }
  // PSPs of 0.3 mV (E) and -1.5 mV (I) at 20 % connectivity (reference 4.1);
  // all-to-all keeps the mean input with weights scaled by 0.2.
  for (const std::string source : {"E", "I"})
    for (const std::string target : {"E", "I"}) {
      Projection pr;
      pr.source = source;
      pr.target = target;
      const double psp_mV = source == "E" ? 0.3 : -1.5, n_source = source == "E" ? 800.0 : 200.0;
      const double weight_pA = psp_mV * 250.0 / (source == "E" ? tau_syn_ex_ms : tau_syn_in_ms);  // C_m / tau_syn
      if (all_to_all) {
        pr.rule = ConnectionRule::pairwise_bernoulli;
        pr.probability = 1.0;
        pr.weight_pA = 0.2 * weight_pA;
      } else {
        pr.rule = ConnectionRule::fixed_indegree;
        pr.indegree = static_cast<std::uint64_t>(0.2 * n_source);
        pr.weight_pA = weight_pA;
      }
      pr.receptor = source == "E" ? Receptor::excitatory : Receptor::inhibitory;
      pr.delay_ms = 1.0;
      c.projections.push_back(pr);
    }
  return c;
}

// Mean rate (Hz) and its standard error from batch means of `batch_ms`.
std::pair<double, double> rate_and_se(const fs::path& activity_file, std::size_t population, double batch_ms) {
  const PopulationActivity a = read_activity(activity_file);
  const double to_hz = 1.0 / (double(a.sizes[population]) * a.bin_ms * 1e-3);
  const auto r = micromeso::testing::batch_mean_and_se(a.counts[population],
                                                       static_cast<std::size_t>(std::llround(batch_ms / a.bin_ms)));
  return {r.mean * to_hz, r.se * to_hz};
}

Comparison run(const Circuit& c) {
  // 40 segments, 2 Hz resolution
  CompareOptions o = micromeso::testing::validation_compare_options(c.name, 1.0, 500.0);
  return compare_micro_meso(c, o);
}

}  // namespace

TEST(MeanFieldNetwork, AllToAllMicroAndMesoAgreeSparseMicroFiresFaster) {
  const Comparison full = run(ei_network(true));
  for (std::size_t i = 0; i < 2; ++i) {
    const auto [micro, micro_se] = rate_and_se(full.out_dir / "micro/activity.h5", i, 1000.0);
    const auto [meso, meso_se] = rate_and_se(full.out_dir / "meso/activity.h5", i, 1000.0);
    const auto& p = full.populations[i];
    const double M = double(p.spectral_distance.frequencies);
    const double ratio = std::pow(p.spectral_distance.lsd_db / p.spectral_distance.null_lsd_db, 2.0);
    std::cout << "all-to-all " << p.name << ": micro " << micro << " +- " << micro_se << " Hz, meso " << meso
              << " +- " << meso_se << " Hz; LSD " << p.spectral_distance.lsd_db << " dB, null "
              << p.spectral_distance.null_lsd_db << " dB\n";
    EXPECT_GT(micro, 10.0);
    EXPECT_NEAR(micro, meso, 3.0 * std::hypot(micro_se, meso_se)) << p.name;
    EXPECT_LT(ratio, 1.0 + 4.0 * std::sqrt(3.0 / M)) << p.name;
  }
  fs::remove_all(full.out_dir);

  const Comparison sparse = run(ei_network(false));
  for (const auto& p : sparse.populations)
    std::cout << "sparse " << p.name << ": micro " << p.rate_micro_hz << " Hz, meso " << p.rate_meso_hz << " Hz ("
              << 100.0 * p.rate_relative_difference << " %)\n";
  fs::remove_all(sparse.out_dir);
}

namespace {

// Variance (Hz^2) of A(t) in bins of `bin` counts and its standard error, from
// the within-batch variances (around the overall mean) of 2-s batches.
std::pair<double, double> variance_and_se(const std::vector<double>& counts, double size, double bin_ms) {
  const double to_hz = 1.0 / (size * bin_ms * 1e-3);
  double mean = 0.0;
  for (double n : counts) mean += n * to_hz / double(counts.size());
  const auto per_batch = static_cast<std::size_t>(std::llround(2000.0 / bin_ms));
  const std::size_t batches = counts.size() / per_batch;
  std::vector<double> v(batches, 0.0);
  for (std::size_t b = 0; b < batches; ++b)
    for (std::size_t k = 0; k < per_batch; ++k) {
      const double d = counts[b * per_batch + k] * to_hz - mean;
      v[b] += d * d / double(per_batch);
    }
  double m = 0.0, var = 0.0;
  for (double x : v) m += x / double(batches);
  for (double x : v) var += (x - m) * (x - m) / double(batches - 1);
  return {m, std::sqrt(var / double(batches))};
}

}  // namespace

// The finite-size fluctuations of the spiking network against an exact
// reference: the age-structured Markov chain of the same all-to-all
// populations (age_structured_markov.hpp), with the slower synapses of
// Schwalger's E-I example (tau_syn 3 / 6 ms, reference 4.2) at dt 0.5 ms,
// 100 s. The variance of A(t) in 1 ms bins must agree within 3 standard
// errors, as must the rates. The population equations' variance is printed:
// over three seeds it was about 6 % (E) and 3 % (I) lower (103 to 107
// against 109 to 113 Hz^2 in E, each +- 2.5), which is what their finite-size
// approximation (Lambda, one binomial draw of the total count) leaves out
// here; with tau_syn 0.5 ms the engines' variances agree within 1 %. The
// meso engine's master variant (per-age draws) is the same chain as the
// test's, implemented apart: its variance and rate must agree likewise (the
// spiking network's rate error stands in for the chain's, which is alike).
TEST(MeanFieldNetwork, SpikingFluctuationsMatchTheExactAgeStructuredChain) {
  Circuit c = ei_network(true, 3.0, 6.0, 0.5);
  c.simulation.t_sim_ms = 100000.0;
  const Comparison cmp = run(c);
  const PopulationActivity micro = read_activity(cmp.out_dir / "micro/activity.h5");
  const PopulationActivity meso = read_activity(cmp.out_dir / "meso/activity.h5");
  const auto skip = static_cast<std::uint64_t>(std::llround(c.simulation.t_presim_ms / 0.5));
  const auto chain = micromeso::testing::age_structured_markov(c, skip + 200000, 17);
  // The engine's own chain (--noise master), drawn independently of the
  // test's: the same process, so the same variance and rate.
  std::vector<std::vector<double>> master(2);
  {
    micromeso::meso::MesoOptions o;
    o.noise = micromeso::meso::NoiseModel::master;
    micromeso::meso::MesoSimulator sim(c, o);
    for (std::uint64_t k = 0; k < skip + 200000; ++k) {
      sim.step();
      if (k < skip) continue;
      for (std::size_t i = 0; i < 2; ++i) {
        if ((k - skip) % 2 == 0) master[i].push_back(0.0);
        master[i].back() += sim.spike_counts()[i];
      }
    }
  }
  for (std::size_t i = 0; i < 2; ++i) {
    std::vector<double> exact;  // 1 ms bins after the transient
    for (std::size_t k = skip; k + 1 < chain[i].size(); k += 2) exact.push_back(double(chain[i][k] + chain[i][k + 1]));
    const double N = double(c.populations[i].size);
    const auto [v_micro, se_micro] = variance_and_se(micro.counts[i], N, micro.bin_ms);
    const auto [v_exact, se_exact] = variance_and_se(exact, N, 1.0);
    const auto [v_meso, se_meso] = variance_and_se(meso.counts[i], N, meso.bin_ms);
    const auto [v_master, se_master] = variance_and_se(master[i], N, 1.0);
    double r_master = 0.0;
    for (double n : master[i]) r_master += n / (N * 1e-3 * double(master[i].size()));
    const auto [r_micro, r_micro_se] = rate_and_se(cmp.out_dir / "micro/activity.h5", i, 1000.0);
    double r_exact = 0.0;
    for (double n : exact) r_exact += n / (N * 1e-3 * double(exact.size()));
    std::cout << c.populations[i].name << ": var A micro " << v_micro << " +- " << se_micro << ", exact chain "
              << v_exact << " +- " << se_exact << ", meso " << v_meso << " +- " << se_meso << " Hz^2; rates micro "
              << r_micro << " +- " << r_micro_se << ", chain " << r_exact << " Hz; meso master: var " << v_master
              << " +- " << se_master << " Hz^2, rate " << r_master << " Hz\n";
    EXPECT_NEAR(v_micro, v_exact, 3.0 * std::hypot(se_micro, se_exact)) << c.populations[i].name;
    EXPECT_NEAR(r_micro, r_exact, 3.0 * std::sqrt(2.0) * r_micro_se) << c.populations[i].name;
    EXPECT_NEAR(v_master, v_exact, 3.0 * std::hypot(se_master, se_exact)) << c.populations[i].name;
    EXPECT_NEAR(r_master, r_exact, 3.0 * std::sqrt(2.0) * r_micro_se) << c.populations[i].name;
  }
  fs::remove_all(cmp.out_dir);
}
