// The per-step spike counts of population 0 of a mesoscopic run, and their
// statistics (shared by the meso tests).
#pragma once

#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

#include "micromeso/circuit.hpp"
#include "micromeso/meso.hpp"

namespace micromeso::testing {

struct Series {
  double mean = 0.0, variance = 0.0, batch_se = 0.0;
  double variance_se = 0.0;  // standard error of `variance`, from the batches' sample variances
};

// Mean and variance of the per-step counts after `skip` steps; the standard
// error of the mean from batches of `batch` steps (longer than the
// correlation time, so batch means are nearly independent).
inline Series run_counts(const Circuit& c, const meso::MesoOptions& o, std::size_t skip, std::size_t steps,
                  std::size_t batch = 2000) {
  meso::MesoSimulator sim(c, o);
  for (std::size_t k = 0; k < skip; ++k) sim.step();
  std::vector<double> x(steps);
  for (std::size_t k = 0; k < steps; ++k) {
    sim.step();
    x[k] = sim.spike_counts()[0];
  }
  Series s;
  s.mean = std::accumulate(x.begin(), x.end(), 0.0) / double(steps);
  for (double v : x) s.variance += (v - s.mean) * (v - s.mean);
  s.variance /= double(steps - 1);
  const std::size_t B = steps / batch;
  std::vector<double> means(B, 0.0);
  for (std::size_t b = 0; b < B; ++b)
    means[b] = std::accumulate(x.begin() + b * batch, x.begin() + (b + 1) * batch, 0.0) / double(batch);
  double var_b = 0.0;
  for (double m : means) var_b += (m - s.mean) * (m - s.mean);
  s.batch_se = std::sqrt(var_b / double(B - 1) / double(B));
  std::vector<double> variances(B, 0.0);
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t k = b * batch; k < (b + 1) * batch; ++k) variances[b] += (x[k] - means[b]) * (x[k] - means[b]);
    variances[b] /= double(batch - 1);
  }
  const double mean_variance = std::accumulate(variances.begin(), variances.end(), 0.0) / double(B);
  double var_v = 0.0;
  for (double v : variances) var_v += (v - mean_variance) * (v - mean_variance);
  s.variance_se = std::sqrt(var_v / double(B - 1) / double(B));
  return s;
}

}  // namespace micromeso::testing
