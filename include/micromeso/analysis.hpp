// Analysis of recorded data (never of a running engine), so microscopic and
// mesoscopic runs are treated alike: population activity, power spectra,
// spike statistics, and the micro-vs-meso comparison metrics.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace micromeso::analysis {

// Population activity A(t) = count / (N * bin) in Hz.
std::vector<double> activity_hz(const std::vector<double>& counts, std::uint64_t size, double bin_ms);

// Sums `factor` consecutive bins (a coarser bin width); a partial last bin is dropped.
std::vector<double> rebin(const std::vector<double>& counts, std::size_t factor);

// Power spectral density of a signal sampled every dt, by Welch's method:
// the signal is cut into non-overlapping segments of `segment_length`
// samples, each segment's mean is removed, it is multiplied by a Hann window
// and transformed (FFTW); the periodograms are averaged.
//
// Normalisation: two-sided density, S(f) = dt / sum(w^2) * |sum_n w_n x_n
// exp(-2 pi i f n dt)|^2, reported for 0 <= f <= 1/(2 dt). With x in Hz and dt
// in s, S is in Hz^2/Hz = Hz (1/s). Parseval: sum over all L frequencies of
// S(f_k) * df equals mean(w^2 x^2) / mean(w^2). A population of N neurons
// firing as independent Poisson processes at rate r has the flat spectrum
// S(f) = r / N (the variance of A over dt, times dt).
struct Spectrum {
  std::vector<double> frequency_hz;
  std::vector<double> power;  // Hz (two-sided PSD of a signal in Hz)
  std::size_t segments = 0;   // periodograms averaged
  double dt_s = 0.0;
  // Under Gaussian statistics each averaged value is S * chi2(2K) / (2K),
  // K = segments (f = 0 and Nyquist: chi2(K) / K). Returns the factor pair
  // (lower, upper) such that [S_hat * lower, S_hat * upper] is the
  // two-sided `confidence` interval of the true S.
  std::pair<double, double> confidence_factors(double confidence = 0.95) const;
};

// Throws std::invalid_argument if the signal is shorter than one segment or
// segment_length < 4.
Spectrum welch_psd(const std::vector<double>& signal, double dt_s, std::size_t segment_length);

// Quantile of the chi-square distribution with k degrees of freedom
// (Wilson-Hilferty approximation, relative error below 1e-2 for k >= 4).
double chi_square_quantile(double probability, double k);

// Log-spectral distance in dB between two spectra on the same frequency
// grid, over band_low_hz <= f <= band_high_hz:
// sqrt(mean_f (10 log10(S_a(f) / S_b(f)))^2).
struct SpectralDistance {
  double lsd_db = 0.0;
  std::size_t frequencies = 0;
  // Expected distance if both spectra estimated the same S: each 10 log10
  // of a chi2(2K)/(2K) estimate has variance (10/ln 10)^2 trigamma(K).
  double null_lsd_db = 0.0;
};
SpectralDistance log_spectral_distance(const Spectrum& a, const Spectrum& b, double band_low_hz = 1.0,
                                       double band_high_hz = 200.0);

// Spike-train statistics of one population over a window [t0, t1) ms.
struct SpikeStatistics {
  double rate_hz = 0.0;                   // spikes / (size * duration)
  std::optional<double> cv_isi;           // mean CV of ISIs over neurons with >= 2 ISIs
  std::size_t neurons_with_cv = 0;
  std::optional<double> fano_factor;      // mean over neurons of var/mean of counts in windows
};
SpikeStatistics spike_statistics(const std::vector<double>& times_ms, const std::vector<std::uint64_t>& node_ids,
                                 std::uint64_t size, double t0_ms, double t1_ms, double fano_window_ms = 100.0);

// Two populations A and B competing (winner-take-all): the state in each bin
// is the population with more spikes (ties keep the state); the dwell times
// are the lengths of the completed epochs in each state, in ms (the first and
// the last epoch, cut by the recording, are left out). Use bins long enough
// to average out the fast fluctuations (e.g. 250 ms).
struct DwellTimes {
  std::vector<double> a_high_ms, b_high_ms;
};
DwellTimes dwell_times(const std::vector<double>& a_counts, const std::vector<double>& b_counts, double bin_ms);

}  // namespace micromeso::analysis
