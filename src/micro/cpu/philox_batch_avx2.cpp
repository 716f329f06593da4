// The AVX2 path of philox_blocks: eight blocks per vector, one 32-bit
// lane each. This file alone is compiled with -mavx2 (CMakeLists.txt); it
// runs only where the CPU has AVX2. Philox-4x32-10 as Random123 and
// physics::philox4x32_10 compute it (Salmon et al. 2011): ten rounds
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

}  // namespace

void philox_blocks_avx2(std::uint64_t seed, std::uint32_t stream, std::uint32_t first_index,
                          std::uint64_t counter, std::size_t n, PhiloxWords& words) {
  const __m256i m0 = _mm256_set1_epi64x(0xD2511F53), m1 = _mm256_set1_epi64x(0xCD9E8D57);
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i c0 = _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(counter)));
    __m256i c1 = _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(counter >> 32)));
    __m256i c2 = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(first_index + static_cast<std::uint32_t>(i))), lane);
    __m256i c3 = _mm256_set1_epi32(static_cast<int>(stream));
    std::uint32_t k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
    for (int round = 0; round < 10; ++round) {
      if (round > 0) {
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
      }
      __m256i hi0, lo0, hi1, lo1;
      mulhilo(c0, m0, hi0, lo0);
      mulhilo(c2, m1, hi1, lo1);
      c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(static_cast<int>(k0)));
      c1 = lo1;
      c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(static_cast<int>(k1)));
      c3 = lo0;
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(words[0] + i), c0);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(words[1] + i), c1);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(words[2] + i), c2);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(words[3] + i), c3);
  }
  if (i < n) {
    PhiloxWords rest;
    philox_blocks_scalar(seed, stream, first_index + static_cast<std::uint32_t>(i), counter, n - i, rest);
    for (int w = 0; w < 4; ++w)
      for (std::size_t j = 0; j + i < n; ++j) words[w][i + j] = rest[w][j];
  }
}

}  // namespace micromeso::micro
