// Log-spectral distance between two Welch spectra, and what it would be by
// chance alone.
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "micromeso/analysis.hpp"

namespace micromeso::analysis {
namespace {

// trigamma(x) = d^2/dx^2 ln Gamma(x): recurrence up to x >= 6, then the
// asymptotic series (Abramowitz & Stegun 6.4.12).
double trigamma(double x) {
  double acc = 0.0;
  while (x < 6.0) {
    acc += 1.0 / (x * x);
    x += 1.0;
  }
  const double inv = 1.0 / x, inv2 = inv * inv;
  return acc + inv + inv2 / 2.0 + inv * inv2 * (1.0 / 6.0 - inv2 * (1.0 / 30.0 - inv2 * (1.0 / 42.0 - inv2 / 30.0)));
}

}  // namespace

SpectralDistance log_spectral_distance(const Spectrum& a, const Spectrum& b, double band_low_hz,
                                       double band_high_hz) {
  if (a.frequency_hz.size() != b.frequency_hz.size() || a.dt_s != b.dt_s)
    throw std::invalid_argument(fmt::format(
        "log_spectral_distance: the spectra have different frequency grids ({} and {} frequencies, dt {} and {} s); "
        "use the same bin width and segment length",
        a.frequency_hz.size(), b.frequency_hz.size(), a.dt_s, b.dt_s));
  const double db = 10.0 / std::log(10.0);
  SpectralDistance d;
  double sum_sq = 0.0;
  for (std::size_t k = 0; k < a.frequency_hz.size(); ++k) {
    const double f = a.frequency_hz[k];
    if (f < band_low_hz || f > band_high_hz || f <= 0.0) continue;
    if (!(a.power[k] > 0.0) || !(b.power[k] > 0.0)) continue;  // log undefined; nothing to compare
    const double r = db * std::log(a.power[k] / b.power[k]);
    sum_sq += r * r;
    ++d.frequencies;
  }
  if (d.frequencies == 0)
    throw std::invalid_argument(fmt::format("log_spectral_distance: no frequency with power in [{}, {}] Hz",
                                            band_low_hz, band_high_hz));
  d.lsd_db = std::sqrt(sum_sq / static_cast<double>(d.frequencies));
  // ln of a chi2(2K)/(2K) variable has variance trigamma(K); the difference
  // of two independent ones adds the variances.
  d.null_lsd_db = db * std::sqrt(trigamma(static_cast<double>(a.segments)) + trigamma(static_cast<double>(b.segments)));
  return d;
}

}  // namespace micromeso::analysis
