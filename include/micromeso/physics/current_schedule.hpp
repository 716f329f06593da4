// NEST's step_current_generator on a population: a current that every neuron
// of the population receives on top of I_e, amplitude_values[j] (pA) from
// amplitude_times[j] on (0 before the first). A change at time t acts on the
// steps that start at or after t: from step t / dt on. The engines add the
// step's amplitude to the model's constant current once per population and
// step (CpuBackend) or per block (UpdateNeurons), never per neuron.
#pragma once

#include <cstdint>

#include "micromeso/physics/host_device.hpp"
#include "micromeso/physics/spike_generator.hpp"

namespace micromeso::physics {

// steps[0 .. n): ascending steps of the changes; amplitudes_pA[j] from steps[j] on.
struct CurrentScheduleConstants {
  const std::uint64_t* steps = nullptr;
  const double* amplitudes_pA = nullptr;
  std::uint64_t n = 0;
};

MM_HD double scheduled_current_pA(const CurrentScheduleConstants& c, std::uint64_t step) {
  const std::uint64_t after = first_not_below(c.steps, 0, c.n, step + 1);  // changes at or before step
  return after == 0 ? 0.0 : c.amplitudes_pA[after - 1];
}

}  // namespace micromeso::physics
