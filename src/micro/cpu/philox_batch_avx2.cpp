// The AVX2 path of philox_blocks and philox_counter_blocks: eight blocks per
// vector, one 32-bit lane each. This file alone is compiled with -mavx2
// (CMakeLists.txt); it runs only where the CPU has AVX2. Philox-4x32-10 as
// Random123 and physics::philox4x32_10 compute it (Salmon et al. 2011): ten
// rounds
// (L0, R0, L1, R1) -> (hi(M1 R1) ^ L0 ^ k0, lo(M1 R1), hi(M0 R0) ^ L1 ^ k1, lo(M0 R0))
// in Random123's word order, the key bumped by the Weyl constants between rounds.
#include <immintrin.h>

#include "micro/cpu/philox_batch.hpp"

namespace micromeso::micro {
namespace {

// The high and low 32 bits of m * a in each 32-bit lane (vpmuludq multiplies
// the even lanes; the odd ones are shifted down and multiplied apart).
inline void mulhilo(__m256i a, __m256i m, __m256i& hi, __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(a, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

// The ten rounds on counter words c[0..3], key `seed`.
inline void philox_rounds(__m256i (&c)[4], std::uint64_t seed) {
  const __m256i m0 = _mm256_set1_epi64x(0xD2511F53), m1 = _mm256_set1_epi64x(0xCD9E8D57);
  std::uint32_t k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    __m256i hi0, lo0, hi1, lo1;
    mulhilo(c[0], m0, hi0, lo0);
    mulhilo(c[2], m1, hi1, lo1);
    c[0] = _mm256_xor_si256(_mm256_xor_si256(hi1, c[1]), _mm256_set1_epi32(static_cast<int>(k0)));
    c[1] = lo1;
    c[2] = _mm256_xor_si256(_mm256_xor_si256(hi0, c[3]), _mm256_set1_epi32(static_cast<int>(k1)));
    c[3] = lo0;
  }
}

}  // namespace

void philox_blocks_avx2(std::uint64_t seed, std::uint32_t stream, std::uint32_t first_index,
                          std::uint64_t counter, std::size_t n, PhiloxWords& words) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i c[4] = {
        _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(counter))),
        _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(counter >> 32))),
        _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(first_index + static_cast<std::uint32_t>(i))), lane),
        _mm256_set1_epi32(static_cast<int>(stream))};
    philox_rounds(c, seed);
    for (int w = 0; w < 4; ++w) _mm256_storeu_si256(reinterpret_cast<__m256i*>(words[w] + i), c[w]);
  }
  if (i < n) {
    PhiloxWords rest;
    philox_blocks_scalar(seed, stream, first_index + static_cast<std::uint32_t>(i), counter, n - i, rest);
    for (int w = 0; w < 4; ++w)
      for (std::size_t j = 0; j + i < n; ++j) words[w][i + j] = rest[w][j];
  }
}

void philox_counter_blocks_avx2(std::uint64_t seed, std::uint32_t stream, std::uint32_t index,
                                std::uint64_t first_counter, std::uint64_t counter_step, std::size_t n,
                                PhiloxWords& words) {
  // The 64-bit counters of lanes 0-3 and 4-7, each advanced by 8 steps a
  // vector; their low and high halves gathered into the words c0 and c1.
  __m256i low_lanes = _mm256_setr_epi64x(
      static_cast<long long>(first_counter), static_cast<long long>(first_counter + counter_step),
      static_cast<long long>(first_counter + 2 * counter_step), static_cast<long long>(first_counter + 3 * counter_step));
  __m256i high_lanes = _mm256_add_epi64(low_lanes, _mm256_set1_epi64x(static_cast<long long>(4 * counter_step)));
  const __m256i advance = _mm256_set1_epi64x(static_cast<long long>(8 * counter_step));
  const __m256i halves = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);  // low words, then high words
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  for (std::size_t i = 0; i < n; i += 8) {
    const __m256i a = _mm256_permutevar8x32_epi32(low_lanes, halves);
    const __m256i b = _mm256_permutevar8x32_epi32(high_lanes, halves);
    __m256i c[4] = {_mm256_permute2x128_si256(a, b, 0x20), _mm256_permute2x128_si256(a, b, 0x31),
                    _mm256_set1_epi32(static_cast<int>(index)), _mm256_set1_epi32(static_cast<int>(stream))};
    philox_rounds(c, seed);
    if (i + 8 <= n) {
      for (int w = 0; w < 4; ++w) _mm256_storeu_si256(reinterpret_cast<__m256i*>(words[w] + i), c[w]);
    } else {
      const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n - i)), lane);
      for (int w = 0; w < 4; ++w) _mm256_maskstore_epi32(reinterpret_cast<int*>(words[w] + i), mask, c[w]);
    }
    low_lanes = _mm256_add_epi64(low_lanes, advance);
    high_lanes = _mm256_add_epi64(high_lanes, advance);
  }
}

}  // namespace micromeso::micro
