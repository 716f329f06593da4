// The AVX-512 path of lif_bin_hazard_run (lif_bin_hazard.hpp). This file
// alone is compiled with -mavx512f (CMakeLists.txt); it runs only where the
// CPU has it.
#include <immintrin.h>
#include <sleef.h>

#include "meso/lif_bin_hazard.hpp"
#include "meso/lif_bin_lanes.hpp"
#include "meso/lif_bin_scalar_lanes.hpp"

namespace micromeso::meso {
namespace {

struct Avx512Lanes {
  using V = __m512d;
  using M = __mmask8;
  static constexpr std::size_t width = 8;
  static V set(double x) { return _mm512_set1_pd(x); }
  static V load(const double* p) { return _mm512_loadu_pd(p); }
  static void store(double* p, V x) { _mm512_storeu_pd(p, x); }
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
  static V gather(const double* base, I i) { return _mm512_mask_i32gather_pd(_mm512_setzero_pd(), 0xFF, i, base, 8); }
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
  LifBinLanes<Avx512Lanes>::run<ScalarLanes>(c, noise, drive_mV, run);
}

}  // namespace micromeso::meso
