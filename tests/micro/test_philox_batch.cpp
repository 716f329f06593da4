// The vector paths of philox_blocks give the bits of physics::philox4x32_10,
// block by block: the CPU engine's Poisson stream is that of every backend.
#include <gtest/gtest.h>

#include <cstdint>

#include "micro/cpu/philox_batch.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::micro {
namespace {

using Path = void (*)(std::uint64_t, std::uint32_t, std::uint32_t, std::uint64_t, std::size_t, PhiloxWords&);

// Every count from 0 to kPhiloxBatch (full vectors and a scalar tail), keys
// and counters with both 32-bit halves set, indices across 2^32.
void expect_reference_bits(Path path) {
  const std::uint64_t seeds[] = {0, 42, 0x123456789ABCDEF0ull, ~0ull};
  const std::uint64_t counters[] = {0, 7 * 256 + 3, 0xFFFFFFFFull, 0x1234567800000005ull};
  const std::uint32_t firsts[] = {0, 17, 0xFFFFFFF0u};
  for (const std::uint64_t seed : seeds)
    for (const std::uint64_t counter : counters)
      for (const std::uint32_t first : firsts)
        for (std::size_t n = 0; n <= kPhiloxBatch; n += (n < 20 ? 1 : 11)) {
          PhiloxWords words{};
          path(seed, physics::kStreamPoisson, first, counter, n, words);
          for (std::size_t i = 0; i < n; ++i) {
            const physics::Random4 r =
                physics::philox4x32_10(seed, physics::kStreamPoisson, first + static_cast<std::uint32_t>(i), counter);
            for (int w = 0; w < 4; ++w)
              ASSERT_EQ(words[w][i], r.v[w]) << "seed " << seed << " counter " << counter << " index "
                                             << first + i << " word " << w << " of " << n;
          }
        }
}

TEST(PhiloxBatch, ScalarPathMatchesPhilox) { expect_reference_bits(philox_blocks_scalar); }

TEST(PhiloxBatch, Avx2PathMatchesPhilox) {
  if (!philox_avx2_available()) GTEST_SKIP() << "no AVX2 on this CPU";
  expect_reference_bits(philox_blocks_avx2);
}

TEST(PhiloxBatch, Avx512PathMatchesPhilox) {
  if (!philox_avx512_available()) GTEST_SKIP() << "no AVX-512F on this CPU";
  expect_reference_bits(philox_blocks_avx512);
}

TEST(PhiloxBatch, DispatchedPathMatchesPhilox) { expect_reference_bits(philox_blocks); }

}  // namespace
}  // namespace micromeso::micro
