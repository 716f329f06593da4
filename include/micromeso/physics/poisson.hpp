// Poisson-distributed counts by inversion (sequential search of the CDF,
// Devroye 1986, ch. X.3). A mean above kPoissonChunkMean is split into equal
// chunks, each drawn with its own uniform (the sum of independent Poisson
// counts is Poisson).
//
// The search runs on a table made once on the host: the CDF of a chunk,
// summed term by term (p_k = p_{k-1} lambda / k) exactly as
// poisson_inversion() below does, and turned into integer thresholds on the
// 32-bit random word x itself. The uniform is u = (x + 1/2) 2^-32, exact in
// double, so u > cdf_k holds exactly when x > floor(cdf_k 2^32 - 1/2): the
// table gives the count poisson_inversion(u) gives, bit for bit, with no
// division or floating-point work per step (a unit test compares the two at
// every threshold). A guide table of the top bits of x says where the search
// starts (Chen & Asau 1974, the "indexed search" of Devroye 1986, III.2.4),
// so that most draws take one comparison.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "micromeso/physics/host_device.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::physics {

inline constexpr double kPoissonChunkMean = 16.0;
// Thresholds per chunk: a chunk mean of 16 needs 48 (every u <= cdf_47).
inline constexpr int kPoissonTableSize = 64;
inline constexpr int kPoissonGuideBits = 7;

// Host-side constants of one Poisson source with mean `mean` per step.
struct PoissonConstants {
  double chunk_mean = 0.0;       // mean of one chunk
  double exp_minus_chunk = 1.0;  // exp(-chunk_mean)
  std::uint32_t chunks = 0;      // 0: no input
  // The count of a chunk drawn from word x is the first k with x <= threshold[k];
  // the last used entry is 0xFFFFFFFF, so the search always ends.
  std::uint32_t threshold[kPoissonTableSize] = {};
  // guide[b]: the count of the smallest x whose top bits are b.
  std::uint8_t guide[1 << kPoissonGuideBits] = {};
};

// One Poisson(chunk_mean) count from uniform u in (0, 1): the definition the
// table reproduces (and the reference of its unit test).
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

inline PoissonConstants make_poisson_constants(double mean_per_step) {
  PoissonConstants c;
  if (!(mean_per_step > 0.0)) return c;
  c.chunks = static_cast<std::uint32_t>(std::ceil(mean_per_step / kPoissonChunkMean));
  c.chunk_mean = mean_per_step / c.chunks;
  c.exp_minus_chunk = std::exp(-c.chunk_mean);
  // The terms and sums of poisson_inversion, in its order. Its loop goes on
  // while u > cdf_k; x > floor(cdf_k 2^32 - 1/2) is the same test (exact:
  // cdf_k 2^32 - 1/2 has an ulp below 1/2). Every x stops at the first k
  // whose threshold reaches 2^32 - 1; a chunk mean of at most 16 gets there
  // long before p underflows or k reaches 1000, the loop's other exits.
  double p = c.exp_minus_chunk, cdf = p;
  constexpr double kTwo32 = 4294967296.0;
  for (int k = 0;; ++k) {
    if (k == kPoissonTableSize || (k > 0 && p == 0.0))
      throw std::logic_error("Poisson table: a chunk mean of at most 16 needs fewer thresholds");
    const double t = std::floor(cdf * kTwo32 - 0.5);
    c.threshold[k] = t >= kTwo32 - 1.0 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(t);
    if (c.threshold[k] == 0xFFFFFFFFu) break;
    p *= c.chunk_mean / (k + 1);
    cdf += p;
  }
  for (std::uint32_t b = 0; b < (1u << kPoissonGuideBits); ++b) {
    const std::uint32_t x = b << (32 - kPoissonGuideBits);
    std::uint8_t k = 0;
    while (x > c.threshold[k]) ++k;
    c.guide[b] = k;
  }
  return c;
}

// The count of one chunk from the random word x (u = uniform_open(x)).
MM_HD std::uint32_t poisson_chunk_count(const PoissonConstants& c, std::uint32_t x) {
  std::uint32_t k = c.guide[x >> (32 - kPoissonGuideBits)];
  while (x > c.threshold[k]) ++k;
  return k;
}

// Stream layout: chunk `chunk` of the neurons 4g .. 4g+3 in step `step` is
// one Philox block, index g, counter step * kPoissonBlocks + chunk; neuron
// 4g + i takes word i. One block thus serves four neighbours, which the CPU
// engine updates one after another (it draws once per four neurons, where
// one draw per neuron used a quarter of each block); a GPU thread draws the
// block of its own neuron, as before.
inline constexpr double kPoissonMaxMeanPerStep = kPoissonChunkMean * static_cast<double>(kPoissonBlocks);

MM_HD Random4 poisson_block(std::uint64_t seed, std::uint32_t group, std::uint64_t step, std::uint32_t chunk) {
  return philox4x32_10(seed, kStreamPoisson, group, step * kPoissonBlocks + chunk);
}

// Word i (0..3) of a block, by selection: a run-time index into Random4 would
// put it on a GPU thread's stack.
MM_HD std::uint32_t word_of(const Random4& r, std::uint32_t i) {
  const std::uint32_t low = (i & 1u) ? r.v[1] : r.v[0];
  const std::uint32_t high = (i & 1u) ? r.v[3] : r.v[2];
  return (i & 2u) ? high : low;
}

// Poisson count of neuron `neuron` in step `step` (c.chunks > 0), its first
// chunk's word given: word_of(poisson_block(seed, neuron / 4, step, 0), neuron % 4).
MM_HD std::uint32_t poisson_count_from(const PoissonConstants& c, std::uint32_t first_word, std::uint64_t seed,
                                       std::uint32_t neuron, std::uint64_t step) {
  std::uint32_t total = poisson_chunk_count(c, first_word);
  for (std::uint32_t chunk = 1; chunk < c.chunks; ++chunk)
    total += poisson_chunk_count(c, word_of(poisson_block(seed, neuron >> 2, step, chunk), neuron & 3u));
  return total;
}

// Poisson count of neuron `neuron` in step `step`.
MM_HD std::uint32_t poisson_count(const PoissonConstants& c, std::uint64_t seed,
                                  std::uint32_t neuron, std::uint64_t step) {
  if (c.chunks == 0) return 0;
  return poisson_count_from(c, word_of(poisson_block(seed, neuron >> 2, step, 0), neuron & 3u), seed, neuron, step);
}

}  // namespace micromeso::physics
