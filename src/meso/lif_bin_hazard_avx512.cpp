// The AVX-512 path of lif_bin_hazard_run (lif_bin_hazard.hpp). This file
// alone is compiled with -mavx512f (CMakeLists.txt); it runs only where the
// CPU has it.
#include <immintrin.h>
#include <sleef.h>

#include "meso/lif_bin_hazard.hpp"
#include "meso/lif_bin_lanes.hpp"

namespace micromeso::meso {
namespace {

struct Avx512Lanes {
  using V = __m512d;
  using M = __mmask8;
  static constexpr std::size_t width = 8;
  static V set(double x) { return _mm512_set1_pd(x); }
  static V load(const double* p) { return _mm512_loadu_pd(p); }
  static void store(double* p, V x) { _mm512_storeu_pd(p, x); }
  // The first n lanes (n < 8) from p, the others p[n - 1]; store the first n.
  static V load_n(const double* p, std::size_t n) {
    return _mm512_mask_loadu_pd(_mm512_set1_pd(p[n - 1]), static_cast<__mmask8>((1u << n) - 1), p);
  }
  static void store_n(double* p, V x, std::size_t n) {
    _mm512_mask_storeu_pd(p, static_cast<__mmask8>((1u << n) - 1), x);
  }
  static V add(V a, V b) { return _mm512_add_pd(a, b); }
  static V sub(V a, V b) { return _mm512_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm512_mul_pd(a, b); }
  static V div(V a, V b) { return _mm512_div_pd(a, b); }
  // The zero-masked forms with every lane on: the plain ones pass an
  // undefined source that GCC 12 reports as maybe-uninitialized (its bug 105593).
  static V sqrt(V a) { return _mm512_maskz_sqrt_pd(0xFF, a); }
  static V max(V a, V b) { return _mm512_maskz_max_pd(0xFF, a, b); }
  static V min(V a, V b) { return _mm512_maskz_min_pd(0xFF, a, b); }
  static V floor(V a) { return _mm512_maskz_roundscale_pd(0xFF, a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
  using I = __m256i;
  static I index(V j) { return _mm512_maskz_cvttpd_epi32(0xFF, j); }
  // Eight rows of 4 doubles (32-byte aligned), transposed: c_k's lane l is
  // row l's k-th. Rows paired (0,2), (1,3), (4,6), (5,7) in 512-bit
  // registers, so that the in-lane unpacks and one 128-bit block shuffle per
  // output put the lanes in order. (Masked forms with every lane on, as above:
  // GCC bug 105593.)
  static void rows(const double* base, I i, V& c0, V& c1, V& c2, V& c3) {
    alignas(32) int at[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(at), i);
    const auto row = [&](int l) { return _mm256_load_pd(base + 4 * at[l]); };
    // Row a in the low half, row b in the high half (masked broadcasts: loads).
    const auto pair = [&](int a, int b) { return _mm512_mask_broadcast_f64x4(_mm512_maskz_broadcast_f64x4(0x0F, row(a)), 0xF0, row(b)); };
    const V z0 = pair(0, 2), z1 = pair(1, 3), z2 = pair(4, 6), z3 = pair(5, 7);
    // t0 = r0c0 r1c0 r0c2 r1c2 r2c0 r3c0 r2c2 r3c2; t1 the same with c1, c3.
    const V t0 = _mm512_maskz_unpacklo_pd(0xFF, z0, z1), t1 = _mm512_maskz_unpackhi_pd(0xFF, z0, z1);
    const V t2 = _mm512_maskz_unpacklo_pd(0xFF, z2, z3), t3 = _mm512_maskz_unpackhi_pd(0xFF, z2, z3);
    c0 = _mm512_maskz_shuffle_f64x2(0xFF, t0, t2, 0x88);  // blocks 0, 2 of t0, then of t2
    c1 = _mm512_maskz_shuffle_f64x2(0xFF, t1, t3, 0x88);
    c2 = _mm512_maskz_shuffle_f64x2(0xFF, t0, t2, 0xDD);  // blocks 1, 3
    c3 = _mm512_maskz_shuffle_f64x2(0xFF, t1, t3, 0xDD);
  }
  static bool any(M m) { return m != 0; }
  static M gt(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
  static M lt(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
  static M eq(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
  static V select(M m, V a, V b) { return _mm512_mask_blend_pd(m, b, a); }
  static V exp(V a) { return Sleef_expd8_u10avx512f(a); }
  static V expm1(V a) { return Sleef_expm1d8_u10avx512f(a); }
  static V log(V a) { return Sleef_logd8_u10avx512f(a); }
  static V erfc(V a) { return Sleef_erfcd8_u15avx512f(a); }
};

}  // namespace

void lif_bin_hazard_run_avx512(const LifBinConstants& c, const LifBinNoise& noise, double drive_mV,
                               const LifBinRun& run) {
  LifBinLanes<Avx512Lanes>::run(c, noise, drive_mV, run);
}

void lif_bin_hazard_runs_avx512(const LifBinSegment* segments, std::size_t count) {
  LifBinLanes<Avx512Lanes>::runs(segments, count);
}

}  // namespace micromeso::meso
