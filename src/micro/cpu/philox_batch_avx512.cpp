// The AVX-512 path of philox_blocks and philox_counter_blocks: sixteen
// blocks per vector, one 32-bit lane each. This file alone is compiled with
// -mavx512f (CMakeLists.txt); it runs only where the CPU has AVX-512F.
// Philox-4x32-10 as Random123 and physics::philox4x32_10 compute it (Salmon
// et al. 2011): ten rounds
// (L0, R0, L1, R1) -> (hi(M1 R1) ^ L0 ^ k0, lo(M1 R1), hi(M0 R0) ^ L1 ^ k1, lo(M0 R0))
// in Random123's word order, the key bumped by the Weyl constants between rounds.
// GCC 12 warns of its own _mm512_undefined_epi32() (a self-initialised
// placeholder of the unmasked intrinsics) as maybe uninitialised once inlined.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include "micro/cpu/philox_batch.hpp"

namespace micromeso::micro {
namespace {

// The high and low 32 bits of m * a in each 32-bit lane (vpmuludq multiplies
// the even lanes; the odd ones are shifted down and multiplied apart).
inline void mulhilo(__m512i a, __m512i m, __m512i& hi, __m512i& lo) {
  const __m512i even = _mm512_mul_epu32(a, m);
  const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), m);
  lo = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
  hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd);
}

// The ten rounds on counter words (c0, c1, c2, c3), key `seed`.
inline void philox_rounds(__m512i& c0, __m512i& c1, __m512i& c2, __m512i& c3, std::uint64_t seed) {
  const __m512i m0 = _mm512_set1_epi64(0xD2511F53), m1 = _mm512_set1_epi64(0xCD9E8D57);
  std::uint32_t k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    __m512i hi0, lo0, hi1, lo1;
    mulhilo(c0, m0, hi0, lo0);
    mulhilo(c2, m1, hi1, lo1);
    c0 = _mm512_xor_si512(_mm512_xor_si512(hi1, c1), _mm512_set1_epi32(static_cast<int>(k0)));
    c1 = lo1;
    c2 = _mm512_xor_si512(_mm512_xor_si512(hi0, c3), _mm512_set1_epi32(static_cast<int>(k1)));
    c3 = lo0;
  }
}

// Lanes i .. i + 15 of words, the first `count` of them (all when count >= 16).
inline void store_words(const __m512i (&c)[4], std::size_t i, std::size_t count, PhiloxWords& words) {
  if (count >= 16) {
    for (int w = 0; w < 4; ++w) _mm512_storeu_si512(words[w] + i, c[w]);
  } else {
    const auto mask = static_cast<__mmask16>((1u << count) - 1u);
    for (int w = 0; w < 4; ++w) _mm512_mask_storeu_epi32(words[w] + i, mask, c[w]);
  }
}

}  // namespace

void philox_blocks_avx512(std::uint64_t seed, std::uint32_t stream, std::uint32_t first_index,
                          std::uint64_t counter, std::size_t n, PhiloxWords& words) {
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512i c[4] = {
        _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(counter))),
        _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(counter >> 32))),
        _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(first_index + static_cast<std::uint32_t>(i))), lane),
        _mm512_set1_epi32(static_cast<int>(stream))};
    philox_rounds(c[0], c[1], c[2], c[3], seed);
    store_words(c, i, 16, words);
  }
  if (i < n) {
    PhiloxWords rest;
    philox_blocks_scalar(seed, stream, first_index + static_cast<std::uint32_t>(i), counter, n - i, rest);
    for (int w = 0; w < 4; ++w)
      for (std::size_t j = 0; j + i < n; ++j) words[w][i + j] = rest[w][j];
  }
}

void philox_counter_blocks_avx512(std::uint64_t seed, std::uint32_t stream, std::uint32_t index,
                                  std::uint64_t first_counter, std::uint64_t counter_step, std::size_t n,
                                  PhiloxWords& words) {
  // The 64-bit counters of lanes 0-7 and 8-15, each advanced by 16 steps a
  // vector; their low and high halves gathered into the words c0 and c1.
  __m512i low_lanes = _mm512_setr_epi64(
      static_cast<long long>(first_counter), static_cast<long long>(first_counter + counter_step),
      static_cast<long long>(first_counter + 2 * counter_step), static_cast<long long>(first_counter + 3 * counter_step),
      static_cast<long long>(first_counter + 4 * counter_step), static_cast<long long>(first_counter + 5 * counter_step),
      static_cast<long long>(first_counter + 6 * counter_step), static_cast<long long>(first_counter + 7 * counter_step));
  __m512i high_lanes = _mm512_add_epi64(low_lanes, _mm512_set1_epi64(static_cast<long long>(8 * counter_step)));
  const __m512i advance = _mm512_set1_epi64(static_cast<long long>(16 * counter_step));
  const __m512i even_words = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd_words = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
  for (std::size_t i = 0; i < n; i += 16) {
    __m512i c[4] = {_mm512_permutex2var_epi32(low_lanes, even_words, high_lanes),
                    _mm512_permutex2var_epi32(low_lanes, odd_words, high_lanes),
                    _mm512_set1_epi32(static_cast<int>(index)), _mm512_set1_epi32(static_cast<int>(stream))};
    philox_rounds(c[0], c[1], c[2], c[3], seed);
    store_words(c, i, n - i, words);
    low_lanes = _mm512_add_epi64(low_lanes, advance);
    high_lanes = _mm512_add_epi64(high_lanes, advance);
  }
}

}  // namespace micromeso::micro
