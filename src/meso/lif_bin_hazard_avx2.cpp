// The AVX2 path of lif_bin_hazard_run (lif_bin_hazard.hpp). This file alone
// is compiled with -mavx2 -mfma (CMakeLists.txt); it runs only where the CPU
// has both.
#include <immintrin.h>
#include <sleef.h>

#include "meso/lif_bin_hazard.hpp"
#include "meso/lif_bin_lanes.hpp"
#include "meso/lif_bin_scalar_lanes.hpp"

namespace micromeso::meso {
namespace {

struct Avx2Lanes {
  using V = __m256d;
  using M = __m256d;  // all-ones lanes where true
  static constexpr std::size_t width = 4;
  static V set(double x) { return _mm256_set1_pd(x); }
  static V load(const double* p) { return _mm256_loadu_pd(p); }
  static void store(double* p, V x) { _mm256_storeu_pd(p, x); }
  static V add(V a, V b) { return _mm256_add_pd(a, b); }
  static V sub(V a, V b) { return _mm256_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  static V div(V a, V b) { return _mm256_div_pd(a, b); }
  static V sqrt(V a) { return _mm256_sqrt_pd(a); }
  static V max(V a, V b) { return _mm256_max_pd(a, b); }
  static V min(V a, V b) { return _mm256_min_pd(a, b); }
  static V floor(V a) { return _mm256_floor_pd(a); }
  using I = __m128i;
  static I index(V j) { return _mm256_cvttpd_epi32(j); }
  // The masked form with every lane on: the plain one passes an undefined
  // source that GCC 12 reports as maybe-uninitialized (its bug 105593).
  static V gather(const double* base, I i) {
    return _mm256_mask_i32gather_pd(_mm256_setzero_pd(), base, i, _mm256_castsi256_pd(_mm256_set1_epi64x(-1)), 8);
  }
  static bool any(M m) { return _mm256_movemask_pd(m) != 0; }
  static M gt(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
  static M lt(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
  static M eq(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
  static V select(M m, V a, V b) { return _mm256_blendv_pd(b, a, m); }
  static V exp(V a) { return Sleef_expd4_u10avx2(a); }
  static V expm1(V a) { return Sleef_expm1d4_u10avx2(a); }
  static V log(V a) { return Sleef_logd4_u10avx2(a); }
  static V erfc(V a) { return Sleef_erfcd4_u15avx2(a); }
};

}  // namespace

void lif_bin_hazard_run_avx2(const LifBinConstants& c, const LifBinNoise& noise, double drive_mV,
                             const LifBinRun& run) {
  LifBinLanes<Avx2Lanes>::run<ScalarLanes>(c, noise, drive_mV, run);
}

}  // namespace micromeso::meso
