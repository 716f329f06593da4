#include "meso/history_length.hpp"

#include <algorithm>
#include <cmath>

namespace micromeso::meso {

double adaptation_kernel_mV(const NeuronParams& n, double lag_ms) {
  double theta = 0.0;
  for (std::size_t j = 0; j < n.tau_sfa_ms.size(); ++j) theta += n.q_sfa_mV[j] * std::exp(-lag_ms / n.tau_sfa_ms[j]);
  return theta;
}

bool history_fits(const NeuronParams& n) {
  return std::abs(adaptation_kernel_mV(n, kMaxHistoryMs)) < kKernelCutoffInDeltaV * n.Delta_V_mV;
}

std::size_t history_length(const NeuronParams& n, double dt_ms) {
  const auto longest = static_cast<std::size_t>(std::llround(kMaxHistoryMs / dt_ms));
  const auto shortest = static_cast<std::size_t>(std::ceil(5.0 * n.tau_m_ms / dt_ms));
  // Downwards from the longest window, as NEST does: the kernel may change
  // sign (negative q_sfa), so the first lag from above that reaches the
  // cutoff decides, not the first from below.
  std::size_t k = longest;
  while (k > shortest && std::abs(adaptation_kernel_mV(n, double(k) * dt_ms)) < kKernelCutoffInDeltaV * n.Delta_V_mV)
    --k;
  const auto refractory = static_cast<std::size_t>(std::llround(n.t_ref_ms / dt_ms));
  return std::max(k, refractory + 2);
}

}  // namespace micromeso::meso
