// Bad input and hostile situations as a new user meets them (issue 16): the
// exit code of the table in docs/cli.md, a message naming the option, key or file
// and what was expected, and no output that looks complete.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "run_cli.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace {

using micromeso::testing::exit_code_of;
using micromeso::testing::run_cli;

// 400 Poisson-driven neurons firing at about 30 Hz: spikes from the first step.
const char* kBusyCircuit = R"(name = "busy"
[simulation]
dt = 0.1
t_sim = 100.0
seed = 3

[[population]]
name = "E"
size = 400
model = "iaf_psc_exp"
poisson = { indegree = 1000, rate = 12.0, weight = 87.8 }

[[population]]
name = "I"
size = 100
model = "iaf_psc_exp"
poisson = { indegree = 1000, rate = 12.0, weight = 87.8 }

[[projection]]
source = "E"
target = "I"
rule = "fixed_indegree"
indegree = 40
weight = 87.8
delay = 1.5
)";

class Hardening : public ::testing::Test {
 protected:
  void SetUp() override {
    // The process id: two checkouts' test runs on one machine must not share a folder.
    // A parameterized test's name holds a '/' (name/parameter): as a path it
    // would make a nested folder whose parent TearDown would leave behind.
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '-');
    dir_ = fs::temp_directory_path() / ("micromeso-hard-" + std::to_string(getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    circuit_ = write("busy.toml", kBusyCircuit);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  // Files of a folder that look like finished outputs (not ".part").
  static std::vector<std::string> finished_files(const fs::path& dir) {
    std::vector<std::string> names;
    if (!fs::exists(dir)) return names;
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() != ".part") names.push_back(e.path().string());
    return names;
  }
  fs::path dir_;
  std::string circuit_;
};

// One row of the exit-code table: invalid input exits 2 with the option named.
struct BadInput {
  const char* name;
  const char* args;  // CIRCUIT: a small circuit file; DIR: the test's folder
  std::vector<const char*> messages;
};

void PrintTo(const BadInput& b, std::ostream* os) { *os << ::testing::PrintToString(std::string(b.args)); }

class InvalidInput : public Hardening, public ::testing::WithParamInterface<BadInput> {};

TEST_P(InvalidInput, ExitsTwoNamingWhatIsWrongAndWritesNothing) {
  std::string args = GetParam().args;
  for (const auto& [word, value] : {std::pair<std::string, std::string>{"CIRCUIT", circuit_}, {"DIR", dir_.string()}})
    for (auto at = args.find(word); at != std::string::npos; at = args.find(word)) args.replace(at, word.size(), value);
  const bool has_out = args.find("--out") != std::string::npos;
  const std::string out = (dir_ / "never").string();
  const auto r = run_cli(has_out || args.rfind("analyze", 0) == 0 ? args : args + " --out " + out);
  EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
  for (const char* message : GetParam().messages)
    EXPECT_NE(r.output.find(message), std::string::npos) << "'" << message << "' not in:\n" << r.output;
  EXPECT_FALSE(fs::exists(out)) << args;
}

INSTANTIATE_TEST_SUITE_P(
    Table, InvalidInput,
    ::testing::Values(
        BadInput{"unknown_command", "simulate x", {"unknown command 'simulate'", "run, models, bench, meso"}},
        BadInput{"t_negative", "run CIRCUIT --t -5", {"--t", "negative", "expected a duration"}},
        BadInput{"t_unit", "run CIRCUIT --t 10parsecs", {"--t", "unknown unit"}},
        BadInput{"t_nan", "run CIRCUIT --t nan", {"--t", "not finite"}},
        BadInput{"presim_negative", "meso gif_single --presim -1", {"--presim", "negative"}},
        BadInput{"t_too_long", "run CIRCUIT --t 1e30", {"--t", "expected at most"}},
        BadInput{"presim_too_long", "meso gif_single --presim 1e30", {"--presim", "expected at most"}},
        BadInput{"activity_too_large", "run CIRCUIT --t 1e12", {"--t", "--activity-bin"}},
        BadInput{"seed_negative", "run CIRCUIT --seed -1", {"--seed", "expected an integer from 0"}},
        BadInput{"seed_too_large", "meso gif_single --seed 99999999999999999999", {"--seed", "9223372036854775807"}},
        BadInput{"out_empty", "run CIRCUIT --out ''", {"--out", "empty"}},
        BadInput{"threads_absurd", "run CIRCUIT --threads 100000", {"--threads 100000", "expected at most", "cores"}},
        BadInput{"scales_zero", "bench gif_single --scales 0", {"--scales", "(0, 1]", "got 0"}},
        BadInput{"scale_nan", "run potjans2014 --scale nan", {"--scale", "not a finite number"}},
        BadInput{"circuit_is_a_folder", "run DIR", {"is a folder", "expected a circuit .toml file"}},
        BadInput{"analyze_a_file", "analyze CIRCUIT", {"busy.toml", "expected the folder of a finished run"}},
        BadInput{"analyze_no_run", "analyze DIR", {"no summary.json"}}),
    [](const ::testing::TestParamInfo<BadInput>& info) { return std::string(info.param.name); });

TEST_F(Hardening, OutputFolderHoldingAFinishedRunExitsTwo) {
  fs::create_directories(dir_ / "done");
  std::ofstream(dir_ / "done" / "summary.json") << "{}";
  const auto r = run_cli("run " + circuit_ + " --out " + (dir_ / "done").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("already holds a finished run"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "done" / "spikes.h5.part"));
}

// compare writes OUT/micro and OUT/meso: a finished run in either is refused
// before the first simulation, not after the micro run.
TEST_F(Hardening, CompareChecksEveryOutputFolderFirst) {
  fs::create_directories(dir_ / "cmp" / "meso");
  std::ofstream(dir_ / "cmp" / "meso" / "summary.json") << "{}";
  const auto r = run_cli("compare gif_single --t 200ms --no-plot --out " + (dir_ / "cmp").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find((dir_ / "cmp" / "meso").string()), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "cmp" / "micro")) << "the micro side ran before the refusal";
}

