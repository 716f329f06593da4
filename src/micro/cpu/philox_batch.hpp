// Philox-4x32-10 blocks for a run of consecutive indices, or of counters in
// equal steps, several at once with AVX-512 or AVX2 where the CPU has them
// (chosen at run time), the same bits as physics::philox4x32_10 block by
// block: the random streams are those of every backend. The CPU engine draws
// its neurons' Poisson words over indices (CpuBackend::update_population:
// one call per step serves 64 groups of four neurons); the network builder
// draws its synapses' first blocks and fixed_total_number's pair sources
// over counters (network_build.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace micromeso::micro {

// Word w of the block of index first_index + i, counter `counter`, stream
// `stream` and key `seed`, into words[w][i], for i < n (n <= kPhiloxBatch).
inline constexpr std::size_t kPhiloxBatch = 64;
using PhiloxWords = std::uint32_t[4][kPhiloxBatch];

// The widest path the CPU has (MICROMESO_PHILOX_VECTOR=avx2 or =scalar caps
// it, for benchmarks and tests of the narrower paths).
void philox_blocks(std::uint64_t seed, std::uint32_t stream, std::uint32_t first_index, std::uint64_t counter,
                   std::size_t n, PhiloxWords& words);

// Each path, for the unit test; the vector ones only where the CPU has them
// (philox_avx512_available, philox_avx2_available).
void philox_blocks_scalar(std::uint64_t seed, std::uint32_t stream, std::uint32_t first_index,
                          std::uint64_t counter, std::size_t n, PhiloxWords& words);
void philox_blocks_avx2(std::uint64_t seed, std::uint32_t stream, std::uint32_t first_index, std::uint64_t counter,
                        std::size_t n, PhiloxWords& words);
void philox_blocks_avx512(std::uint64_t seed, std::uint32_t stream, std::uint32_t first_index,
                          std::uint64_t counter, std::size_t n, PhiloxWords& words);
// Word w of the block of counter first_counter + i * counter_step (64-bit,
// carries into the high word included), index `index`, stream `stream` and
// key `seed`, into words[w][i], for i < n (n <= kPhiloxBatch).
void philox_counter_blocks(std::uint64_t seed, std::uint32_t stream, std::uint32_t index,
                           std::uint64_t first_counter, std::uint64_t counter_step, std::size_t n,
                           PhiloxWords& words);
// Each path, as above.
void philox_counter_blocks_scalar(std::uint64_t seed, std::uint32_t stream, std::uint32_t index,
                                  std::uint64_t first_counter, std::uint64_t counter_step, std::size_t n,
                                  PhiloxWords& words);
void philox_counter_blocks_avx2(std::uint64_t seed, std::uint32_t stream, std::uint32_t index,
                                std::uint64_t first_counter, std::uint64_t counter_step, std::size_t n,
                                PhiloxWords& words);
void philox_counter_blocks_avx512(std::uint64_t seed, std::uint32_t stream, std::uint32_t index,
                                  std::uint64_t first_counter, std::uint64_t counter_step, std::size_t n,
                                  PhiloxWords& words);

// The path philox_blocks and philox_counter_blocks take: 2 AVX-512, 1 AVX2, 0 scalar. Throws
// std::invalid_argument naming an unknown MICROMESO_PHILOX_VECTOR: the CPU
// engine asks in its constructor, the network builder before its passes, both
// before any parallel region.
int philox_path();
bool philox_avx2_available();
bool philox_avx512_available();

}  // namespace micromeso::micro
