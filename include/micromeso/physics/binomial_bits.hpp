// An exact Binomial(n, num/den) draw with integer operations only, so that
// every backend (CPU, GPU, emulator) draws the same count from the same
// Philox words whatever its floating point.
//
// Trial i succeeds when its uniform U_i is below p = num/den. Compare U_i
// with p bit by bit (p's binary expansion by long division): at a bit of p
// equal to 1, the trials whose U bit is 0 succeed; at a 0, those whose U bit
// is 1 fail; the others stay undecided. The number of undecided trials with
// U bit 0 is Binomial(m, 1/2), the count of ones among m fair bits. Each
// level halves the undecided trials on average: about 2n bits in all (n for
// p = 1/2), i.e. n / 64 Philox blocks. A p that ends (remainder 0) leaves
// the undecided trials failed (U = p has probability 0).
#pragma once

#include <cstdint>

#include "micromeso/physics/host_device.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::physics {

MM_HD int popcount32(std::uint32_t x) {
#if defined(__CUDA_ARCH__)
  return __popc(x);
#else
  return __builtin_popcount(x);
#endif
}

// Fair bits from Philox blocks (seed, stream, index, first + i), 128 per block.
struct FairBits {
  std::uint64_t seed;
  std::uint32_t stream, index;
  std::uint64_t counter;  // next block

  // Ones among the next m bits: Binomial(m, 1/2). Starts on a fresh block.
  MM_HD std::uint64_t ones(std::uint64_t m) {
    std::uint64_t k = 0;
    while (m > 0) {
      const Random4 r = philox4x32_10(seed, stream, index, counter++);
      for (int w = 0; w < 4 && m > 0; ++w) {
        const std::uint32_t word = m >= 32 ? r.v[w] : r.v[w] & ((1u << m) - 1u);
        k += static_cast<std::uint64_t>(popcount32(word));
        m = m >= 32 ? m - 32 : 0;
      }
    }
    return k;
  }
};

// Binomial(n, num / den), 0 <= num <= den, den < 2^63.
MM_HD std::uint64_t binomial_bits(std::uint64_t n, std::uint64_t num, std::uint64_t den, FairBits& bits) {
  if (num == 0 || n == 0) return 0;
  if (num >= den) return n;
  std::uint64_t successes = 0, undecided = n, r = num;
  while (undecided > 0 && r > 0) {
    r *= 2;  // next bit of p = r / den
    const bool bit = r >= den;
    if (bit) r -= den;
    const std::uint64_t zeros = undecided - bits.ones(undecided);  // undecided trials whose U bit is 0
    if (bit) {
      successes += zeros;  // U bit 0 < p bit 1
      undecided -= zeros;
    } else {
      undecided = zeros;  // U bit 1 > p bit 0: failed
    }
  }
  return successes;
}

}  // namespace micromeso::physics
