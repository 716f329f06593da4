// CompareOptions of the validation runs: CPU engine, the given analysis bin
// and Welch segment, output in a fresh temporary folder named after the test.
#pragma once

#include <filesystem>
#include <string>

#include "tests/temp_dir.hpp"

#include "micromeso/compare.hpp"

namespace micromeso::testing {

inline CompareOptions validation_compare_options(const std::string& name, double bin_ms, double segment_ms) {
  CompareOptions o;
  o.micro.backend = BackendChoice::cpu;
  o.analyze.bin_ms = bin_ms;
  o.analyze.segment_ms = segment_ms;
  o.out_dir = micromeso::testing::unique_temp_dir("micromeso-" + name);
  std::filesystem::remove_all(o.out_dir);
  return o;
}

}  // namespace micromeso::testing
