// The host grid emulator: runs a kernel body over every block and thread of
// a grid, as a device would but on the CPU. Blocks go in forward, reverse or
// shuffled order, optionally on several OpenMP threads at once; the threads
// of a block run one after another. A body that is right on a device is
// right in every one of these orders (no barrier, no assumption about which
// block runs first), so running them all is how tests catch a body that
// depends on an order. No CUDA header on this path.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/device_engine.hpp"
#include "kernels/grid_index.hpp"

namespace micromeso::kernels {

// The order in which a launch's blocks run; `launch` numbers the launches,
// so every shuffled launch has its own permutation, a pure function of
// (shuffle_seed, launch).
inline std::vector<std::uint32_t> block_order(std::uint32_t grid, const EmulatorOptions& o, std::uint64_t launch) {
  std::vector<std::uint32_t> order(grid);
  std::iota(order.begin(), order.end(), 0u);
  if (o.order == BlockOrder::reverse) std::reverse(order.begin(), order.end());
  if (o.order == BlockOrder::shuffled) {
    std::mt19937_64 generator(o.shuffle_seed * 0x9E3779B97F4A7C15ull + launch);
    std::shuffle(order.begin(), order.end(), generator);
  }
  return order;
}

// What a device refuses at launch: an empty grid, or more threads per block
// than any CUDA device has (1024).
inline void check_launch(std::uint32_t grid, std::uint32_t block) {
  if (grid == 0 || block == 0 || block > 1024)
    throw std::invalid_argument("GPU emulator: invalid launch configuration (" + std::to_string(grid) +
                                " blocks of " + std::to_string(block) + " threads)");
}

template <class Body>
void run_grid(std::uint32_t grid, std::uint32_t block, const Body& body, const EmulatorOptions& o,
              std::uint64_t launch) {
  check_launch(grid, block);
  const std::vector<std::uint32_t> order = block_order(grid, o, launch);
  const auto run_block = [&](std::uint32_t b) {
    for (std::uint32_t t = 0; t < block; ++t) body(ThreadIndex{b, t, block, grid});
  };
  if (o.threads > 1 && grid > 1) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(o.threads)
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(grid); ++i) run_block(order[static_cast<std::size_t>(i)]);
  } else {
    for (std::uint32_t b : order) run_block(b);
  }
}

}  // namespace micromeso::kernels
