// Counter-based random numbers: Philox-4x32-10 (Salmon et al. 2011, SC'11),
// the generator cuRAND implements, from Random123. Every number is a pure
// function of (seed, stream, index, counter): no state is carried, so the
// CPU threads and the GPU draw the very same numbers whatever the schedule.
#pragma once

// Random123 marks its functions __device__ only in nvcc's device pass, so a
// __host__ __device__ caller (every physics function) would call a
// device-only function from its host side. Both sides, under nvcc.
#if defined(__CUDACC__) && !defined(R123_CUDA_DEVICE)
#define R123_CUDA_DEVICE __host__ __device__
#endif
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

#include "micromeso/physics/host_device.hpp"

namespace micromeso::physics {

// Stream kinds occupy the top 8 bits of the 32-bit stream word; the low 24
// bits hold a sub-stream (the projection index for connectivity).
enum StreamKind : std::uint32_t {
  kStreamPoisson = 1u << 24,       // index = neuron / 4, counter = step * kPoissonBlocks + chunk (poisson.hpp)
  kStreamEscape = 2u << 24,        // index = neuron, counter = step
  kStreamInitialV = 3u << 24,      // index = neuron, counter = 0
  kStreamConnectivity = 4u << 24,  // | projection; see network_build for index/counter
  kStreamMeso = 5u << 24,          // index = population, counter = step * 2^16 + draw / 4
  kStreamMesoMaster = 6u << 24,    // index = population, counter = step * 2^32 + draw / 4 (per-age draws)
};

// Counter blocks reserved per step for the Poisson draws of four neurons:
// one block per chunk of the mean (each block gives each neuron one uniform).
inline constexpr std::uint64_t kPoissonBlocks = 256;

struct Random4 {
  std::uint32_t v[4];
};

MM_HD Random4 philox4x32_10(std::uint64_t seed, std::uint32_t stream, std::uint32_t index,
                            std::uint64_t counter) {
  r123::Philox4x32::ctr_type c = {{static_cast<std::uint32_t>(counter),
                                   static_cast<std::uint32_t>(counter >> 32), index, stream}};
  r123::Philox4x32::key_type k = {
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  r123::Philox4x32 rng;
  const auto r = rng(c, k);
  return Random4{{r[0], r[1], r[2], r[3]}};
}

// Uniform in the open interval (0, 1), exactly representable: (x + 1/2) / 2^32.
MM_HD double uniform_open(std::uint32_t x) {
  return (static_cast<double>(x) + 0.5) * 2.3283064365386963e-10;
}

// Integer uniform in [0, n) by multiply-shift (Lemire 2019), bias < n / 2^32.
MM_HD std::uint32_t uniform_below(std::uint32_t x, std::uint32_t n) {
  return static_cast<std::uint32_t>((static_cast<std::uint64_t>(x) * n) >> 32);
}

// Two independent standard normals from two uniforms (Box & Muller 1958).
struct NormalPair {
  double z0, z1;
};
MM_HD NormalPair box_muller(std::uint32_t a, std::uint32_t b) {
  const double radius = sqrt(-2.0 * log(uniform_open(a)));
  const double angle = 6.283185307179586 * uniform_open(b);
  return NormalPair{radius * cos(angle), radius * sin(angle)};
}

}  // namespace micromeso::physics
