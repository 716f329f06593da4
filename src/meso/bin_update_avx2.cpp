// The AVX2 path of age_bin_run (bin_update.hpp). This file alone is compiled
// with -mavx2 -mfma (CMakeLists.txt); it runs only where the CPU has both.
#include "meso/bin_update_avx2.hpp"

#include <immintrin.h>
#include <sleef.h>

#include "meso/escape_series.hpp"

namespace micromeso::meso {
namespace {

struct Lanes {
  __m256d W, Y, Z, M;
};

struct SeriesOps {
  static __m256d set(double x) { return _mm256_set1_pd(x); }
  static __m256d sub(__m256d a, __m256d b) { return _mm256_sub_pd(a, b); }
  static __m256d mul(__m256d a, __m256d b) { return _mm256_mul_pd(a, b); }
};

// Four bins; `mask` selects the lanes that hold bins (the others load as 0,
// contribute 0 to the sums and are not stored).
template <bool kMasked>
inline void age_four(const BinConstants& c, __m256d drive, __m256d threshold, double* u, double* m, double* v,
                     __m256i mask, Lanes& s) {
  const auto load = [&](const double* x) { return kMasked ? _mm256_maskload_pd(x, mask) : _mm256_loadu_pd(x); };
  const auto store = [&](double* x, __m256d value) {
    if constexpr (kMasked) _mm256_maskstore_pd(x, mask, value);
    else _mm256_storeu_pd(x, value);
  };
  const __m256d u_new = _mm256_add_pd(_mm256_mul_pd(load(u), _mm256_set1_pd(c.P22)), drive);
  const __m256d x = _mm256_mul_pd(_mm256_sub_pd(u_new, threshold), _mm256_set1_pd(c.inverse_Delta_V));
  // The step's hazard H and p = 1 - exp(-H): the series below kEscapeSeriesMaxH
  // (escape_series.hpp), SLEEF's exp for the lanes above.
  const __m256d H = _mm256_mul_pd(_mm256_set1_pd(c.h_lambda_0), Sleef_expd4_u10avx2(x));
  __m256d p = escape_probability_short_series<SeriesOps>(H);
  const __m256d longer = _mm256_cmp_pd(H, _mm256_set1_pd(kEscapeShortSeriesMaxH), _CMP_NLT_UQ);
  if (_mm256_movemask_pd(longer) != 0) p = _mm256_blendv_pd(p, escape_probability_series<SeriesOps>(H), longer);
  __m256d q = _mm256_sub_pd(_mm256_set1_pd(1.0), p);
  const __m256d large = _mm256_cmp_pd(H, _mm256_set1_pd(kEscapeSeriesMaxH), _CMP_NLT_UQ);
  if (_mm256_movemask_pd(large) != 0) {
    const __m256d q_exp = Sleef_expd4_u10avx2(_mm256_sub_pd(_mm256_setzero_pd(), H));
    q = _mm256_blendv_pd(q, q_exp, large);
    p = _mm256_blendv_pd(p, _mm256_sub_pd(_mm256_set1_pd(1.0), q_exp), large);
  }
  const __m256d mi = load(m), vi = load(v);
  s.W = _mm256_add_pd(s.W, _mm256_mul_pd(p, mi));
  s.Y = _mm256_add_pd(s.Y, _mm256_mul_pd(p, vi));
  s.Z = _mm256_add_pd(s.Z, vi);
  s.M = _mm256_add_pd(s.M, mi);
  store(u, u_new);
  store(v, _mm256_add_pd(_mm256_mul_pd(_mm256_mul_pd(q, q), vi), _mm256_mul_pd(p, mi)));
  store(m, _mm256_mul_pd(mi, q));
}

double lane_sum(__m256d x) {
  alignas(32) double lane[4];
  _mm256_store_pd(lane, x);
  return (lane[0] + lane[1]) + (lane[2] + lane[3]);
}

}  // namespace

BinSums age_bin_run_avx2(const BinConstants& c, double drive_mV, const BinThresholds& threshold, double* u,
                         double* m, double* v, std::size_t count) {
  const __m256d drive = _mm256_set1_pd(drive_mV), common = _mm256_set1_pd(threshold.common_mV);
  const __m256i all = _mm256_set1_epi64x(-1);
  Lanes s{_mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd()};
  const double* per_bin = threshold.per_bin_mV;
  std::size_t i = 0;
  for (; i + 4 <= count; i += 4)
    age_four<false>(c, drive, per_bin ? _mm256_loadu_pd(per_bin + i) : common, u + i, m + i, v + i, all, s);
  if (i < count) {
    const long long left = static_cast<long long>(count - i);
    const __m256i mask = _mm256_cmpgt_epi64(_mm256_set1_epi64x(left), _mm256_set_epi64x(3, 2, 1, 0));
    age_four<true>(c, drive, per_bin ? _mm256_maskload_pd(per_bin + i, mask) : common, u + i, m + i, v + i, mask, s);
  }
  return BinSums{lane_sum(s.W), lane_sum(s.Y), lane_sum(s.Z), lane_sum(s.M)};
}

}  // namespace micromeso::meso
