// The host grid emulator itself: every (block, thread) of a grid runs exactly
// once in every block order, the orders are what they say, a captured graph
// replays its launches with their captured parameters, and what a device
// refuses (empty grids, oversized blocks, copies inside a capture) it refuses.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "kernels/atomics.hpp"
#include "kernels/emulator/emulated_runtime.hpp"
#include "kernels/grid_index.hpp"

using namespace micromeso::kernels;

namespace {

// Counts visits per global thread and records the order blocks start in.
struct CountVisits {
  std::uint32_t* visits;
  std::uint32_t* block_starts;  // [0] is the next free place
  MM_HD void operator()(const ThreadIndex& t) const {
    atomic_add(visits + t.global(), 1u);
    if (t.thread == 0) block_starts[1 + atomic_add(block_starts, 1u)] = t.block;
  }
};

EmulatorOptions with_order(BlockOrder order, int threads = 1) {
  EmulatorOptions o;
  o.order = order;
  o.threads = threads;
  return o;
}

std::vector<std::uint32_t> run_and_get_block_order(const EmulatorOptions& o, std::uint32_t grid, std::uint32_t block,
                                                   std::vector<std::uint32_t>& visits) {
  EmulatedRuntime rt(o);
  visits.assign(std::size_t{grid} * block, 0);
  std::vector<std::uint32_t> starts(grid + 1, 0);
  rt.launch(grid, block, CountVisits{visits.data(), starts.data()});
  return {starts.begin() + 1, starts.end()};
}

}  // namespace

TEST(GridEmulator, EveryThreadRunsOnceInEveryOrder) {
  for (BlockOrder order : {BlockOrder::forward, BlockOrder::reverse, BlockOrder::shuffled})
    for (int threads : {1, 2}) {
      std::vector<std::uint32_t> visits;
      std::vector<std::uint32_t> blocks = run_and_get_block_order(with_order(order, threads), 37, 13, visits);
      EXPECT_TRUE(std::all_of(visits.begin(), visits.end(), [](std::uint32_t v) { return v == 1; }));
      std::sort(blocks.begin(), blocks.end());
      std::vector<std::uint32_t> all(37);
      std::iota(all.begin(), all.end(), 0u);
      EXPECT_EQ(blocks, all);
    }
}

TEST(GridEmulator, OrdersAreForwardReverseAndShuffled) {
  std::vector<std::uint32_t> visits, forward(50), reverse(50);
  std::iota(forward.begin(), forward.end(), 0u);
  std::iota(reverse.rbegin(), reverse.rend(), 0u);
  EXPECT_EQ(run_and_get_block_order(with_order(BlockOrder::forward), 50, 4, visits), forward);
  EXPECT_EQ(run_and_get_block_order(with_order(BlockOrder::reverse), 50, 4, visits), reverse);
  const auto shuffled = run_and_get_block_order(with_order(BlockOrder::shuffled), 50, 4, visits);
  EXPECT_NE(shuffled, forward);
  EXPECT_NE(shuffled, reverse);
  // A pure function of the seed and the launch number.
  EXPECT_EQ(run_and_get_block_order(with_order(BlockOrder::shuffled), 50, 4, visits), shuffled);
  EXPECT_NE(block_order(50, with_order(BlockOrder::shuffled), 1), block_order(50, with_order(BlockOrder::shuffled), 2));
}

namespace {
struct AddStep {
  const std::uint64_t* counter;  // read at run time, as a device counter
  std::uint32_t k;               // baked in at capture
  std::uint64_t* out;
  MM_HD void operator()(const ThreadIndex& t) const {
    if (t.global() == 0) out[k] += *counter + k;
  }
};
struct Advance {
  std::uint64_t* counter;
  MM_HD void operator()(const ThreadIndex& t) const {
    if (t.global() == 0) *counter += 10;
  }
};
}  // namespace

TEST(GridEmulator, GraphReplaysTheCapturedLaunches) {
  EmulatedRuntime rt{EmulatorOptions{}};
  std::uint64_t counter = 0;
  std::vector<std::uint64_t> out(2, 0);
  auto graph = rt.capture([&] {
    rt.launch(1, 1, AddStep{&counter, 0, out.data()});
    rt.launch(1, 1, AddStep{&counter, 1, out.data()});
    rt.launch(1, 1, Advance{&counter});
  });
  EXPECT_EQ(graph.size(), 3u);
  EXPECT_EQ(out, (std::vector<std::uint64_t>{0, 0}));  // captured, not run
  rt.replay(graph);
  rt.replay(graph);
  EXPECT_EQ(counter, 20u);
  EXPECT_EQ(out, (std::vector<std::uint64_t>{0 + 10, 1 + 11}));
}

TEST(GridEmulator, RefusesWhatADeviceRefuses) {
  EmulatedRuntime rt{EmulatorOptions{}};
  std::uint64_t counter = 0;
  EXPECT_THROW(rt.launch(0, 32, Advance{&counter}), std::invalid_argument);
  EXPECT_THROW(rt.launch(1, 0, Advance{&counter}), std::invalid_argument);
  EXPECT_THROW(rt.launch(1, 1025, Advance{&counter}), std::invalid_argument);
  std::uint64_t host = 0;
  EXPECT_THROW(rt.capture([&] { rt.download(&host, &counter, 1); }), std::logic_error);
  EXPECT_THROW(EmulatedRuntime(with_order(BlockOrder::forward, 0)), std::invalid_argument);
}

TEST(GridEmulator, FreshMemoryIsNotZero) {
  const HostArray<std::uint32_t> a(4);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a.data()[i], 0xA5A5A5A5u);
}
