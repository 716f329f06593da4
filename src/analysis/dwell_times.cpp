// Dwell times of a two-population winner-take-all circuit in each attractor.
#include <stdexcept>

#include "micromeso/analysis.hpp"

namespace micromeso::analysis {

DwellTimes dwell_times(const std::vector<double>& a_counts, const std::vector<double>& b_counts, double bin_ms) {
  if (a_counts.size() != b_counts.size()) throw std::invalid_argument("dwell_times: series of different lengths");
  DwellTimes d;
  int state = 0;  // +1: A above B, -1: B above A; ties keep the state
  std::size_t start = 0;
  bool first = true;  // the first epoch began before the recording: censored, not counted
  for (std::size_t k = 0; k < a_counts.size(); ++k) {
    const int now = a_counts[k] > b_counts[k] ? 1 : (a_counts[k] < b_counts[k] ? -1 : state);
    if (now != state) {
      if (state != 0 && !first) (state > 0 ? d.a_high_ms : d.b_high_ms).push_back(double(k - start) * bin_ms);
      if (state != 0) first = false;
      state = now;
      start = k;
    }
  }
  return d;  // the last epoch is still running at the end: censored, not counted
}

}  // namespace micromeso::analysis
