// NEST's spike_generator as a population: each of its "neurons" fires in the
// steps listed for it, and its spikes travel through the projections like any
// neuron's (same delay ring, same record), so a stimulus reaches its targets
// exactly as a source neuron's spike would. A spike at time t (ms, on the
// grid) is emitted in step t / dt - 1, the step that ends at t: like a neuron
// whose spike is stamped t, it arrives at a target through delay d in the
// step stamped t + d (NEST's timing of spike_generator events).
#pragma once

#include <cstdint>

#include "micromeso/physics/host_device.hpp"

namespace micromeso::physics {

// The trains of one population, in memory the engine owns (host vectors on
// the CPU, device memory on the GPU). Neuron `local` fires in the steps
// spike_steps[train_begin[local] .. train_begin[local + 1]), ascending and
// without repeats; train_begin is null when every neuron shares train 0,
// spike_steps[0 .. shared_spikes).
struct SpikeGeneratorConstants {
  const std::uint64_t* train_begin = nullptr;
  const std::uint64_t* spike_steps = nullptr;
  std::uint64_t shared_spikes = 0;
  std::uint32_t first_gid = 0;  // global id of the population's first neuron
};

// Whether neuron gid fires in `step`: a binary search of its train, so the
// generator keeps no state and any step can be asked (stateless, like the
// Philox draws).
MM_HD bool spike_generator_fires(const SpikeGeneratorConstants& c, std::uint32_t gid, std::uint64_t step) {
  const std::uint32_t local = gid - c.first_gid;
  const std::uint64_t end = c.train_begin ? c.train_begin[local + 1] : c.shared_spikes;
  std::uint64_t lo = c.train_begin ? c.train_begin[local] : 0, hi = end;
  while (lo < hi) {  // first entry >= step in [lo, hi)
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (c.spike_steps[mid] < step)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < end && c.spike_steps[lo] == step;
}

}  // namespace micromeso::physics