TEST_F(Hardening, AnalyzeOnACorruptSummaryNamesTheFile) {
  fs::create_directories(dir_ / "run");
  std::ofstream(dir_ / "run" / "summary.json") << "{\"engine\": \"micro\", ";
  std::ofstream(dir_ / "run" / "activity.h5") << "not hdf5";
  const auto r = run_cli("analyze " + (dir_ / "run").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find((dir_ / "run" / "summary.json").string() + ": not a valid summary.json"), std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "run" / "analysis.json"));
  // A valid summary but an activity file that is not HDF5: invalid input too.
  std::ofstream(dir_ / "run" / "summary.json") << "{\"engine\": \"micro\"}";
  const auto h5 = run_cli("analyze " + (dir_ / "run").string());
  EXPECT_EQ(h5.exit_code, 2) << h5.output;
  EXPECT_NE(h5.output.find("activity.h5: cannot open as an HDF5 file"), std::string::npos) << h5.output;
}

TEST_F(Hardening, GpuBackendWithoutADeviceIsInvalidInput) {
  const auto devices = run_cli("devices");
  if (devices.output.find("GPU 0") != std::string::npos) GTEST_SKIP() << "a CUDA device is present";
  const auto r = run_cli("run " + circuit_ + " --backend gpu --out " + (dir_ / "never").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--backend gpu"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "never"));
}

// A failure that is not the input's: 1 (here the plotting script fails).
TEST_F(Hardening, OtherFailuresExitOne) {
  const auto r = run_cli("compare gif_single --t 400ms --out " + (dir_ / "cmp").string(), true,
                         "MICROMESO_PYTHON=/bin/false");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("plotting failed"), std::string::npos) << r.output;
}

