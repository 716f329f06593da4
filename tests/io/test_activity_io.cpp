#include <gtest/gtest.h>

#include "io_test_dir.hpp"
#include "micromeso/output.hpp"

using ActivityFile = micromeso::testing::TempDirTest;

TEST_F(ActivityFile, RoundTrip) {
  micromeso::PopulationActivity a;
  a.names = {"Z", "A"};
  a.sizes = {500, 20683};
  a.bin_ms = 0.5;
  a.t_start_ms = 500.0;
  a.counts = {{0, 1, 2.5, 3}, {7, 0, 0, 1e6}};
  micromeso::write_activity(dir_ / "a.h5", a);
  const auto b = micromeso::read_activity(dir_ / "a.h5");
  EXPECT_EQ(b.names, a.names);
  EXPECT_EQ(b.sizes, a.sizes);
  EXPECT_EQ(b.bin_ms, a.bin_ms);
  EXPECT_EQ(b.t_start_ms, a.t_start_ms);
  EXPECT_EQ(b.counts, a.counts);
}

TEST_F(ActivityFile, UnequalBinCountsAreRefused) {
  micromeso::PopulationActivity a;
  a.names = {"E", "I"};
  a.sizes = {1, 1};
  a.counts = {{1, 2}, {1}};
  EXPECT_THROW(micromeso::write_activity(dir_ / "a.h5", a), std::invalid_argument);
  a.counts = {{1, 2}};
  EXPECT_THROW(micromeso::write_activity(dir_ / "b.h5", a), std::invalid_argument);
}
