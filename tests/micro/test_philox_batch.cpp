// The vector paths of philox_blocks and philox_counter_blocks give the bits of
// physics::philox4x32_10, block by block: the CPU engine's Poisson stream and
// the CPU builder's synapses are those of every backend.
#include <gtest/gtest.h>

#include <cstdint>

#include "micro/cpu/philox_batch.hpp"
#include "micromeso/physics/random.hpp"
#include "micromeso/physics/synapse_draw.hpp"
#include "micromeso/physics/total_number_blocks.hpp"

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

using CounterPath = void (*)(std::uint64_t, std::uint32_t, std::uint32_t, std::uint64_t, std::uint64_t, std::size_t,
                             PhiloxWords&);

// Every count from 0 to kPhiloxBatch (full vectors and a masked last one),
// steps 1 (fixed_total_number's pair sources) and kBlocksPerSynapse (first
// blocks of consecutive synapses), counters whose low word carries into the
// high word within a batch, and the 64-bit wrap.
void expect_counter_reference_bits(CounterPath path) {
  const std::uint64_t seeds[] = {0, 42, 0x123456789ABCDEF0ull, ~0ull};
  const std::uint64_t steps[] = {1, physics::kBlocksPerSynapse, 0x100000001ull, 0};
  const std::uint64_t firsts[] = {0,
                                  physics::first_block_counter(physics::synapse_key(20682, 7)),
                                  0xFFFFFFFFull - 5 * physics::kBlocksPerSynapse,
                                  0xFFFFFFF0ull,
                                  0x00000001FFFFFFE0ull,
                                  ~0ull - 20};
  const std::uint32_t indices[] = {physics::kIndexPair | (3u << 4), physics::kIndexSources | (79u << 4)};
  const std::uint32_t stream = physics::kStreamConnectivity | 37u;
  for (const std::uint64_t seed : seeds)
    for (const std::uint64_t step : steps)
      for (const std::uint64_t first : firsts)
        for (const std::uint32_t index : indices)
          for (std::size_t n = 0; n <= kPhiloxBatch; n += (n < 20 ? 1 : 7)) {
            PhiloxWords words{};
            for (auto& row : words)
              for (auto& word : row) word = 0xA5A5A5A5u;  // what lies beyond n must stay
            path(seed, stream, index, first, step, n, words);
            for (std::size_t i = 0; i < kPhiloxBatch; ++i) {
              if (i >= n) {
                for (int w = 0; w < 4; ++w) ASSERT_EQ(words[w][i], 0xA5A5A5A5u) << "written beyond " << n;
                continue;
              }
              const physics::Random4 r = physics::philox4x32_10(seed, stream, index, first + i * step);
              for (int w = 0; w < 4; ++w)
                ASSERT_EQ(words[w][i], r.v[w]) << "seed " << seed << " counter " << first + i * step << " (block "
                                               << i << " of " << n << ", step " << step << ") word " << w;
            }
          }
}

TEST(PhiloxCounterBatch, ScalarPathMatchesPhilox) { expect_counter_reference_bits(philox_counter_blocks_scalar); }

TEST(PhiloxCounterBatch, Avx2PathMatchesPhilox) {
  if (!philox_avx2_available()) GTEST_SKIP() << "no AVX2 on this CPU";
  expect_counter_reference_bits(philox_counter_blocks_avx2);
}

TEST(PhiloxCounterBatch, Avx512PathMatchesPhilox) {
  if (!philox_avx512_available()) GTEST_SKIP() << "no AVX-512F on this CPU";
  expect_counter_reference_bits(philox_counter_blocks_avx512);
}

TEST(PhiloxCounterBatch, DispatchedPathMatchesPhilox) { expect_counter_reference_bits(philox_counter_blocks); }

// The builder's runs: a synapse's first block and four pairs' sources are
// the blocks synapse_first_block and draw_block_sources draw one at a time.
TEST(PhiloxCounterBatch, BuilderRunsAreTheSynapsesBlocks) {
  physics::SynapseDrawParams p{};
  p.seed = 0x5EEDull;
  p.stream = physics::kStreamConnectivity | 5u;
  p.n_pre = 20683;
  p.n_post = 5834;
  const physics::SynapseDrawParams q = physics::block_draw_params(p, 4);
  PhiloxWords words;
  const std::uint32_t source = 20000, j0 = 130;
  philox_counter_blocks(q.seed, q.stream, physics::first_block_index(q),
                        physics::first_block_counter(physics::synapse_key(source, j0)), physics::kBlocksPerSynapse,
                        kPhiloxBatch, words);
  for (std::size_t k = 0; k < kPhiloxBatch; ++k) {
    const physics::Random4 r = physics::synapse_first_block(q, physics::synapse_key(source, j0 + k));
    for (int w = 0; w < 4; ++w) ASSERT_EQ(words[w][k], r.v[w]) << "synapse " << j0 + k << " word " << w;
  }
  const std::uint64_t i0 = 1000;
  philox_counter_blocks(q.seed, q.stream, physics::block_sources_index(q), i0, 1, kPhiloxBatch, words);
  const physics::TargetBlock tb = physics::target_block(p.n_post, 4);
  for (std::size_t k = 0; k < kPhiloxBatch; ++k) {
    const physics::PairSources batch = physics::draw_block_sources(
        q, tb.lo, tb.size, i0 + k, physics::Random4{{words[0][k], words[1][k], words[2][k], words[3][k]}});
    const physics::PairSources one = physics::draw_block_sources(q, tb.lo, tb.size, i0 + k);
    for (int t = 0; t < 4; ++t) ASSERT_EQ(batch.source[t], one.source[t]) << "quadruple " << i0 + k;
  }
}

}  // namespace
}  // namespace micromeso::micro
