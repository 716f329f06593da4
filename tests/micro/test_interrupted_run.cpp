// Ctrl-C during a run: the folder holds only unfinished ".part" files, never
// a file under its final name that could pass for a complete output.
#include <gtest/gtest.h>

#include "tests/temp_dir.hpp"

#include <atomic>
#include <filesystem>

#include "circuit_fixtures.hpp"
#include "micromeso/run.hpp"

namespace fs = std::filesystem;

TEST(InterruptedRun, LeavesOnlyPartFiles) {
  const micromeso::Circuit c = micromeso::testing::small_mixed_circuit(3);
  const fs::path dir = micromeso::testing::unique_temp_dir("micromeso-interrupted-run");
  fs::remove_all(dir);
  std::atomic<bool> interrupt{true};  // as if Ctrl-C came during the first step
  micromeso::RunOptions o;
  o.backend = micromeso::BackendChoice::cpu;
  o.out_dir = dir;
  o.interrupt = &interrupt;
  const micromeso::RunSummary s = micromeso::run_micro(c, o);
  EXPECT_FALSE(s.complete);
  ASSERT_TRUE(fs::exists(dir));
  EXPECT_FALSE(fs::exists(dir / "summary.json"));
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    EXPECT_EQ(e.path().extension(), ".part") << e.path();
    ++files;
  }
  EXPECT_GE(files, 1u);  // the spike file was being written
  fs::remove_all(dir);
}
