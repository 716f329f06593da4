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

// K in steps of dt: the shortest window beyond which |kernel| < 0.1 Delta_V,
// at least 5 tau_m, at most 20 s, and at least two steps longer than the
// refractory period (so that some bins can fire).
std::size_t history_length(const NeuronParams& neuron, double dt_ms);

}  // namespace micromeso::meso
