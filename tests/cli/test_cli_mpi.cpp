// `mpirun -np N micromeso run ...`: the microscopic engine over MPI ranks from
// the command line. 1, 2 and 3 ranks write the single process's spikes.h5
// and activity.h5, bit for bit, and its state.h5 (multimeters, gathered to
// rank 0) byte for byte; summary.json records the ranks; a bad circuit
// file on one rank and ranks started with different options end the job with
// a message naming the rank, a non-zero exit and no complete-looking output.
//
// mpirun runs as root here (containers, CI): --allow-run-as-root; and 3 ranks
// on 2 cores: --oversubscribe. Builds without MPI skip these tests, and check
// that such a build refuses to run under a launcher instead.
#include <gtest/gtest.h>

#include "tests/temp_dir.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "micromeso/output.hpp"
#include "rank_circuits.hpp"
#include "run_cli.hpp"

namespace fs = std::filesystem;
using micromeso::testing::run_cli;

namespace {

// Multimeters whose neurons lie on every rank of 2 and 3 (gif_rules' 310
// neurons split at 155, or at 103 and 206; I is 240 to 309), listed out of
// order, two intervals, and a population recorded by two multimeters.
const char* kMultimeters = R"(
[[multimeter]]
population = "E"
neurons = [239, 3, 150, 160, 0, 104, 210]
record_from = ["V_m", "E_sfa", "I_syn_in"]
[[multimeter]]
population = "I"
neurons = [69, 0, 30]
record_from = ["V_m", "I_syn_ex"]
interval = 0.5
[[multimeter]]
population = "E"
neurons = [120]
record_from = ["I_syn_ex"]
interval = 2.0
)";

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class CliMpi : public ::testing::Test {
 protected:
  void SetUp() override {
#ifndef MICROMESO_MPIEXEC
    GTEST_SKIP() << "this build has no MPI (MICROMESO_MPI=OFF or no MPI library found)";
#endif
    dir_ = micromeso::testing::unique_temp_dir(
        "micromeso-mpi-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "gif_rules.toml") << micromeso::testing::kGifRulesCircuit;
    std::ofstream(dir_ / "gif_meters.toml") << micromeso::testing::kGifRulesCircuit << kMultimeters;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // mpirun with `ranks` ranks of the micromeso binary; `apps` replaces the
  // single program (MPMD: "-np 1 A : -np 1 B").
  static micromeso::testing::CliResult mpirun(int ranks, const std::string& args) {
#ifdef MICROMESO_MPIEXEC
    const std::string command = std::string(MICROMESO_MPIEXEC) + " --allow-run-as-root --oversubscribe -np " +
                                std::to_string(ranks) + " " + MICROMESO_BINARY + " " + args + " </dev/null 2>&1";
    return run_shell(command);
#else
    (void)ranks;
    (void)args;
    return {1, ""};
#endif
  }
  static micromeso::testing::CliResult run_shell(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    std::string out;
    char buffer[4096];
    while (fgets(buffer, sizeof buffer, pipe.get())) out += buffer;
    return {micromeso::testing::exit_code_of(pclose(pipe.release())), out};
  }

  // Runs `circuit_args` in one process, then over 1, 2 and 3 ranks, and
  // compares the outputs.
  void expect_same_outputs_over_ranks(const std::string& circuit_args) {
    const fs::path single = dir_ / "single";
    const auto one = run_cli("run " + circuit_args + " --out " + single.string());
    ASSERT_EQ(one.exit_code, 0) << one.output;
    const micromeso::SpikeData reference = micromeso::read_spikes(single / "spikes.h5");
    const micromeso::PopulationActivity activity = micromeso::read_activity(single / "activity.h5");
    std::size_t spikes = 0;
    for (const auto& ids : reference.node_ids) spikes += ids.size();
    ASSERT_GT(spikes, 200u) << "the network must be active for the comparison to mean something";
    for (int ranks : {1, 2, 3}) {
      const fs::path out = dir_ / ("ranks" + std::to_string(ranks));
      const auto run = mpirun(ranks, "run " + circuit_args + " --out " + out.string());
      ASSERT_EQ(run.exit_code, 0) << run.output;
      const micromeso::SpikeData got = micromeso::read_spikes(out / "spikes.h5");
      ASSERT_EQ(got.names, reference.names);
      for (std::size_t p = 0; p < got.names.size(); ++p) {
        EXPECT_EQ(got.times_ms[p], reference.times_ms[p]) << got.names[p] << ", " << ranks << " ranks";
        EXPECT_EQ(got.node_ids[p], reference.node_ids[p]) << got.names[p] << ", " << ranks << " ranks";
      }
      EXPECT_EQ(micromeso::read_activity(out / "activity.h5").counts, activity.counts) << ranks << " ranks";
      EXPECT_EQ(fs::exists(out / "state.h5"), fs::exists(single / "state.h5")) << ranks << " ranks";
      if (fs::exists(single / "state.h5")) {
        ASSERT_GT(fs::file_size(single / "state.h5"), 0u);
        EXPECT_TRUE(file_bytes(out / "state.h5") == file_bytes(single / "state.h5"))
            << "state.h5 over " << ranks << " ranks differs from the single process's";
      }
      std::ifstream file(out / "summary.json");
      const auto summary = nlohmann::json::parse(file);
      EXPECT_EQ(summary.at("ranks"), ranks);
      EXPECT_EQ(summary.at("per_rank").size(), static_cast<std::size_t>(ranks));
      EXPECT_TRUE(summary.at("complete").get<bool>());
      if (ranks > 1) {
        EXPECT_NE(run.output.find("MPI ranks"), std::string::npos) << run.output;
      }
    }
  }

  fs::path dir_;
};

}  // namespace

TEST_F(CliMpi, ReducedPotjansSameSpikesOverOneTwoThreeRanksCpu) {
  expect_same_outputs_over_ranks("potjans2014 --scale 0.02 --t 100ms --presim 20ms --seed 4 --backend cpu");
}

TEST_F(CliMpi, EscapeNoiseEveryRuleSameSpikesOverOneTwoThreeRanksCpu) {
  expect_same_outputs_over_ranks((dir_ / "gif_rules.toml").string() + " --backend cpu --threads 1");
}

TEST_F(CliMpi, EscapeNoiseEveryRuleSameSpikesOverOneTwoThreeRanksGpuEmulator) {
  expect_same_outputs_over_ranks((dir_ / "gif_rules.toml").string() + " --backend gpu-emulator --threads 1");
}

TEST_F(CliMpi, ReducedPotjansSameSpikesOverOneTwoThreeRanksGpuEmulator) {
  expect_same_outputs_over_ranks(
      "potjans2014 --scale 0.02 --t 40ms --presim 10ms --seed 4 --backend gpu-emulator --threads 1");
}

// The multimeters over ranks: each rank records its own neurons, rank 0
// gathers them; state.h5 is the single process's file, byte for byte.
TEST_F(CliMpi, MultimetersSameStateFileOverOneTwoThreeRanksCpu) {
  expect_same_outputs_over_ranks((dir_ / "gif_meters.toml").string() + " --backend cpu --threads 1");
  // The comparison above means something: the single run recorded every report.
  const auto reports = micromeso::read_state_reports(dir_ / "single" / "state.h5");
  ASSERT_EQ(reports.size(), 6u);
  EXPECT_EQ(reports[0].node_ids, (std::vector<std::uint64_t>{239, 3, 150, 160, 0, 104, 210}));
  EXPECT_EQ(reports[0].n_times(), 3000u);  // every step of the 300 ms window
  EXPECT_EQ(reports[3].variable, "I_syn_ex");  // E's, every 2 ms (the file lists E's variables first)
  EXPECT_EQ(reports[3].n_times(), 150u);
  EXPECT_EQ(reports[5].n_times(), 600u);  // I's, every 0.5 ms
}

TEST_F(CliMpi, MultimetersSameStateFileOverOneTwoThreeRanksGpuEmulator) {
  expect_same_outputs_over_ranks((dir_ / "gif_meters.toml").string() + " --backend gpu-emulator --threads 1");
}

TEST_F(CliMpi, SummaryRecordsRanksThreadsAndTimes) {
  const fs::path out = dir_ / "out";
  const auto run = mpirun(2, "run " + (dir_ / "gif_rules.toml").string() + " --backend cpu --threads 1 --out " +
                                 out.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::ifstream file(out / "summary.json");
  const auto s = nlohmann::json::parse(file);
  EXPECT_EQ(s.at("ranks"), 2);
  EXPECT_DOUBLE_EQ(s.at("min_delay_ms").get<double>(), 1.0);
  EXPECT_EQ(s.at("exchanges"), 350);  // 350 ms in intervals of 1 ms
  EXPECT_NE(s.at("mpi").get<std::string>().find("MPI"), std::string::npos);
  std::uint64_t neurons = 0, synapses = 0;
  for (const auto& r : s.at("per_rank")) {
    EXPECT_EQ(r.at("threads"), 1);
    EXPECT_GT(r.at("build_time_s").get<double>(), 0.0);
    EXPECT_GE(r.at("exchange_wait_s").get<double>(), 0.0);
    EXPECT_GT(r.at("exchange_transfer_s").get<double>(), 0.0);
    EXPECT_GT(r.at("output_s").get<double>(), 0.0);  // recording and, on rank 0, the files
    EXPECT_EQ(r.at("output_gather_s").get<double>(), 0.0);  // no multimeters
    EXPECT_LE(r.at("output_write_s").get<double>(), r.at("output_s").get<double>());
    neurons += r.at("neurons").get<std::uint64_t>();
    synapses += r.at("synapses").get<std::uint64_t>();
  }
  EXPECT_EQ(neurons, 310u);
  EXPECT_EQ(synapses, s.at("synapses").get<std::uint64_t>());
  // The memory of each rank's share is printed before it builds.
  EXPECT_NE(run.output.find("rank 0 of 2: neurons [0, 155) of 310"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("rank 1 of 2: neurons [155, 310) of 310"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("every 10 steps (the minimum delay, 1 ms)"), std::string::npos) << run.output;
}

// A bad circuit file on rank 1 only (MPMD: each rank its own arguments): rank 1
// says so and aborts the job, rank 0 (waiting in the first collective) ends too.
TEST_F(CliMpi, BadFileOnOneRankStopsEveryRank) {
  std::ofstream(dir_ / "bad.toml") << "name = \"bad\"\n[[population]]\nname = \"E\"\nsize = -3\n";
  const fs::path out = dir_ / "out";
  const std::string good = (dir_ / "gif_rules.toml").string(), bad = (dir_ / "bad.toml").string();
  const auto run = mpirun(1, "run " + good + " --backend cpu --out " + out.string() + " : -np 1 " +
                                 MICROMESO_BINARY + " run " + bad + " --backend cpu --out " + out.string());
  EXPECT_NE(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("micromeso: rank 1 of 2: invalid circuit: " + bad), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(out / "summary.json"));
  EXPECT_FALSE(fs::exists(out / "spikes.h5"));
}

// Ranks started with different options (here the seed) are refused before
// anything is built, by every rank, with one message and exit code 2.
TEST_F(CliMpi, DifferentOptionsOnTheRanksAreRefused) {
  const fs::path out = dir_ / "out";
  const std::string good = (dir_ / "gif_rules.toml").string();
  const auto run = mpirun(2, "run " + good + " --backend cpu --seed 1 --out " + out.string() + " : -np 1 " +
                                 MICROMESO_BINARY + " run " + good + " --backend cpu --seed 2 --out " + out.string());
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("micromeso: the ranks differ: rank 2 started with another micromeso"), std::string::npos)
      << run.output;
  EXPECT_FALSE(fs::exists(out));
}

// A folder that already holds a finished run: rank 0 finds it, every rank stops.
TEST_F(CliMpi, FinishedOutputFolderIsRefusedOnEveryRank) {
  const fs::path out = dir_ / "out";
  fs::create_directories(out);
  std::ofstream(out / "summary.json") << "{}";
  const auto run = mpirun(2, "run " + (dir_ / "gif_rules.toml").string() + " --backend cpu --out " + out.string());
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("micromeso: invalid input: --out " + out.string() + ": already holds a finished run"),
            std::string::npos)
      << run.output;
}

// A build without MPI under a launcher: each process would simulate the
// whole circuit into the same folder, so it refuses.
TEST(CliWithoutMpi, UnderALauncherItSaysSo) {
#ifdef MICROMESO_MPIEXEC
  GTEST_SKIP() << "this build has MPI (CliMpi tests)";
#else
  const auto run = run_cli("run gif_single --t 10ms", true, "OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=0");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("built without MPI"), std::string::npos) << run.output;
#endif
}
