// Arguments of the per-step kernel bodies (plain structs passed by value,
// device pointers inside). Plain C++ so the host side can fill them.
//
// A captured CUDA graph replays the same kernel parameters every chunk, so
// nothing here changes from chunk to chunk: the step number is read from the
// device counter *first_step (advanced by EndChunk) plus the step's place k
// in the chunk, a launch parameter baked in at capture.
#pragma once

#include <cstdint>

#include "kernels/synapse_layout.hpp"
#include "micromeso/physics/exp_synapse.hpp"
#include "micromeso/physics/fixed_point.hpp"
#include "micromeso/physics/neuron_models.hpp"
#include "micromeso/physics/poisson.hpp"
#include "micromeso/physics/state_readout.hpp"

namespace micromeso::kernels {

// Populations whose block ranges travel in the kernel arguments (StepArgs);
// a circuit with more is refused by the device backends (gpu_layout_problem).
inline constexpr int kMaxKernelPopulations = 64;

// One population's constants. Its neurons occupy whole blocks of the update
// grid (StepArgs::pop_first_block), so all threads of a block take the same
// model branch.
struct PopulationUpdate {
  std::uint32_t first, size;
  // The neurons of the population this device updates, [local_begin,
  // local_end) within it: all of them in a single process, the rank's share
  // over MPI ranks.
  std::uint32_t local_begin, local_end;
  physics::ModelConstants model;  // adaptation arrays in device memory
  physics::PoissonConstants poisson;
  physics::WeightFixed poisson_weight;
  double* aux;  // auxiliary values, [k * size + local] as on the CPU
};

struct StepArgs {
  const PopulationUpdate* pops;
  int n_pops;
  // Blocks [pop_first_block[p], pop_first_block[p + 1]) of the update grid
  // hold population p. In the arguments, not in device memory: the block's
  // population is then found without a chain of dependent global loads.
  std::uint32_t pop_first_block[kMaxKernelPopulations + 1];
  physics::MembraneState* state;
  physics::CurrentFixed* ring;  // [slot][local neuron][receptor], as CpuBackend::ring_
  std::uint64_t ring_mask;
  std::uint32_t n_neurons;
  // The neurons this device simulates: [local_first, local_first + n_local)
  // (every neuron in a single process); the ring and the synapses' targets
  // are indexed by gid - local_first.
  std::uint32_t local_first, n_local;
  const std::uint64_t* offsets;  // CSR by source, n_neurons + 1
  const micro::PackedSynapse* synapses;
  micro::SynapseLayout layout;
  // Spikes of the chunk, step after step: step k's are record[step_begin[k]
  // .. step_begin[k + 1]); record_total counts the chunk's spikes so far.
  std::uint32_t* record;
  std::uint32_t* step_begin;
  std::uint32_t* record_total;
  std::uint64_t* first_step;  // global step number of the chunk's first step
  // The multimeters' probes; step k of the chunk writes its values to
  // probe_values[k * n_probes ..] (RecordState).
  const physics::StateProbe* probes;
  std::uint32_t n_probes;
  double* probe_values;
  std::uint64_t seed;
  double dt_ms;
};

}  // namespace micromeso::kernels
