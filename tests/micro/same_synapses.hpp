// Two builds of one circuit hold the same synapses: per source the same
// offsets and the same (target, weight, delay) multiset. The order within a
// source may differ (threads fill fixed_indegree segments in any order).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

#include "micro/network.hpp"

namespace micromeso::testing {

inline void expect_same_synapses_per_source(const micro::Network& one, const micro::Network& two) {
  ASSERT_EQ(one.n_synapses(), two.n_synapses());
  using Synapse = std::tuple<std::uint32_t, std::int32_t, std::uint16_t>;
  for (std::uint64_t s = 0; s < one.n_neurons(); ++s) {
    ASSERT_EQ(one.synapse_offset[s], two.synapse_offset[s]);
    std::vector<Synapse> a, b;
    for (std::uint64_t j = one.synapse_offset[s]; j < one.synapse_offset[s + 1]; ++j) {
      a.emplace_back(one.synapse_target[j], one.synapse_weight[j], one.synapse_delay_steps[j]);
      b.emplace_back(two.synapse_target[j], two.synapse_weight[j], two.synapse_delay_steps[j]);
    }
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    ASSERT_EQ(a, b) << "source " << s;
  }
}

}  // namespace micromeso::testing
