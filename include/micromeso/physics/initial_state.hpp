// Initial membrane potentials, one counter-based draw per neuron so that every
// backend starts from the same state.
#pragma once

#include <cstdint>

#include "micromeso/physics/host_device.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::physics {

enum class InitialKind : int { fixed = 0, normal = 1, uniform = 2 };

struct InitialPotentialParams {
  InitialKind kind;
  double a_mV;  // fixed: value; normal: mean; uniform: low
  double b_mV;  // normal: sd; uniform: high
};

MM_HD double initial_potential_mV(const InitialPotentialParams& p, std::uint64_t seed,
                                  std::uint32_t neuron) {
  if (p.kind == InitialKind::fixed) return p.a_mV;
  const Random4 r = philox4x32_10(seed, kStreamInitialV, neuron, 0);
  if (p.kind == InitialKind::normal) return p.a_mV + p.b_mV * box_muller(r.v[0], r.v[1]).z0;
  return p.a_mV + (p.b_mV - p.a_mV) * uniform_open(r.v[0]);
}

}  // namespace micromeso::physics
