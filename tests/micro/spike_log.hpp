// A step observer that keeps every (step, neuron) spike, and every step's
// multimeter values, for comparing runs of the engines; it checks that each
// step's ids come in ascending order, as the engine interface promises.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "micro/engine.hpp"

namespace micromeso::testing {

struct SpikeLog : micro::StepObserver {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> spikes;
  void on_step(std::uint64_t step, const std::vector<std::uint32_t>& s) override {
    EXPECT_TRUE(std::is_sorted(s.begin(), s.end())) << "step " << step;
    for (std::uint32_t gid : s) spikes.emplace_back(step, gid);
  }
  std::vector<std::pair<std::uint64_t, std::vector<double>>> states;
  void on_state(std::uint64_t step, const std::vector<double>& values) override { states.emplace_back(step, values); }
};

}  // namespace micromeso::testing
