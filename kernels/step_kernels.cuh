// The kernels of one simulation step, in stream order: update_neurons (all
// populations, Poisson input, spike compaction), deliver_spikes (into the
// delay ring); end_chunk once after the chunk's last step.
#pragma once

#include <cstdint>

#include "kernels/step_args.hpp"

namespace micromeso::kernels {

// One thread per neuron; grid = sum over populations of ceil(size / kUpdateBlock).
__global__ void update_neurons(StepArgs args, std::uint32_t k);
// Any grid of kDeliverBlock threads; the step's synapses are spread over it.
__global__ void deliver_spikes(StepArgs args, std::uint32_t k);
// One thread: advances the step counter by `steps`, clears the spike count.
__global__ void end_chunk(StepArgs args, std::uint32_t steps);

}  // namespace micromeso::kernels
