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
// does not have. This is the deficit the cortical column shows (README,
// "micromeso compare").
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <string>

#include "../meso/meso_fixtures.hpp"
#include "compare_options.hpp"
#include "micromeso/compare.hpp"
#include "micromeso/output.hpp"

namespace fs = std::filesystem;
using namespace micromeso;

namespace {

Circuit ei_network(bool all_to_all) {
  Circuit c;
  c.name = all_to_all ? "ei_all_to_all" : "ei_sparse";
  c.simulation.dt_ms = 0.1;
  c.simulation.seed = 5;
  c.simulation.t_presim_ms = 1000.0;
  c.simulation.t_sim_ms = 20000.0;
  c.simulation.record.spikes = false;
  c.simulation.record.activity_bin_ms = 1.0;
  for (const auto& [name, size] : {std::pair{"E", 800u}, std::pair{"I", 200u}}) {
    Population p = micromeso::testing::gif_population(name, size, 300.0);  // mu 24 mV
    p.neuron.tau_syn_ex_ms = p.neuron.tau_syn_in_ms = 0.5;
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
      const double weight_pA = psp_mV * 250.0 / 0.5;  // C_m / tau_syn
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
  const auto& counts = a.counts[population];
  const double to_hz = 1.0 / (double(a.sizes[population]) * a.bin_ms * 1e-3);
  const auto per_batch = static_cast<std::size_t>(std::llround(batch_ms / a.bin_ms));
  const std::size_t batches = counts.size() / per_batch;
  std::vector<double> means(batches, 0.0);
  for (std::size_t b = 0; b < batches; ++b)
    for (std::size_t k = 0; k < per_batch; ++k) means[b] += counts[b * per_batch + k] * to_hz / double(per_batch);
  double mean = 0.0, var = 0.0;
  for (double m : means) mean += m / double(batches);
  for (double m : means) var += (m - mean) * (m - mean) / double(batches - 1);
  return {mean, std::sqrt(var / double(batches))};
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
