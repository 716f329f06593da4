// Poisson-distributed counts by inversion (sequential search of the CDF,
// Devroye 1986, ch. X.3). Only products and sums of host-precomputed
// constants are used, so CPU and GPU (built with --fmad=false) round alike.
// A mean above kPoissonChunkMean is split into equal chunks, each drawn with
// its own uniform (the sum of independent Poisson counts is Poisson).
#pragma once

#include <cmath>
#include <cstdint>

#include "micromeso/physics/host_device.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::physics {

inline constexpr double kPoissonChunkMean = 16.0;

// Host-side constants of one Poisson source with mean `mean` per step.
struct PoissonConstants {
  double chunk_mean = 0.0;       // mean of one chunk
  double exp_minus_chunk = 1.0;  // exp(-chunk_mean)
  std::uint32_t chunks = 0;      // 0: no input
};

inline PoissonConstants make_poisson_constants(double mean_per_step) {
  PoissonConstants c;
  if (!(mean_per_step > 0.0)) return c;
  c.chunks = static_cast<std::uint32_t>(std::ceil(mean_per_step / kPoissonChunkMean));
  c.chunk_mean = mean_per_step / c.chunks;
  c.exp_minus_chunk = std::exp(-c.chunk_mean);
  return c;
}

// One Poisson(chunk_mean) count from uniform u in (0, 1).
MM_HD std::uint32_t poisson_inversion(double u, double chunk_mean, double exp_minus_chunk) {
  std::uint32_t k = 0;
  double p = exp_minus_chunk;
  double cdf = p;
  // Stop where the remaining mass is below double precision (k ~ 80 for a
  // chunk mean of 16), so a u rounding to 1 cannot loop forever.
  while (u > cdf && k < 1000) {
    ++k;
    p *= chunk_mean / k;
    cdf += p;
    if (p == 0.0) break;
  }
  return k;
}

// Poisson count of neuron `neuron` in step `step`.
MM_HD std::uint32_t poisson_count(const PoissonConstants& c, std::uint64_t seed,
                                  std::uint32_t neuron, std::uint64_t step) {
  std::uint32_t total = 0;
  Random4 r{};
  for (std::uint32_t chunk = 0; chunk < c.chunks; ++chunk) {
    if (chunk % 4 == 0)
      r = philox4x32_10(seed, kStreamPoisson, neuron, step * kPoissonBlocks + chunk / 4);
    total += poisson_inversion(uniform_open(r.v[chunk % 4]), c.chunk_mean, c.exp_minus_chunk);
  }
  return total;
}

}  // namespace micromeso::physics
