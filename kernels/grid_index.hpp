// Where a thread sits in its grid, passed to a kernel body explicitly: on a
// device it is read from blockIdx/threadIdx/blockDim/gridDim (cuda_launch.cuh),
// in the emulator it is made by the loop over the grid (emulator/grid.hpp).
// So a body is one __host__ __device__ function that both run unchanged.
#pragma once

#include <cstdint>

#include "micromeso/physics/host_device.hpp"

namespace micromeso::kernels {

struct ThreadIndex {
  std::uint32_t block, thread;       // blockIdx.x, threadIdx.x
  std::uint32_t block_dim, grid_dim; // blockDim.x, gridDim.x

  MM_HD std::uint64_t global() const { return std::uint64_t{block} * block_dim + thread; }
  MM_HD std::uint64_t grid_threads() const { return std::uint64_t{grid_dim} * block_dim; }
};

// Blocks of `block` threads covering `items`, at least one, at most 2^20
// (the grid-stride loops of the bodies take the rest).
inline std::uint32_t blocks_for(std::uint64_t items, std::uint32_t block) {
  const std::uint64_t blocks = (items + block - 1) / block;
  return static_cast<std::uint32_t>(blocks < 1 ? 1 : blocks > (1u << 20) ? (1u << 20) : blocks);
}

}  // namespace micromeso::kernels
