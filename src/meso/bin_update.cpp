#include "meso/bin_update.hpp"

#include <sleef.h>

#include "meso/bin_update_avx2.hpp"
#include "meso/bin_update_avx512.hpp"
#include "meso/cpu_features.hpp"
#include "meso/escape_series.hpp"

namespace micromeso::meso {
namespace {

// The same arithmetic as one lane of age_bin_run_avx2 and age_bin_run_avx512.
void age_one_bin(const BinConstants& c, double drive_mV, double threshold_mV, double& u, double& m, double& v,
                 BinSums& s) {
  u = u * c.P22 + drive_mV;
  const double H = c.h_lambda_0 * Sleef_exp_u10((u - threshold_mV) * c.inverse_Delta_V);
  double p, q;
  if (H < kEscapeShortSeriesMaxH) {
    p = escape_probability_short_series<ScalarSeriesOps>(H);
    q = 1.0 - p;
  } else if (H < kEscapeSeriesMaxH) {
    p = escape_probability_series<ScalarSeriesOps>(H);
    q = 1.0 - p;
  } else {
    q = Sleef_exp_u10(-H);
    p = 1.0 - q;
  }
  s.W += p * m;
  s.Y += p * v;
  s.Z += v;
  s.M += m;
  v = q * q * v + p * m;
  m *= q;
}

}  // namespace

BinSums age_bin_run(const BinConstants& c, double drive_mV, const BinThresholds& threshold, double* u_mV, double* m,
                    double* v, std::size_t count) {
#ifdef MICROMESO_MESO_AVX512
  if (cpu_has_avx512f()) return age_bin_run_avx512(c, drive_mV, threshold, u_mV, m, v, count);
#endif
#ifdef MICROMESO_MESO_AVX2
  if (cpu_has_avx2_and_fma()) return age_bin_run_avx2(c, drive_mV, threshold, u_mV, m, v, count);
#endif
  return age_bin_run_scalar(c, drive_mV, threshold, u_mV, m, v, count);
}

BinSums age_bin_run_scalar(const BinConstants& c, double drive_mV, const BinThresholds& threshold, double* u_mV,
                           double* m, double* v, std::size_t count) {
  BinSums s;
  for (std::size_t i = 0; i < count; ++i) {
    const double theta = threshold.per_bin_mV ? threshold.per_bin_mV[i] : threshold.common_mV;
    age_one_bin(c, drive_mV, theta, u_mV[i], m[i], v[i], s);
  }
  return s;
}

}  // namespace micromeso::meso
