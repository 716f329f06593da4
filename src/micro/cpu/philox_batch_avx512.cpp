// The AVX-512 path of philox_blocks: sixteen blocks per vector, one 32-bit
// lane each. This file alone is compiled with -mavx512f (CMakeLists.txt); it
// runs only where the CPU has AVX-512F. Philox-4x32-10 as Random123 and
// physics::philox4x32_10 compute it (Salmon et al. 2011): ten rounds
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

}  // namespace

void philox_blocks_avx512(std::uint64_t seed, std::uint32_t stream, std::uint32_t first_index,
                          std::uint64_t counter, std::size_t n, PhiloxWords& words) {
  const __m512i m0 = _mm512_set1_epi64(0xD2511F53), m1 = _mm512_set1_epi64(0xCD9E8D57);
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512i c0 = _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(counter)));
    __m512i c1 = _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(counter >> 32)));
    __m512i c2 = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(first_index + static_cast<std::uint32_t>(i))), lane);
    __m512i c3 = _mm512_set1_epi32(static_cast<int>(stream));
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
    _mm512_storeu_si512(words[0] + i, c0);
    _mm512_storeu_si512(words[1] + i, c1);
    _mm512_storeu_si512(words[2] + i, c2);
    _mm512_storeu_si512(words[3] + i, c3);
  }
  if (i < n) {
    PhiloxWords rest;
    philox_blocks_scalar(seed, stream, first_index + static_cast<std::uint32_t>(i), counter, n - i, rest);
    for (int w = 0; w < 4; ++w)
      for (std::size_t j = 0; j + i < n; ++j) words[w][i + j] = rest[w][j];
  }
}

}  // namespace micromeso::micro
