// Batch means: the mean of a correlated series and the standard error of
// that mean, from the means of consecutive batches longer than the series'
// correlation time (so that the batch means are nearly independent).
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

namespace micromeso::testing {

struct MeanAndSe {
  double mean = 0.0, se = 0.0;
};

// Over the whole batches of `batch` values (a remainder at the end is left
// out); needs at least two batches.
inline MeanAndSe batch_mean_and_se(const std::vector<double>& series, std::size_t batch) {
  const std::size_t B = series.size() / batch;
  std::vector<double> means(B, 0.0);
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t k = 0; k < batch; ++k) means[b] += series[b * batch + k] / double(batch);
  MeanAndSe r;
  for (double m : means) r.mean += m / double(B);
  double var = 0.0;
  for (double m : means) var += (m - r.mean) * (m - r.mean);
  r.se = std::sqrt(var / double(B - 1) / double(B));
  return r;
}

}  // namespace micromeso::testing
