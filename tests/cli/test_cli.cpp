// The command line as a user meets it: exit codes, messages, outputs.
#include <gtest/gtest.h>

#include "tests/temp_dir.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "micromeso/output.hpp"

#include "run_cli.hpp"

namespace fs = std::filesystem;

namespace {

using Result = micromeso::testing::CliResult;
using micromeso::testing::run_cli;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = micromeso::testing::unique_temp_dir(
        "micromeso-cli-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

const char* kSmallCircuit = R"(name = "tiny"
[simulation]
dt = 0.1
t_sim = 100.0
t_presim = 20.0
seed = 4

[[population]]
name = "E"
size = 200
model = "iaf_psc_exp"
C_m = 250.0
tau_m = 10.0
E_L = -65.0
V_th = -50.0
V_reset = -65.0
t_ref = 2.0
tau_syn_ex = 0.5
tau_syn_in = 0.5
V_m = { distribution = "normal", mean = -58.0, sd = 5.0 }
poisson = { indegree = 2000, rate = 8.0, weight = 87.8 }

[[projection]]
source = "E"
target = "E"
rule = "fixed_total_number"
n_synapses = 4000
receptor = "excitatory"
weight = 87.8
weight_rel_sd = 0.1
delay = 1.5
delay_rel_sd = 0.5
)";

// iaf_psc_exp neurons under a constant current and no noise at all: the
// mesoscopic engine has no hazard for them.
const char* kQuietCircuit = R"(name = "quiet"
[simulation]
dt = 0.1
t_sim = 100.0

[[population]]
name = "E"
size = 200
model = "iaf_psc_exp"
tau_syn_ex = 0.5
tau_syn_in = 0.5
I_e = 400.0
)";

}  // namespace

TEST_F(CliTest, RunWritesSonataSpikesActivityAndSummary) {
  const std::string circuit = write("tiny.toml", kSmallCircuit);
  const Result r = run_cli("run " + circuit + " --threads 2 --out " + (dir_ / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("rate (Hz)"), std::string::npos) << r.output;
  ASSERT_TRUE(fs::exists(dir_ / "out/summary.json"));
  ASSERT_TRUE(fs::exists(dir_ / "out/activity.h5"));
  ASSERT_TRUE(fs::exists(dir_ / "out/spikes.h5"));
  for (const auto& entry : fs::directory_iterator(dir_ / "out"))
    EXPECT_NE(entry.path().extension(), ".part") << entry.path();
  const auto summary = nlohmann::json::parse(std::ifstream(dir_ / "out/summary.json"));
  EXPECT_EQ(summary["seed"], 4);
  EXPECT_TRUE(summary["complete"].get<bool>());
  const auto spikes = micromeso::read_spikes(dir_ / "out/spikes.h5");
  ASSERT_EQ(spikes.names.size(), 1u);
  const auto& times = spikes.times_ms[0];
  ASSERT_EQ(times.size(), summary["populations"][0]["spikes"].get<std::size_t>());
  ASSERT_FALSE(times.empty());
  EXPECT_GT(times.front(), 20.0);  // the transient is not recorded
  EXPECT_LE(times.back(), 120.0 + 1e-9);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  const auto activity = micromeso::read_activity(dir_ / "out/activity.h5");
  double total = 0;
  for (double c : activity.counts[0]) total += c;
  EXPECT_EQ(total, double(times.size()));
  EXPECT_EQ(activity.counts[0].size(), 1000u);  // 100 ms in bins of dt
}

TEST_F(CliTest, CommandLineOverridesTheFileAndNoSpikesSkipsTheSpikeFile) {
  const std::string circuit = write("tiny.toml", kSmallCircuit);
  const Result r = run_cli("run " + circuit + " --t 50ms --seed 9 --activity-bin 1 --no-spikes --out " +
                           (dir_ / "o").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "o/spikes.h5"));
  const auto summary = nlohmann::json::parse(std::ifstream(dir_ / "o/summary.json"));
  EXPECT_EQ(summary["seed"], 9);
  EXPECT_EQ(summary["t_sim_ms"], 50.0);
  EXPECT_EQ(micromeso::read_activity(dir_ / "o/activity.h5").counts[0].size(), 50u);
}

