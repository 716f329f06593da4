// Full-scale Potjans & Diesmann (2014) microcircuit on the CPU engine: the
// population rates after the 500 ms transient, over 1 s, against the NEST
// reference rates of NEST's microcircuit example (pynest/examples/Potjans_2014/,
// now INM-6/microcircuit-PD14-model): a correct implementation
// with its own random streams lands within 10 % in every population
// (seed-to-seed spread is a few percent, up to 5 % in L23E).
#include <gtest/gtest.h>

#include "tests/temp_dir.hpp"

#include <filesystem>

#include "micromeso/circuit_io.hpp"
#include "micromeso/run.hpp"

namespace fs = std::filesystem;

TEST(Potjans2014Validation, FullScaleRatesMatchNest) {
  const std::vector<std::pair<std::string, double>> reference_hz = {
      {"L23E", 0.903}, {"L23I", 2.965}, {"L4E", 4.414}, {"L4I", 5.876},
      {"L5E", 7.569},  {"L5I", 8.633},  {"L6E", 1.105}, {"L6I", 7.829}};
  micromeso::Circuit circuit = micromeso::builtin_circuit("potjans2014");
  micromeso::SimulationOverrides o;
  o.record_spikes = false;
  micromeso::apply_overrides(circuit, o);
  micromeso::validate_circuit(circuit);
  ASSERT_EQ(circuit.total_neurons(), 77169u);
  const fs::path out = micromeso::testing::unique_temp_dir("micromeso-validation-pd14");
  fs::remove_all(out);
  micromeso::RunOptions options;
  options.backend = micromeso::BackendChoice::cpu;
  options.out_dir = out;
  const micromeso::RunSummary s = micromeso::run_micro(circuit, options);
  ASSERT_TRUE(s.complete);
  EXPECT_NEAR(double(s.synapses), 2.99e8, 0.01 * 2.99e8);
  ASSERT_EQ(s.populations.size(), reference_hz.size());
  for (std::size_t p = 0; p < reference_hz.size(); ++p) {
    EXPECT_EQ(s.populations[p].name, reference_hz[p].first);
    EXPECT_NEAR(s.populations[p].rate_hz, reference_hz[p].second, 0.10 * reference_hz[p].second)
        << s.populations[p].name;
  }
  std::cout << "build " << s.build_time_s << " s, simulation " << s.sim_time_s << " s, RTF "
            << s.real_time_factor << ", " << s.bytes_per_synapse << " bytes/synapse\n";
  fs::remove_all(out);
}
