#include "meso/history_length.hpp"

#include <algorithm>
#include <cmath>

namespace micromeso::meso {

double adaptation_kernel_mV(const NeuronParams& n, double lag_ms) {
  double theta = 0.0;
  for (std::size_t j = 0; j < n.tau_sfa_ms.size(); ++j) theta += n.q_sfa_mV[j] * std::exp(-lag_ms / n.tau_sfa_ms[j]);
  return theta;
}

std::size_t membrane_history_length(const NeuronParams& n, double dt_ms) {
  const auto membrane = static_cast<std::size_t>(std::ceil(5.0 * n.tau_m_ms / dt_ms));
  const auto refractory = static_cast<std::size_t>(std::llround(n.t_ref_ms / dt_ms));
  return std::max(membrane, refractory + 2);
}

bool history_fits(const NeuronParams& n) {
  return std::abs(adaptation_kernel_mV(n, kMaxHistoryMs)) < kKernelCutoffInDeltaV * n.Delta_V_mV;
}

std::size_t history_length(const NeuronParams& n, double dt_ms) {
  const auto longest = static_cast<std::size_t>(std::llround(kMaxHistoryMs / dt_ms));
  const std::size_t shortest = membrane_history_length(n, dt_ms);
  // Downwards from the longest window, as NEST does: the kernel may change
  // sign (negative q_sfa), so the first lag from above that reaches the
  // cutoff decides, not the first from below.
  std::size_t k = longest;
  while (k > shortest && std::abs(adaptation_kernel_mV(n, double(k) * dt_ms)) < kKernelCutoffInDeltaV * n.Delta_V_mV)
    --k;
  return std::max(k, shortest);
}

HistoryLayout history_layout(const NeuronParams& n, double dt_ms, double block_kernel_change_Delta_V) {
  const std::size_t K = history_length(n, dt_ms), fine = membrane_history_length(n, dt_ms);
  HistoryLayout all_fine{K, 1, 0};
  if (!(block_kernel_change_Delta_V > 0.0) || K <= fine) return all_fine;
  // Largest slope (mV per ms) of the kernel at ages >= fine, bounded term by term.
  double slope = 0.0;
  for (std::size_t j = 0; j < n.tau_sfa_ms.size(); ++j)
    slope += std::abs(n.q_sfa_mV[j]) / n.tau_sfa_ms[j] * std::exp(-double(fine) * dt_ms / n.tau_sfa_ms[j]);
  // Per step the fine bins number fine ... fine + B - 1 (B - 1 more while the
  // next block fills) and the blocks (K - fine) / B: on average
  // fine + (B - 1) / 2 + (K - fine) / B bins, least at B = sqrt(2 (K - fine)).
  const double accurate = std::floor(block_kernel_change_Delta_V * n.Delta_V_mV / (slope * dt_ms));
  const double steps = std::min(accurate, std::round(std::sqrt(2.0 * double(K - fine))));
  if (!(steps >= 2.0)) return all_fine;
  const auto B = static_cast<std::size_t>(steps);
  HistoryLayout blocked{fine, B, (K - fine + B - 1) / B};
  // Blocks pay only if they make fewer bins on average.
  const double mean_bins = double(blocked.fine) + 0.5 * double(B - 1) + double(blocked.blocks);
  return mean_bins < double(K) ? blocked : all_fine;
}

HistoryLayout membrane_block_layout(const NeuronParams& n, double dt_ms) {
  const std::size_t K = membrane_history_length(n, dt_ms);
  const HistoryLayout all_fine{K, 1, 0};
  for (double q : n.q_sfa_mV)
    if (q != 0.0) return all_fine;
  const auto refractory = static_cast<std::size_t>(std::llround(n.t_ref_ms / dt_ms));
  const auto B = static_cast<std::size_t>(std::llround(kMembraneBlockTauM * n.tau_m_ms / dt_ms));
  // Where the spread of the reset's offsets within a block falls to
  // kMembraneBlockSpreadDeltaV Delta_V (history_length.hpp), in tau_m.
  const double spread_at_reset_mV = std::abs(n.V_T_star_mV - n.V_reset_mV) *
                                    -std::expm1(-double(B) * dt_ms / n.tau_m_ms) / std::sqrt(12.0);
  const double free_tau_m = std::max(kMembraneFineMinTauM,
                                     std::log(spread_at_reset_mV / (kMembraneBlockSpreadDeltaV * n.Delta_V_mV)));
  const std::size_t fine =
      std::max(refractory + static_cast<std::size_t>(std::ceil(free_tau_m * n.tau_m_ms / dt_ms)), refractory + 2);
  if (B < 2 || fine >= K) return all_fine;
  HistoryLayout blocked{fine, B, (K - fine + B - 1) / B, true};
  const double mean_bins = double(blocked.fine) + 0.5 * double(B - 1) + double(blocked.blocks);
  return mean_bins < double(K) ? blocked : all_fine;
}

}  // namespace micromeso::meso
