// The length K of the age history kept per population (reference
// meso-algorithm.md 3.3; the paper's Eq. 86 by NEST's comments): bins older
// than K steps form the "free" pool, whose membrane has forgotten the reset
// and whose threshold sees the adaptation kernel linearly (no quasi-renewal
// nonlinearity). Both are accurate only once the reset has decayed (5 tau_m)
// and the kernel is small against the escape noise (below 0.1 Delta_V).
#pragma once

#include <cstddef>

#include "micromeso/circuit.hpp"

namespace micromeso::meso {

// The longest history kept (NEST's gif_pop_psc_exp starts its search here).
inline constexpr double kMaxHistoryMs = 20000.0;
// The window ends where the summed adaptation kernel is below this many Delta_V.
inline constexpr double kKernelCutoffInDeltaV = 0.1;

// Summed adaptation kernel sum_j q_sfa[j] exp(-lag / tau_sfa[j]) (mV).
double adaptation_kernel_mV(const NeuronParams& neuron, double lag_ms);

// Whether the kernel falls below the cutoff within kMaxHistoryMs; if not, the
// quasi-renewal history cannot be sized (check_meso_circuit refuses it).
bool history_fits(const NeuronParams& neuron);

// Steps after a spike until the reset is forgotten (5 tau_m) and past the
// refractory period by two steps (so that some bins can fire): the history
// without adaptation, and the part of it that is always kept per step.
std::size_t membrane_history_length(const NeuronParams& neuron, double dt_ms);

// K in steps of dt: the shortest window beyond which |kernel| < 0.1 Delta_V,
// at least 5 tau_m, at most 20 s, and at least two steps longer than the
// refractory period (so that some bins can fire).
std::size_t history_length(const NeuronParams& neuron, double dt_ms);

// How the K steps of history are stored. The youngest `fine` ages (at least
// 5 tau_m and past the refractory period: where the reset is still felt) keep
// one bin per step, as in the paper. Older ages, where only the slowly
// decaying adaptation kernel still tells them apart, may be grouped in
// `blocks` bins of `block_steps` consecutive ages each (population_equation.hpp
// describes the update): K = fine + blocks * block_steps >= history_length.
// block_steps = 1 (no blocks) is the paper's algorithm.
struct HistoryLayout {
  std::size_t fine = 0;
  std::size_t block_steps = 1;
  std::size_t blocks = 0;
  // Blocks that start before the reset is forgotten (membrane_block_layout):
  // each carries the spread of its members' potentials.
  bool membrane_blocks = false;
  std::size_t total() const { return fine + block_steps * blocks; }
};

// A block spans ages over which the kernel changes by at most
// block_kernel_change_Delta_V times Delta_V (bounded by the kernel's slope at
// the first blocked age), and over at most sqrt(2 (K - fine)) steps, the
// length with the fewest bins on average (fine + (B - 1) / 2 + (K - fine) /
// B). Within a block the age dependence is replaced by
// block averages, whose error is of second order in this change
// (population_equation.hpp). All fine where that is 0, the kernel is zero, or
// blocks would not save bins.
HistoryLayout history_layout(const NeuronParams& neuron, double dt_ms, double block_kernel_change_Delta_V);

// Populations without adaptation: ages are grouped in blocks of
// kMembraneBlockTauM tau_m up to (at least) the membrane history of
// membrane_history_length, from the age on where the reset's offsets within a
// block are small against the escape noise (docs/meso-model.md, "Blocks of
// young ages"): a block's members sit (V - V_reset) exp(-a / tau_m) below the
// free potential, a spread of at most (1 - exp(-B dt / tau_m)) / sqrt(12)
// times that over a block of B steps (evenly filled); taking V - V_reset as the
// threshold's distance V_T* - V_reset, blocks start where that is at most
// kMembraneBlockSpreadDeltaV Delta_V, and not before t_ref + kMembraneFineMinTauM
// tau_m (nor before two steps past t_ref, so that some fine bins fire). Each block is a mixture of ages whose potentials differ
// (population_equation.hpp). The window ends fine + blocks * block_steps >=
// membrane_history_length steps back. All fine where the neuron adapts or
// blocks would not save bins.
inline constexpr double kMembraneBlockTauM = 0.25, kMembraneFineMinTauM = 0.0, kMembraneBlockSpreadDeltaV = 0.2;
HistoryLayout membrane_block_layout(const NeuronParams& neuron, double dt_ms);

}  // namespace micromeso::meso
