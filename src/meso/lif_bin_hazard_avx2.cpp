// The AVX2 path of lif_bin_hazard_run (lif_bin_hazard.hpp). This file alone
// is compiled with -mavx2 -mfma (CMakeLists.txt); it runs only where the CPU
// has both.
#include <immintrin.h>
#include <sleef.h>

#include "meso/lif_bin_hazard.hpp"
#include "meso/lif_bin_lanes.hpp"

namespace micromeso::meso {
namespace {

struct Avx2Lanes {
  using V = __m256d;
  using M = __m256d;  // all-ones lanes where true
  static constexpr std::size_t width = 4;
  static V set(double x) { return _mm256_set1_pd(x); }
  static V load(const double* p) { return _mm256_loadu_pd(p); }
  static void store(double* p, V x) { _mm256_storeu_pd(p, x); }
  // The first n lanes (n < 4) from p, the others p[n - 1]; store the first n.
  static __m256i first(std::size_t n) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(n)), _mm256_setr_epi64x(0, 1, 2, 3));
  }
  static V load_n(const double* p, std::size_t n) {
    const __m256i m = first(n);
    return _mm256_blendv_pd(_mm256_set1_pd(p[n - 1]), _mm256_maskload_pd(p, m), _mm256_castsi256_pd(m));
  }
  static void store_n(double* p, V x, std::size_t n) { _mm256_maskstore_pd(p, first(n), x); }
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
  // Four rows of 4 doubles (32-byte aligned), transposed: c_k's lane l is row l's k-th.
  static void rows(const double* base, I i, V& c0, V& c1, V& c2, V& c3) {
    alignas(16) int at[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(at), i);
    const V r0 = _mm256_load_pd(base + 4 * at[0]), r1 = _mm256_load_pd(base + 4 * at[1]),
            r2 = _mm256_load_pd(base + 4 * at[2]), r3 = _mm256_load_pd(base + 4 * at[3]);
    const V t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);  // (r0,r1)[0], [2]; [1], [3]
    const V t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
    c0 = _mm256_permute2f128_pd(t0, t2, 0x20);
    c1 = _mm256_permute2f128_pd(t1, t3, 0x20);
    c2 = _mm256_permute2f128_pd(t0, t2, 0x31);
    c3 = _mm256_permute2f128_pd(t1, t3, 0x31);
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
  LifBinLanes<Avx2Lanes>::run(c, noise, drive_mV, run);
}

void lif_bin_hazard_runs_avx2(const LifBinSegment* segments, std::size_t count) {
  LifBinLanes<Avx2Lanes>::runs(segments, count);
}

}  // namespace micromeso::meso
