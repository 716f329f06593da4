// A fresh temporary folder per test, removed afterwards.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/temp_dir.hpp"

namespace micromeso::testing {

class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = unique_temp_dir("micromeso-io-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

}  // namespace micromeso::testing