// The same spikes, and the same bytes: the file is flushed by step count
// (twice in 1.7 s at dt 0.1 ms), never by wall time, so its layout does not
// depend on how fast the run went.
TEST_F(CliTest, SameSeedGivesIdenticalSpikeFilesForAnyThreadCount) {
  const std::string circuit = write("tiny.toml", kSmallCircuit);
  ASSERT_EQ(run_cli("run " + circuit + " --t 1700ms --threads 1 --out " + (dir_ / "a").string()).exit_code, 0);
  ASSERT_EQ(run_cli("run " + circuit + " --t 1700ms --threads 2 --out " + (dir_ / "b").string()).exit_code, 0);
  const auto a = micromeso::read_spikes(dir_ / "a/spikes.h5"), b = micromeso::read_spikes(dir_ / "b/spikes.h5");
  ASSERT_FALSE(a.times_ms.empty());
  EXPECT_EQ(a.times_ms, b.times_ms);
  EXPECT_EQ(a.node_ids, b.node_ids);
  const auto bytes = [](const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  for (const char* file : {"spikes.h5", "activity.h5"})
    EXPECT_TRUE(bytes(dir_ / "a" / file) == bytes(dir_ / "b" / file)) << file;
}

// Bad input: a clear message naming what is wrong, a non-zero exit, and no output folder.
struct BadInvocation {
  const char* name;  // the test's name
  const char* args;
  const char* message;
};

// --gtest_list_tests and failures show the command line, not the struct's bytes.
void PrintTo(const BadInvocation& b, std::ostream* os) { *os << ::testing::PrintToString(std::string(b.args)); }

class CliRejects : public CliTest, public ::testing::WithParamInterface<BadInvocation> {};

TEST_P(CliRejects, WithMessageAndNoOutput) {
  const std::string circuit = write("tiny.toml", kSmallCircuit);
  std::string args = GetParam().args;
  const auto at = args.find("CIRCUIT");
  if (at != std::string::npos) args.replace(at, 7, circuit);
  const bool writes = args.rfind("run", 0) == 0;  // `models` has no output folder
  const Result r = run_cli(writes ? args + " --out " + (dir_ / "never").string() : args);
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(GetParam().message), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "never"));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CliRejects,
    ::testing::Values(BadInvocation{"t_not_a_duration", "run CIRCUIT --t ten", "ten"},
                      BadInvocation{"t_negative", "run CIRCUIT --t -5ms", "-5ms"},
                      BadInvocation{"dt_negative", "run CIRCUIT --dt -0.1", "--dt"},
                      BadInvocation{"dt_does_not_divide", "run CIRCUIT --dt 0.3", "--dt"},
                      BadInvocation{"unknown_backend", "run CIRCUIT --backend fpga", "--backend"},
                      BadInvocation{"scale_of_a_circuit_file", "run CIRCUIT --scale 0.5", "built-in"},
                      BadInvocation{"unknown_circuit", "run no_such_circuit", "no_such_circuit"},
                      BadInvocation{"scale_above_one", "run potjans2014 --scale 2", "scale"},
                      BadInvocation{"threads_not_a_number", "run CIRCUIT --threads x", "--threads"},
                      BadInvocation{"unknown_option", "run CIRCUIT --bogus", "bogus"},
                      BadInvocation{"missing_circuit", "run", "circuit"},
                      BadInvocation{"models_show_unknown", "models show nothing", "nothing"}),
    [](const ::testing::TestParamInfo<BadInvocation>& info) { return std::string(info.param.name); });