TEST_F(Hardening, SynapseLimitNamesFileLineAndKey) {
  std::string text = kBusyCircuit;
  text.replace(text.find("rule = \"fixed_indegree\"\nindegree = 40"), 37,
               "rule = \"fixed_total_number\"\nn_synapses = 25000000000");
  const std::string file = write("huge.toml", text);
  const auto r = run_cli("run " + file + " --out " + (dir_ / "never").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("huge.toml:23:14: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("projection[0].n_synapses"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("expected at most"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "never"));
}

TEST_F(Hardening, MisspeltKeyIsReportedWithTheClosestKnownKey) {
  std::string text = kBusyCircuit;
  text.replace(text.find("weight = 87.8\ndelay"), 6, "wieght");
  const std::string file = write("typo.toml", text);
  const auto r = run_cli("run " + file + " --out " + (dir_ / "never").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("typo.toml:24:10: projection[0].wieght: unknown key; did you mean 'weight'?"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "never"));
}

// Starts the program with its output in `log`; returns the process id.
pid_t spawn_cli(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<std::string> argv_text{MICROMESO_BINARY};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Ctrl-C and SIGTERM (a scheduler's time limit) stop a run between steps:
// 128 + the signal, a line saying what happened, only '.part' files.
class Signals : public Hardening, public ::testing::WithParamInterface<int> {};

TEST_P(Signals, StopTheRunLeavingOnlyPartFiles) {
  const int signal = GetParam();
  const fs::path out = dir_ / "out", log = dir_ / "log.txt";
  // Long enough (minutes) that the run is still going when the signal comes.
  const pid_t pid = spawn_cli({"run", circuit_, "--t", "2000s", "--activity-bin", "10", "--out", out.string()}, log);
  ASSERT_GT(pid, 0);
  // The spike file is created when the simulation is about to start.
  for (int i = 0; i < 600 && !fs::exists(out / "spikes.h5.part"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(kill(pid, signal), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  const std::string output = read_text(log);
  EXPECT_EQ(exit_code_of(status), 128 + signal) << output;
  EXPECT_NE(output.find(signal == SIGTERM ? "stopped by SIGTERM" : "stopped by Ctrl-C (SIGINT)"), std::string::npos)
      << output;
  EXPECT_TRUE(fs::exists(out / "spikes.h5.part"));
  EXPECT_EQ(finished_files(out), std::vector<std::string>{}) << output;
}

// Every simulating command: meso (the population equations) and compare
// (the micro run, then meso) stop alike, and neither leaves a finished file.
struct StoppedCommand {
  const char* name;
  std::vector<std::string> args;  // OUT: the output folder
  const char* started;            // a path under OUT that exists once the simulation runs
};

class SignalsEveryCommand : public Hardening, public ::testing::WithParamInterface<StoppedCommand> {};

TEST_P(SignalsEveryCommand, ExitWithTheSignalLeavingNoFinishedFile) {
  const fs::path out = dir_ / "out", log = dir_ / "log.txt";
  std::vector<std::string> args = GetParam().args;
  for (std::string& a : args)
    if (a == "OUT") a = out.string();
  const pid_t pid = spawn_cli(args, log);
  ASSERT_GT(pid, 0);
  for (int i = 0; i < 600 && !fs::exists(out / GetParam().started); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  const std::string output = read_text(log);
  EXPECT_EQ(exit_code_of(status), 143) << output;
  EXPECT_NE(output.find("stopped by SIGTERM"), std::string::npos) << output;
  EXPECT_EQ(finished_files(out), std::vector<std::string>{}) << output;
}

INSTANTIATE_TEST_SUITE_P(
    Commands, SignalsEveryCommand,
    ::testing::Values(StoppedCommand{"meso", {"meso", "gif_single", "--t", "100000s", "--activity-bin", "10", "--out", "OUT"}, ""},
                      StoppedCommand{"compare",
                                     {"compare", "gif_single", "--t", "2000s", "--bin", "10", "--activity-bin", "10",
                                      "--no-plot", "--out", "OUT"},
                                     "micro/spikes.h5.part"},
                      StoppedCommand{"bench",
                                     {"bench", "gif_single", "--t", "2000s", "--activity-bin", "10", "--out", "OUT"},
                                     "scale-1/spikes.h5.part"}),
    [](const ::testing::TestParamInfo<StoppedCommand>& info) { return std::string(info.param.name); });

INSTANTIATE_TEST_SUITE_P(IntAndTerm, Signals, ::testing::Values(SIGINT, SIGTERM),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == SIGTERM ? "SIGTERM" : "SIGINT");
                         });

// A full disk, injected by a preloaded library that fails writes to '.part'
// files past a budget (tests/fault/full_disk.c): the run stops soon after,
// exits 1 with a message naming the file, no crash at exit (HDF5's exit
// handler once dereferenced a half-closed file: SIGSEGV), only '.part' files.
std::string full_disk_env(long long budget_bytes) {
  // ASan checks that it comes first among the preloaded libraries; the shim
  // has no sanitizer and only forwards, so the order does not matter here.
  const char* asan = std::getenv("ASAN_OPTIONS");  // CI's (detect_leaks=1) kept
  return "LD_PRELOAD=" + std::string(MICROMESO_FULL_DISK_SHIM) +
         " MICROMESO_FULL_DISK_BYTES=" + std::to_string(budget_bytes) +
         " ASAN_OPTIONS=" + (asan && *asan ? std::string(asan) + ":" : std::string()) + "verify_asan_link_order=0";
}

TEST_F(Hardening, FullDiskStopsTheRunEarlyWithAMessage) {
  const fs::path out = dir_ / "out";
  // 500 neurons at ~30 Hz for 1000 s: about 15 M spikes, 240 MB; the disk
  // fills after 2 MB, within the first seconds of the run.
  const auto r = run_cli("run " + circuit_ + " --t 1000s --activity-bin 10 --out " + out.string(), true,
                         full_disk_env(2 << 20));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("spikes.h5.part"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("No space left on device"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("the run stopped after"), std::string::npos) << r.output;
  const auto at = r.output.find("the run stopped after ");
  ASSERT_NE(at, std::string::npos) << r.output;
  const double stopped_ms = std::stod(r.output.substr(at + 22));
  EXPECT_LT(stopped_ms, 0.5 * 1e6) << "the full disk was found only at the end:\n" << r.output;
  EXPECT_EQ(finished_files(out), std::vector<std::string>{}) << r.output;
}

// A budget of 3,000 bytes made H5Fclose fail half-way, and HDF5's exit
// handler then crashed (exit 139) after the message.
TEST_F(Hardening, FullDiskNeverCrashesAtExit) {
  for (const long long budget : {0ll, 3000ll, 20000ll}) {
    const fs::path out = dir_ / "out";
    fs::remove_all(out);
    const auto r = run_cli("run " + circuit_ + " --t 2s --out " + out.string(), true, full_disk_env(budget));
    EXPECT_EQ(r.exit_code, 1) << "budget " << budget << "\n" << r.output;
    EXPECT_NE(r.output.find("spikes.h5.part"), std::string::npos) << r.output;
    EXPECT_EQ(finished_files(out), std::vector<std::string>{}) << r.output;
  }
}

TEST_F(Hardening, FullDiskAtTheEndLeavesOnlyPartFiles) {
  for (const std::string& args : {"run " + circuit_ + " --no-spikes", std::string("meso gif_single --t 200ms")}) {
    const fs::path out = dir_ / "out";
    fs::remove_all(out);
    const auto r = run_cli(args + " --out " + out.string(), true, full_disk_env(0));
    EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.output;
    EXPECT_NE(r.output.find("activity.h5.part"), std::string::npos) << args << "\n" << r.output;
    EXPECT_EQ(finished_files(out), std::vector<std::string>{}) << args << "\n" << r.output;
  }
}

}  // namespace
