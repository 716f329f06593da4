// `micromeso run` with a [[multimeter]] and a spike_generator: state.h5 holds
// the report in its layout (stamps, shape, units), the recorded V_m follows
// closed forms (constant current and one PSC), and the generator's spikes are in spikes.h5 at their times.
#include <gtest/gtest.h>

#include "tests/temp_dir.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "micromeso/output.hpp"

#include "run_cli.hpp"

namespace fs = std::filesystem;
using micromeso::testing::run_cli;

namespace {

// iaf_psc_exp, C_m 250 pF, tau_m 10 ms, E_L -70 mV, V_th -55 mV, I_e 200 pA
// (steady state -62 mV, never fires alone); a generator's spikes at 3, 30
// and 30.1 ms reach it 1.5 ms later with 500 pA.
const char* kCircuit = R"(name = "meter"
[simulation]
dt = 0.1
t_presim = 5.0
t_sim = 40.0
[[population]]
name = "N"
size = 3
model = "iaf_psc_exp"
I_e = 200.0
[[population]]
name = "G"
size = 1
model = "spike_generator"
spike_times = [3.0, 30.0, 30.1]
[[projection]]
source = "G"
target = "N"
rule = "pairwise_bernoulli"
probability = 1.0
weight = 500.0
delay = 1.5
[[multimeter]]
population = "N"
neurons = [2, 0]
record_from = ["V_m", "I_syn_ex"]
interval = 1.0
)";

}  // namespace

TEST(CliMultimeter, RecordsTheStateAndTheGeneratorsSpikes) {
  const fs::path dir = micromeso::testing::unique_temp_dir("micromeso-cli-multimeter");
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "meter.toml") << kCircuit;
  for (const std::string backend : {"cpu", "gpu-emulator"}) {
    const fs::path out = dir / backend;
    const auto r = run_cli("run " + (dir / "meter.toml").string() + " --backend " + backend + " --out " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto reports = micromeso::read_state_reports(out / "state.h5");
    ASSERT_EQ(reports.size(), 2u);
    const micromeso::StateReport& v = reports[0];
    EXPECT_EQ(v.population, "N");
    EXPECT_EQ(v.variable, "V_m");
    EXPECT_EQ(v.unit, "mV");
    EXPECT_EQ(reports[1].variable, "I_syn_ex");
    EXPECT_EQ(reports[1].unit, "pA");
    EXPECT_EQ(v.node_ids, (std::vector<std::uint64_t>{2, 0}));
    // Stamps 6, 7, ..., 45 ms: every whole ms after the 5 ms transient.
    EXPECT_DOUBLE_EQ(v.t_start_ms, 6.0);
    EXPECT_DOUBLE_EQ(v.t_stop_ms, 46.0);
    EXPECT_DOUBLE_EQ(v.interval_ms, 1.0);
    ASSERT_EQ(v.n_times(), 40u);
    // The generator's spike at 3 ms (in the transient) arrives at 4.5 ms: a
    // 500 pA current decaying with tau_syn_ex = 2 ms, until the next inputs
    // arrive at 31.5 ms. Both neurons are alike.
    for (std::size_t row = 0; row < v.n_times(); ++row) {
      const double t = v.t_start_ms + row * v.interval_ms;
      const double I = reports[1].data[row * 2];
      EXPECT_EQ(v.data[row * 2], v.data[row * 2 + 1]) << "identical neurons, at " << t << " ms";
      if (t < 31.5) {
        EXPECT_NEAR(I, 500.0 * std::exp(-(t - 4.5) / 2.0), 1e-9 * 500.0) << t;
      }
    }
    // V: charging by I_e from E_L plus the PSP of that current (closed forms:
    // R I_e (1 - exp(-t / tau_m)) and w R tau_s / (tau_m - tau_s) (exp(-s / tau_m) - exp(-s / tau_s))).
    const double t25 = 25.0, V25 = v.data[(25 - 6) * 2];
    const double tau_m = 10.0, R = tau_m / 250.0, tau_s = 2.0;
    const double s = t25 - 4.5;
    const double psp = 500.0 * R * tau_s / (tau_m - tau_s) * (std::exp(-s / tau_m) - std::exp(-s / tau_s));
    EXPECT_NEAR(V25, -70.0 + R * 200.0 * (1.0 - std::exp(-t25 / tau_m)) + psp, 1e-9);
    EXPECT_GT(v.data[(33 - 6) * 2], V25 + 1.0) << "the inputs of 30 and 30.1 ms arrive at 31.5 and 31.6 ms";
    // The generator's spikes, after the transient.
    const micromeso::SpikeData spikes = micromeso::read_spikes(out / "spikes.h5");
    EXPECT_EQ(spikes.times_ms[1], (std::vector<double>{30.0, 30.1}));
  }
  const auto a = micromeso::read_state_reports(dir / "cpu" / "state.h5");
  const auto b = micromeso::read_state_reports(dir / "gpu-emulator" / "state.h5");
  EXPECT_EQ(a[0].data, b[0].data);
  EXPECT_EQ(a[1].data, b[1].data);
  fs::remove_all(dir);
}

// Multimeters whose values would not fit in memory (1e10 steps of two
// neurons: 149 GiB) are refused
// before the run starts: exit 1 (not enough memory), nothing written.
TEST(CliMultimeter, TooMuchToRecordIsRefusedBeforeTheRun) {
  const fs::path dir = micromeso::testing::unique_temp_dir("micromeso-cli-multimeter-big");
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "big.toml") << "name = \"big\"\n[simulation]\ndt = 0.1\nt_sim = 1000000000.0\n"
                                     "activity_bin = 1000.0\nrecord_spikes = false\n"
                                     "[[population]]\nname = \"N\"\nsize = 2\nmodel = \"iaf_psc_exp\"\n"
                                     "[[multimeter]]\npopulation = \"N\"\nneurons = [0, 1]\nrecord_from = [\"V_m\"]\n";
  const auto r = run_cli("run " + (dir / "big.toml").string() + " --backend cpu --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("the multimeters of circuit 'big' would record 149.01 GiB"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}
