// Rate, CV of inter-spike intervals and Fano factor of one population's
// spikes, from a SONATA spike list (any order).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "micromeso/analysis.hpp"

namespace micromeso::analysis {

SpikeStatistics spike_statistics(const std::vector<double>& times_ms, const std::vector<std::uint64_t>& node_ids,
                                 std::uint64_t size, double t0_ms, double t1_ms, double fano_window_ms) {
  if (times_ms.size() != node_ids.size()) throw std::invalid_argument("spike_statistics: times and ids differ in length");
  if (size == 0 || !(t1_ms > t0_ms)) throw std::invalid_argument("spike_statistics: empty population or window");
  // Sort the spikes by (neuron, time) once; every statistic is per neuron.
  std::vector<std::size_t> order;
  order.reserve(times_ms.size());
  for (std::size_t i = 0; i < times_ms.size(); ++i)
    if (times_ms[i] >= t0_ms && times_ms[i] < t1_ms) {
      if (node_ids[i] >= size) throw std::invalid_argument("spike_statistics: node id beyond the population size");
      order.push_back(i);
    }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return node_ids[a] != node_ids[b] ? node_ids[a] < node_ids[b] : times_ms[a] < times_ms[b];
  });

  SpikeStatistics st;
  st.rate_hz = static_cast<double>(order.size()) / (static_cast<double>(size) * (t1_ms - t0_ms) * 1e-3);

  double cv_sum = 0.0;
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin;
    while (end < order.size() && node_ids[order[end]] == node_ids[order[begin]]) ++end;
    if (end - begin >= 3) {  // at least two intervals
      const std::size_t intervals = end - begin - 1;
      double sum = 0.0, sum_sq = 0.0;
      for (std::size_t k = begin + 1; k < end; ++k) {
        const double isi = times_ms[order[k]] - times_ms[order[k - 1]];
        sum += isi;
        sum_sq += isi * isi;
      }
      const double mean = sum / intervals;
      // sample variance (n - 1), as the recorder's summary.json uses
      const double var = std::max(0.0, sum_sq / intervals - mean * mean) * intervals / (intervals - 1.0);
      if (mean > 0.0) {
        cv_sum += std::sqrt(var) / mean;
        ++st.neurons_with_cv;
      }
    }
    begin = end;
  }
  if (st.neurons_with_cv > 0) st.cv_isi = cv_sum / static_cast<double>(st.neurons_with_cv);

  // Fano factor: counts in consecutive windows of fano_window_ms, var/mean per
  // neuron, averaged over neurons that spiked at least once.
  const auto windows = static_cast<std::size_t>(std::floor((t1_ms - t0_ms) / fano_window_ms));
  if (windows >= 2) {
    std::vector<double> counts(windows);
    double fano_sum = 0.0;
    std::size_t neurons = 0;
    for (std::size_t begin = 0; begin < order.size();) {
      std::size_t end = begin;
      std::fill(counts.begin(), counts.end(), 0.0);
      while (end < order.size() && node_ids[order[end]] == node_ids[order[begin]]) {
        const auto w = static_cast<std::size_t>((times_ms[order[end]] - t0_ms) / fano_window_ms);
        if (w < windows) counts[w] += 1.0;
        ++end;
      }
      const double mean = std::accumulate(counts.begin(), counts.end(), 0.0) / windows;
      if (mean > 0.0) {
        double var = 0.0;
        for (double c : counts) var += (c - mean) * (c - mean);
        var /= static_cast<double>(windows - 1);
        fano_sum += var / mean;
        ++neurons;
      }
      begin = end;
    }
    if (neurons > 0) st.fano_factor = fano_sum / static_cast<double>(neurons);
  }
  return st;
}

}  // namespace micromeso::analysis
