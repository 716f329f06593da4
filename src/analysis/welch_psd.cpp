// Welch's power spectral density with FFTW; normalisation in analysis.hpp.
#include <fftw3.h>

#include <cmath>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "micromeso/analysis.hpp"

namespace micromeso::analysis {
namespace {

struct FftwFree {
  void operator()(void* p) const { fftw_free(p); }
};
struct PlanDestroy {
  void operator()(fftw_plan_s* p) const { fftw_destroy_plan(p); }
};

}  // namespace

std::vector<double> activity_hz(const std::vector<double>& counts, std::uint64_t size, double bin_ms) {
  if (size == 0 || !(bin_ms > 0.0)) throw std::invalid_argument("activity_hz: size and bin_ms must be positive");
  std::vector<double> a(counts.size());
  const double per = 1.0 / (static_cast<double>(size) * bin_ms * 1e-3);
  for (std::size_t i = 0; i < counts.size(); ++i) a[i] = counts[i] * per;
  return a;
}

std::vector<double> rebin(const std::vector<double>& counts, std::size_t factor) {
  if (factor == 0) throw std::invalid_argument("rebin: factor must be >= 1");
  std::vector<double> out(counts.size() / factor, 0.0);
  for (std::size_t i = 0; i < out.size() * factor; ++i) out[i / factor] += counts[i];
  return out;
}

Spectrum welch_psd(const std::vector<double>& signal, double dt_s, std::size_t segment_length) {
  if (segment_length < 4)
    throw std::invalid_argument(fmt::format("welch_psd: segment length {} is below 4 samples", segment_length));
  if (signal.size() < segment_length)
    throw std::invalid_argument(fmt::format("welch_psd: the signal has {} samples, fewer than one segment of {}",
                                            signal.size(), segment_length));
  if (!(dt_s > 0.0)) throw std::invalid_argument("welch_psd: dt must be positive");
  const std::size_t L = segment_length, n_freq = L / 2 + 1;
  std::unique_ptr<double, FftwFree> in(static_cast<double*>(fftw_malloc(sizeof(double) * L)));
  std::unique_ptr<fftw_complex, FftwFree> out(static_cast<fftw_complex*>(fftw_malloc(sizeof(fftw_complex) * n_freq)));
  std::unique_ptr<fftw_plan_s, PlanDestroy> plan(
      fftw_plan_dft_r2c_1d(static_cast<int>(L), in.get(), out.get(), FFTW_ESTIMATE));

  // Hann window (periodic form, the one for spectral analysis).
  std::vector<double> window(L);
  double window_power = 0.0;
  for (std::size_t n = 0; n < L; ++n) {
    window[n] = 0.5 - 0.5 * std::cos(2.0 * M_PI * static_cast<double>(n) / static_cast<double>(L));
    window_power += window[n] * window[n];
  }

  Spectrum s;
  s.dt_s = dt_s;
  s.segments = signal.size() / L;
  s.power.assign(n_freq, 0.0);
  s.frequency_hz.resize(n_freq);
  for (std::size_t k = 0; k < n_freq; ++k) s.frequency_hz[k] = static_cast<double>(k) / (static_cast<double>(L) * dt_s);
  for (std::size_t seg = 0; seg < s.segments; ++seg) {
    const double* x = signal.data() + seg * L;
    double mean = 0.0;
    for (std::size_t n = 0; n < L; ++n) mean += x[n];
    mean /= static_cast<double>(L);
    for (std::size_t n = 0; n < L; ++n) in.get()[n] = (x[n] - mean) * window[n];
    fftw_execute(plan.get());
    for (std::size_t k = 0; k < n_freq; ++k) {
      const double re = out.get()[k][0], im = out.get()[k][1];
      s.power[k] += re * re + im * im;
    }
  }
  const double norm = dt_s / (window_power * static_cast<double>(s.segments));
  for (double& p : s.power) p *= norm;
  return s;
}

double chi_square_quantile(double probability, double k) {
  if (!(probability > 0.0 && probability < 1.0) || !(k > 0.0))
    throw std::invalid_argument("chi_square_quantile: probability must be in (0, 1) and k > 0");
  // Standard normal quantile by Acklam's rational approximation refined by
  // one Newton step on erfc (accurate to ~1e-12).
  const double p = probability;
  double z;
  {
    const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                        1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                        6.680131188771972e+01,  -1.328068155288572e+01};
    const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                        -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                        3.754408661907416e+00};
    const double lo = 0.02425;
    if (p < lo) {
      const double q = std::sqrt(-2 * std::log(p));
      z = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
          ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - lo) {
      const double q = p - 0.5, r = q * q;
      z = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
          (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
      const double q = std::sqrt(-2 * std::log(1 - p));
      z = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
          ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    const double e = 0.5 * std::erfc(-z / std::sqrt(2.0)) - p;
    z -= e * std::sqrt(2 * M_PI) * std::exp(z * z / 2);
  }
  // Wilson & Hilferty (1931): (X/k)^(1/3) is nearly normal.
  const double h = 2.0 / (9.0 * k);
  const double cube = 1.0 - h + z * std::sqrt(h);
  return k * cube * cube * cube;
}

std::pair<double, double> Spectrum::confidence_factors(double confidence) const {
  const double dof = 2.0 * static_cast<double>(segments);
  const double alpha = 1.0 - confidence;
  return {dof / chi_square_quantile(1.0 - alpha / 2.0, dof), dof / chi_square_quantile(alpha / 2.0, dof)};
}

}  // namespace micromeso::analysis
