// Synaptic weights are stored and summed as integers in units of
// 2^-kWeightFractionBits pA. Integer sums do not depend on the order of the
// additions, so a run is bit-for-bit the same whatever the thread count or
// the GPU's atomic ordering (DESIGN.md, "order-independent accumulation").
#pragma once

#include <cstdint>

#include "micromeso/physics/host_device.hpp"

namespace micromeso::physics {

inline constexpr int kWeightFractionBits = 14;                    // resolution 6.1e-5 pA
inline constexpr double kWeightUnitsPerPA = 16384.0;              // 2^14
inline constexpr double kMaxAbsWeightPA = 2147483647.0 / 16384.0; // int32 range: 131071.99 pA

using WeightFixed = std::int32_t;   // one synapse
using CurrentFixed = std::int64_t;  // a sum of synapses in one step

MM_HD double fixed_to_pA(CurrentFixed x) { return static_cast<double>(x) / kWeightUnitsPerPA; }

// Round to nearest; the caller has checked |w| <= kMaxAbsWeightPA.
MM_HD WeightFixed pA_to_fixed(double w_pA) {
  const double scaled = w_pA * kWeightUnitsPerPA;
  return static_cast<WeightFixed>(scaled >= 0.0 ? scaled + 0.5 : scaled - 0.5);
}

}  // namespace micromeso::physics