TEST_F(CliTest, BadCircuitFileNamesFileLineAndKey) {
  std::string text = kSmallCircuit;
  text.replace(text.find("size = 200"), 10, "size = -3");
  const std::string circuit = write("bad.toml", text);
  const Result r = run_cli("run " + circuit + " --out " + (dir_ / "never").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("bad.toml:10"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("size"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "never"));
}

TEST_F(CliTest, BadNumbersNameTheOptionAndTheValue) {
  const std::string out = " --out " + (dir_ / "never").string();
  for (const auto& [args, message] :
       {std::pair{"meso gif_single --dt -1", "--dt: must be positive, got -1"},
        std::pair{"run gif_single --dt 0", "--dt: must be positive, got 0"},
        std::pair{"meso gif_single --activity-bin abc", "--activity-bin: 'abc' is not a finite number"},
        std::pair{"run gif_single --threads -2", "--threads: must be zero or positive, got -2"},
        std::pair{"compare gif_single --bin inf", "--bin: 'inf' is not a finite number"}}) {
    const Result r = run_cli(std::string(args) + out);
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_NE(r.output.find(message), std::string::npos) << args << ": " << r.output;
    EXPECT_EQ(r.output.find("1797693"), std::string::npos) << r.output;  // not the largest double
  }
  EXPECT_FALSE(fs::exists(dir_ / "never"));
}

TEST_F(CliTest, BenchRefusesMesoOptionsForTheMicroEngine) {
  for (const char* option : {"--input-noise", "--exact-history", "--noise none"}) {
    const Result r = run_cli(std::string("bench gif_single --t 10ms ") + option + " --out " + (dir_ / "never").string());
    EXPECT_EQ(r.exit_code, 2) << option;
    EXPECT_NE(r.output.find("apply to --engine meso only"), std::string::npos) << option << ": " << r.output;
  }
  EXPECT_FALSE(fs::exists(dir_ / "never"));
}

TEST_F(CliTest, ModelsListsAndShowsBuiltins) {
  const Result list = run_cli("models");
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_NE(list.output.find("potjans2014"), std::string::npos);
  const Result show = run_cli("models show potjans2014 --scale 0.1");
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("[[population]]"), std::string::npos);
  // what `models show` prints runs as it is
  const std::string file = write("pd.toml", show.output);
  const Result run = run_cli("run " + file + " --t 10ms --presim 0 --no-spikes --out " + (dir_ / "pd").string());
  EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST_F(CliTest, AnalyzeAndPlotAFinishedRun) {
  const std::string circuit = write("tiny.toml", kSmallCircuit);
  ASSERT_EQ(run_cli("run " + circuit + " --t 400ms --out " + (dir_ / "r").string()).exit_code, 0);
  const Result a = run_cli("analyze " + (dir_ / "r").string() + " --bin 1 --segment 100");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_NE(a.output.find("PSD mean"), std::string::npos) << a.output;
  const auto j = nlohmann::json::parse(std::ifstream(dir_ / "r/analysis.json"));
  EXPECT_FALSE(j["populations"][0]["cv_isi"].is_null());  // from spikes.h5
  const Result p = run_cli("plot " + (dir_ / "r").string());
  ASSERT_EQ(p.exit_code, 0) << p.output;
  for (const char* stem : {"raster", "rates", "activity", "spectra"})
    for (const char* ext : {".png", ".svg"})
      EXPECT_GT(fs::file_size(dir_ / "r/figures" / (std::string(stem) + ext)), 1000u) << stem << ext;
  const Result bad = run_cli("analyze " + (dir_ / "nothing").string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("summary.json"), std::string::npos) << bad.output;
}

// MICROMESO_MESO_VECTOR caps the meso engine's vector path for benchmarks
// (src/meso/cpu_features.hpp); a value it does not know is refused by name.
TEST_F(CliTest, MesoVectorCapFromTheEnvironmentIsCheckedByName) {
  const Result bad = run_cli("meso gif_single --t 50ms --presim 0 --out " + (dir_ / "bad").string(), true,
                             "MICROMESO_MESO_VECTOR=avx9");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("MICROMESO_MESO_VECTOR is 'avx9'"), std::string::npos) << bad.output;
  EXPECT_FALSE(fs::exists(dir_ / "bad/summary.json"));
  const Result scalar = run_cli("meso gif_single --t 50ms --presim 0 --out " + (dir_ / "scalar").string(), true,
                                "MICROMESO_MESO_VECTOR=scalar");
  EXPECT_EQ(scalar.exit_code, 0) << scalar.output;
}

// MICROMESO_PHILOX_VECTOR caps the CPU engine's vector path of the Poisson
// background's Philox blocks (src/micro/cpu/philox_batch.hpp): a value it
// does not know is refused by name; every path gives the same spikes.
TEST_F(CliTest, PhiloxVectorCapIsCheckedByNameAndKeepsTheSpikes) {
  const std::string circuit = write("tiny.toml", kSmallCircuit);
  const Result bad = run_cli("run " + circuit + " --out " + (dir_ / "bad").string(), true, "MICROMESO_PHILOX_VECTOR=avx9");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("MICROMESO_PHILOX_VECTOR is 'avx9'"), std::string::npos) << bad.output;
  EXPECT_FALSE(fs::exists(dir_ / "bad/summary.json"));
  ASSERT_EQ(run_cli("run " + circuit + " --out " + (dir_ / "widest").string()).exit_code, 0);
  const auto widest = micromeso::read_spikes(dir_ / "widest/spikes.h5");
  ASSERT_FALSE(widest.node_ids.empty());
  for (const char* path : {"avx2", "scalar"}) {
    const Result r = run_cli("run " + circuit + " --out " + (dir_ / path).string(), true,
                             std::string("MICROMESO_PHILOX_VECTOR=") + path);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto spikes = micromeso::read_spikes(dir_ / path / "spikes.h5");
    EXPECT_EQ(spikes.times_ms, widest.times_ms) << path;
    EXPECT_EQ(spikes.node_ids, widest.node_ids) << path;
  }
}

