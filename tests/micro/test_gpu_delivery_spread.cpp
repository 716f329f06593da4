// The share-out of a step's synapses among the delivery grid's threads
// (kernels/delivery_spread.hpp, used by kernels/spike_delivery.cu): every
// synapse of every spiking source is delivered by exactly one thread, and no
// thread gets more than one synapse above the even share.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/delivery_spread.hpp"

namespace {

void check_cover(const std::vector<std::uint32_t>& lengths, std::uint32_t threads) {
  std::vector<std::vector<int>> hits(lengths.size());
  for (std::size_t i = 0; i < lengths.size(); ++i) hits[i].assign(lengths[i], 0);
  std::vector<std::uint64_t> load(threads, 0);
  // As the kernel: every thread walks the spikes in order, keeping the rotation.
  for (std::uint32_t t = 0; t < threads; ++t) {
    std::uint32_t rotation = 0;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
      for (std::uint32_t j = micromeso::micro::first_synapse_of_thread(t, rotation, threads); j < lengths[i];
           j += threads) {
        ++hits[i][j];
        ++load[t];
      }
      rotation = micromeso::micro::next_rotation(rotation, lengths[i], threads);
    }
  }
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    total += lengths[i];
    for (std::uint32_t j = 0; j < lengths[i]; ++j) ASSERT_EQ(hits[i][j], 1) << "spike " << i << " synapse " << j;
  }
  const auto [lo, hi] = std::minmax_element(load.begin(), load.end());
  EXPECT_EQ(*lo, total / threads);
  EXPECT_LE(*hi, total / threads + 1);
}

TEST(GpuDeliverySpread, EverySynapseOnceAndEvenShares) {
  std::mt19937 rng(12);
  for (const std::uint32_t threads : {1u, 7u, 256u, 1000u}) {
    check_cover({}, threads);
    check_cover({0, 0, 5}, threads);
    check_cover({3000, 1, 0, 2500, 999, 4096}, threads);
    std::vector<std::uint32_t> lengths(50);
    for (auto& l : lengths) l = std::uniform_int_distribution<std::uint32_t>(0, 3 * threads)(rng);
    check_cover(lengths, threads);
  }
}

}  // namespace
