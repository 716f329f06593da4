// Output folders: nothing under a final name until commit, summary.json last.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "io_test_dir.hpp"
#include "micromeso/output.hpp"

namespace fs = std::filesystem;
using OutputFolder = micromeso::testing::TempDirTest;

TEST_F(OutputFolder, FilesAppearOnlyAtCommitSummaryLast) {
  micromeso::OutputDir out(dir_ / "run");
  const fs::path summary = out.staging_path("summary.json");  // staged first
  const fs::path spikes = out.staging_path("spikes.h5");
  out.staging_path("never-written.h5");
  EXPECT_EQ(spikes.filename(), "spikes.h5.part");
  std::ofstream(summary) << "{}";
  std::ofstream(spikes) << "data";
  EXPECT_FALSE(fs::exists(dir_ / "run/summary.json"));
  EXPECT_FALSE(out.committed());
  out.commit();
  EXPECT_TRUE(out.committed());
  EXPECT_TRUE(fs::exists(dir_ / "run/summary.json"));
  EXPECT_TRUE(fs::exists(dir_ / "run/spikes.h5"));
  EXPECT_FALSE(fs::exists(dir_ / "run/never-written.h5"));
  // summary.json was renamed after spikes.h5, so it is not older.
  EXPECT_GE(fs::last_write_time(dir_ / "run/summary.json"), fs::last_write_time(dir_ / "run/spikes.h5"));
  for (const auto& e : fs::directory_iterator(dir_ / "run")) EXPECT_NE(e.path().extension(), ".part");
}

TEST_F(OutputFolder, FinishedRunIsNeverOverwritten) {
  fs::create_directories(dir_ / "done");
  std::ofstream(dir_ / "done/summary.json") << "{}";
  try {
    micromeso::OutputDir out(dir_ / "done");
    FAIL() << "expected a refusal";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("summary.json"), std::string::npos);
  }
}

TEST_F(OutputFolder, DefaultFoldersAreDistinct) {
  const fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  const fs::path a = micromeso::default_output_dir("pd");
  fs::create_directories(a);
  const fs::path b = micromeso::default_output_dir("pd");
  fs::current_path(cwd);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.parent_path(), fs::path("runs"));
  EXPECT_EQ(a.filename().string().rfind("pd-", 0), 0u);
}
