// The population equation against the spiking network it describes: one
// uncoupled population of gif_psc_exp neurons without adaptation, micro on
// the CPU engine and meso with binomial noise; mean rates within 3 standard
// errors (batch means of the activity; the two runs are independent).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <iostream>

#include "meso_fixtures.hpp"
#include "micromeso/output.hpp"
#include "micromeso/run.hpp"

namespace fs = std::filesystem;

namespace {

struct RateEstimate {
  double rate_hz, se_hz;
};

// Mean rate and its standard error from batches of 100 ms (the activity's
// correlation time is a few tau_m = 20 ms).
RateEstimate rate_of(const fs::path& activity_file) {
  const auto a = micromeso::read_activity(activity_file);
  const auto& counts = a.counts[0];
  const std::size_t batch = static_cast<std::size_t>(std::llround(100.0 / a.bin_ms));
  const std::size_t B = counts.size() / batch;
  std::vector<double> means(B, 0.0);
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t k = 0; k < batch; ++k) means[b] += counts[b * batch + k];
  const double to_hz = 1.0 / (double(a.sizes[0]) * 100.0 * 1e-3);
  double mean = 0.0, var = 0.0;
  for (double& m : means) mean += m * to_hz / double(B);
  for (double m : means) var += (m * to_hz - mean) * (m * to_hz - mean);
  return {mean, std::sqrt(var / double(B - 1) / double(B))};
}

}  // namespace

TEST(MesoVsMicro, SinglePopulationRatesAgree) {
  micromeso::Circuit c = micromeso::testing::single_population(500, 400.0, 0.1, 11);
  c.simulation.t_presim_ms = 500.0;
  c.simulation.t_sim_ms = 10000.0;
  c.simulation.record.spikes = false;
  c.populations[0].v_init.distribution = micromeso::InitDistribution::uniform;
  c.populations[0].v_init.low_mV = 0.0;
  c.populations[0].v_init.high_mV = 10.0;
  const fs::path dir = fs::temp_directory_path() / "micromeso-meso-vs-micro";
  fs::remove_all(dir);
  micromeso::RunOptions micro;
  micro.backend = micromeso::BackendChoice::cpu;
  micro.out_dir = dir / "micro";
  ASSERT_TRUE(micromeso::run_micro(c, micro).complete);
  micromeso::MesoRunOptions meso;
  meso.out_dir = dir / "meso";
  ASSERT_TRUE(micromeso::run_meso(c, meso).complete);
  const RateEstimate a = rate_of(dir / "micro/activity.h5"), b = rate_of(dir / "meso/activity.h5");
  const double theory = micromeso::testing::renewal_rate_hz(c.populations[0], 0.1);
  EXPECT_NEAR(a.rate_hz, b.rate_hz, 3.0 * std::hypot(a.se_hz, b.se_hz))
      << "micro " << a.rate_hz << " +- " << a.se_hz << ", meso " << b.rate_hz << " +- " << b.se_hz << ", renewal "
      << theory;
  EXPECT_NEAR(a.rate_hz, theory, 3.0 * a.se_hz);
  std::cout << "micro " << a.rate_hz << " +- " << a.se_hz << " Hz, meso " << b.rate_hz << " +- " << b.se_hz
            << " Hz, renewal theory " << theory << " Hz\n";
  fs::remove_all(dir);
}
