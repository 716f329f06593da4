// The AVX-512 path of age_bin_run (bin_update.hpp). This file alone is
// compiled with -mavx512f (CMakeLists.txt); it runs only where the CPU has
// AVX-512F. The arithmetic is that of bin_update_avx2.cpp, eight lanes wide.
#include "meso/bin_update_avx512.hpp"

#include <immintrin.h>
#include <sleef.h>

#include "meso/escape_series.hpp"

namespace micromeso::meso {
namespace {

struct Lanes {
  __m512d W, Y, Z, M;
};

struct SeriesOps {
  static __m512d set(double x) { return _mm512_set1_pd(x); }
  static __m512d sub(__m512d a, __m512d b) { return _mm512_sub_pd(a, b); }
  static __m512d mul(__m512d a, __m512d b) { return _mm512_mul_pd(a, b); }
};

// Eight bins; `mask` selects the lanes that hold bins (the others load as 0,
// contribute 0 to the sums and are not stored).
template <bool kMasked>
inline void age_eight(const BinConstants& c, __m512d drive, __m512d threshold, double* u, double* m, double* v,
                      __mmask8 mask, Lanes& s) {
  const auto load = [&](const double* x) { return kMasked ? _mm512_maskz_loadu_pd(mask, x) : _mm512_loadu_pd(x); };
  const auto store = [&](double* x, __m512d value) {
    if constexpr (kMasked) _mm512_mask_storeu_pd(x, mask, value);
    else _mm512_storeu_pd(x, value);
  };
  const __m512d u_new = _mm512_add_pd(_mm512_mul_pd(load(u), _mm512_set1_pd(c.P22)), drive);
  const __m512d x = _mm512_mul_pd(_mm512_sub_pd(u_new, threshold), _mm512_set1_pd(c.inverse_Delta_V));
  // The step's hazard H and p = 1 - exp(-H): the series below kEscapeSeriesMaxH
  // (escape_series.hpp), SLEEF's exp for the lanes above.
  const __m512d H = _mm512_mul_pd(_mm512_set1_pd(c.h_lambda_0), Sleef_expd8_u10avx512f(x));
  __m512d p = escape_probability_short_series<SeriesOps>(H);
  const __mmask8 longer = _mm512_cmp_pd_mask(H, _mm512_set1_pd(kEscapeShortSeriesMaxH), _CMP_NLT_UQ);
  if (longer != 0) p = _mm512_mask_blend_pd(longer, p, escape_probability_series<SeriesOps>(H));
  __m512d q = _mm512_sub_pd(_mm512_set1_pd(1.0), p);
  const __mmask8 large = _mm512_cmp_pd_mask(H, _mm512_set1_pd(kEscapeSeriesMaxH), _CMP_NLT_UQ);
  if (large != 0) {
    const __m512d q_exp = Sleef_expd8_u10avx512f(_mm512_sub_pd(_mm512_setzero_pd(), H));
    q = _mm512_mask_blend_pd(large, q, q_exp);
    p = _mm512_mask_blend_pd(large, p, _mm512_sub_pd(_mm512_set1_pd(1.0), q_exp));
  }
  const __m512d mi = load(m), vi = load(v);
  s.W = _mm512_add_pd(s.W, _mm512_mul_pd(p, mi));
  s.Y = _mm512_add_pd(s.Y, _mm512_mul_pd(p, vi));
  s.Z = _mm512_add_pd(s.Z, vi);
  s.M = _mm512_add_pd(s.M, mi);
  store(u, u_new);
  store(v, _mm512_add_pd(_mm512_mul_pd(_mm512_mul_pd(q, q), vi), _mm512_mul_pd(p, mi)));
  store(m, _mm512_mul_pd(mi, q));
}

// A fixed pairwise order (not _mm512_reduce_add_pd, whose order is the
// compiler's), so a run is a pure function of its inputs on one machine.
double lane_sum(__m512d x) {
  alignas(64) double lane[8];
  _mm512_store_pd(lane, x);
  return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

}  // namespace

BinSums age_bin_run_avx512(const BinConstants& c, double drive_mV, const BinThresholds& threshold, double* u,
                           double* m, double* v, std::size_t count) {
  const __m512d drive = _mm512_set1_pd(drive_mV), common = _mm512_set1_pd(threshold.common_mV);
  Lanes s{_mm512_setzero_pd(), _mm512_setzero_pd(), _mm512_setzero_pd(), _mm512_setzero_pd()};
  const double* per_bin = threshold.per_bin_mV;
  std::size_t i = 0;
  for (; i + 8 <= count; i += 8)
    age_eight<false>(c, drive, per_bin ? _mm512_loadu_pd(per_bin + i) : common, u + i, m + i, v + i, 0xFF, s);
  if (i < count) {
    const __mmask8 mask = static_cast<__mmask8>((1u << (count - i)) - 1u);  // the low count - i lanes
    age_eight<true>(c, drive, per_bin ? _mm512_maskz_loadu_pd(mask, per_bin + i) : common, u + i, m + i, v + i, mask,
                    s);
  }
  return BinSums{lane_sum(s.W), lane_sum(s.Y), lane_sum(s.Z), lane_sum(s.M)};
}

}  // namespace micromeso::meso
