// The synapses of one projection of a circuit, as the engine draws them:
// for front ends that show a network's connections (micromeso.pynn's
// Projection.get, len(Projection)) without running it.
#pragma once

#include <cstdint>
#include <vector>

#include "micromeso/circuit.hpp"

namespace micromeso::micro {

struct ProjectionSynapses {
  std::vector<std::uint32_t> source, target;  // indices within the source and target populations
  std::vector<double> weight_pA, delay_ms;    // as stored (fixed-point weight, delay on the dt grid)
};

// Projection `index` of the (validated) circuit, ordered by source.
ProjectionSynapses projection_synapses(const Circuit& circuit, std::size_t index, int threads);

}  // namespace micromeso::micro
