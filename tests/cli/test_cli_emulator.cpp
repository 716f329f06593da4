// `micromeso run ... --backend gpu-emulator`: the GPU engine's kernels on the
// CPU, from the command line, with the CPU engine's spikes.
#include <gtest/gtest.h>

#include "tests/temp_dir.hpp"

#include <filesystem>
#include <string>

#include "micromeso/output.hpp"

#include "run_cli.hpp"

namespace fs = std::filesystem;
using micromeso::testing::run_cli;

TEST(CliGpuEmulator, RunGivesTheCpuEnginesSpikes) {
  const fs::path dir = micromeso::testing::unique_temp_dir("micromeso-cli-gpu-emulator");
  fs::remove_all(dir);
  const std::string circuit = "potjans2014 --scale 0.02 --t 100ms --presim 50ms --seed 3 ";
  const auto emulated = run_cli("run " + circuit + "--backend gpu-emulator --out " + (dir / "emulator").string());
  ASSERT_EQ(emulated.exit_code, 0) << emulated.output;
  EXPECT_NE(emulated.output.find("backend gpu-emulator"), std::string::npos) << emulated.output;
  const auto cpu = run_cli("run " + circuit + "--backend cpu --out " + (dir / "cpu").string());
  ASSERT_EQ(cpu.exit_code, 0) << cpu.output;
  const micromeso::SpikeData a = micromeso::read_spikes(dir / "emulator" / "spikes.h5");
  const micromeso::SpikeData b = micromeso::read_spikes(dir / "cpu" / "spikes.h5");
  ASSERT_EQ(a.names, b.names);
  std::size_t spikes = 0;
  for (std::size_t p = 0; p < a.names.size(); ++p) {
    EXPECT_EQ(a.times_ms[p], b.times_ms[p]) << a.names[p];
    EXPECT_EQ(a.node_ids[p], b.node_ids[p]) << a.names[p];
    spikes += a.node_ids[p].size();
  }
  EXPECT_GT(spikes, 100u);
  fs::remove_all(dir);
}

TEST(CliGpuEmulator, HelpNamesIt) {
  const auto help = run_cli("run --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("gpu-emulator"), std::string::npos) << help.output;
  const auto wrong = run_cli("run potjans2014 --backend emulator");
  EXPECT_EQ(wrong.exit_code, 2) << wrong.output;
  EXPECT_NE(wrong.output.find("--backend"), std::string::npos) << wrong.output;
}