TEST_F(CliTest, MesoRunsEscapeNoiseCircuitsAndRefusesHardThresholds) {
  const Result ok = run_cli("meso gif_single --t 200ms --presim 100 --noise none --out " + (dir_ / "m").string());
  ASSERT_EQ(ok.exit_code, 0) << ok.output;
  const auto summary = nlohmann::json::parse(std::ifstream(dir_ / "m/summary.json"));
  EXPECT_EQ(summary["engine"], "meso");
  EXPECT_EQ(micromeso::read_activity(dir_ / "m/activity.h5").counts[0].size(), 200u);  // 1 ms bins
  // Hard-threshold neurons under input noise run (src/meso/lif_population.hpp);
  // without any input noise they have no hazard and are refused.
  const Result lif = run_cli("meso " + write("tiny.toml", kSmallCircuit) + " --t 50ms --presim 0 --out " +
                             (dir_ / "l").string());
  ASSERT_EQ(lif.exit_code, 0) << lif.output;
  const Result bad = run_cli("meso " + write("quiet.toml", kQuietCircuit) + " --out " + (dir_ / "never").string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("'E': model iaf_psc_exp receives no input noise"), std::string::npos) << bad.output;
  EXPECT_FALSE(fs::exists(dir_ / "never"));
  const Result noise = run_cli("meso gif_single --noise gauss --out " + (dir_ / "never").string());
  EXPECT_NE(noise.exit_code, 0);
  EXPECT_NE(noise.output.find("--noise"), std::string::npos) << noise.output;
  // The options beyond the paper's algorithm are named in the summary.
  const Result options = run_cli("meso schwalger2017_column_adapting --t 50ms --presim 0 --exact-history "
                                 "--input-noise --out " + (dir_ / "o").string());
  ASSERT_EQ(options.exit_code, 0) << options.output;
  const auto backend = nlohmann::json::parse(std::ifstream(dir_ / "o/summary.json"))["backend"].get<std::string>();
  EXPECT_NE(backend.find("exact history"), std::string::npos) << backend;
  EXPECT_NE(backend.find("input noise"), std::string::npos) << backend;
  const Result master = run_cli("meso bistable_pair --t 100ms --presim 0 --noise master --paper-free-pool --out " +
                                (dir_ / "p").string());
  ASSERT_EQ(master.exit_code, 0) << master.output;
  const auto master_backend =
      nlohmann::json::parse(std::ifstream(dir_ / "p/summary.json"))["backend"].get<std::string>();
  EXPECT_EQ(master_backend, "cpu (noise master, per-age draws, no Lambda, exact history, paper free pool)");
  const Result naive = run_cli("meso bistable_pair --noise master --no-lambda-correction --out " +
                               (dir_ / "never").string());
  EXPECT_EQ(naive.exit_code, 2);
  EXPECT_NE(naive.output.find("master variant has no Lambda correction"), std::string::npos) << naive.output;
  EXPECT_FALSE(fs::exists(dir_ / "never"));
}

TEST_F(CliTest, CompareRunsBothEnginesAndRefusesWhatMesoCannotTake) {
  const Result r = run_cli("compare bistable_pair --t 4s --no-spikes --activity-bin 5 --bin 5 --segment 500 --out " +
                           (dir_ / "c").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("LSD (dB)"), std::string::npos) << r.output;
  const auto j = nlohmann::json::parse(std::ifstream(dir_ / "c/compare.json"));
  ASSERT_EQ(j["populations"].size(), 2u);
  EXPECT_GT(j["populations"][0]["rate_micro_hz"].get<double>(), 0.0);
  EXPECT_GT(j["populations"][0]["rate_meso_hz"].get<double>(), 0.0);
  EXPECT_TRUE(fs::exists(dir_ / "c/figures/compare.png"));
  // refused before anything runs: hard-threshold neurons without input noise; analysis bins that do not fit
  const Result iaf = run_cli("compare " + write("quiet.toml", kQuietCircuit) + " --out " + (dir_ / "never").string());
  EXPECT_EQ(iaf.exit_code, 2);
  EXPECT_NE(iaf.output.find("receives no input noise"), std::string::npos) << iaf.output;
  const Result bins = run_cli("compare bistable_pair --bin 7 --out " + (dir_ / "never").string());
  EXPECT_EQ(bins.exit_code, 2);
  EXPECT_NE(bins.output.find("--bin 7"), std::string::npos) << bins.output;
  EXPECT_FALSE(fs::exists(dir_ / "never"));
}

TEST_F(CliTest, HelpListsEveryCommand) {
  const Result r = run_cli("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* command : {"run", "models", "bench", "meso", "compare", "analyze", "plot"}) EXPECT_NE(r.output.find(command), std::string::npos);
  const Result run_help = run_cli("run --help");
  for (const char* option : {"--t", "--dt", "--seed", "--scale", "--k-scale", "--backend", "--threads", "--out",
                             "--no-spikes"})
    EXPECT_NE(run_help.output.find(option), std::string::npos) << option;
}
