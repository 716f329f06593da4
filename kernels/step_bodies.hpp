// The bodies of the per-step kernels, in stream order: UpdateNeurons (every
// population, Poisson input, spike compaction), RecordState (multimeters, only
// when the circuit has some), DeliverSpikes (into the delay ring), and EndChunk
// once after a chunk's last step. Over MPI ranks the delivery waits for the
// exchange: MarkStepEnd closes each step's spike list instead, and after the
// exchange DeliverExchanged delivers every rank's spikes, copied into the
// record from the host. Each is a
// __host__ __device__ function of an explicit ThreadIndex: the device runs it
// through run_body (cuda_launch.cuh), the emulator over its emulated grid
// (emulator/grid.hpp). No barrier inside, so any block order is valid.
#pragma once

#include <cstdint>

#include "kernels/atomics.hpp"
#include "kernels/delivery_spread.hpp"
#include "kernels/grid_index.hpp"
#include "kernels/step_args.hpp"

namespace micromeso::kernels {

// One thread per neuron; grid = pop_first_block[n_pops] blocks. What
// CpuBackend::update_range does for one neuron, through the same physics
// functions. Spiking neurons are appended to the chunk's record with one
// atomic each; their order is arbitrary and the host sorts each step's list.
struct UpdateNeurons {
  StepArgs a;
  std::uint32_t k;  // the step's place in the chunk

  MM_HD void operator()(const ThreadIndex& t) const {
    int p = 0;
    while (p + 1 < a.n_pops && t.block >= a.pop_first_block[p + 1]) ++p;
    const PopulationUpdate& pop = a.pops[p];
    const std::uint32_t local = pop.local_begin + (t.block - a.pop_first_block[p]) * t.block_dim + t.thread;
    if (local >= pop.local_end) return;
    const std::uint32_t gid = pop.first + local;
    const std::uint64_t step = *a.first_step + k;

    physics::CurrentFixed* cell = a.ring + (step & a.ring_mask) * 2ull * a.n_local + 2ull * (gid - a.local_first);
    physics::CurrentFixed in_ex = cell[0], in_in = cell[1];
    cell[0] = cell[1] = 0;
    if (pop.poisson.chunks != 0) {
      const std::uint32_t n = physics::poisson_count(pop.poisson, a.seed, gid, step);
      (pop.poisson_weight >= 0 ? in_ex : in_in) += static_cast<physics::CurrentFixed>(n) * pop.poisson_weight;
    }
    const double ex = physics::fixed_to_pA(in_ex), in = physics::fixed_to_pA(in_in);
    physics::MembraneState s = a.state[gid];
    double* aux = pop.aux + local;
    const auto stride = static_cast<long>(pop.size);
    // The model is the same for every thread of the block.
    const auto step_with = [&](const physics::ModelConstants& model) {
      return physics::visit_model(model.kind, [&](auto kind) {
        return physics::step_neuron<decltype(kind)::value>(model, s, aux, stride, ex, in, a.seed, gid, step, a.dt_ms);
      });
    };
    // A step current (the same branch for the whole block) needs a copy of the
    // constants with this step's amplitude, as CpuBackend::update_population.
    const bool spiked =
        pop.model.current.n == 0
            ? step_with(pop.model)
            : step_with(physics::with_input_current(pop.model, physics::scheduled_current_pA(pop.model.current, step)));
    a.state[gid] = s;
    if (spiked) a.record[atomic_add(a.record_total, 1u)] = gid;
  }
};

// Delivers the spikes record[begin .. end) of step k of the chunk. Any grid.
// The step's spiking sources have CSR segments of very different lengths, so
// the segments are laid end to end over the whole grid
// (delivery_spread.hpp): every thread gets about (step's synapses) / threads
// of them whatever the spike count, and consecutive threads read consecutive
// 8-byte records. Every thread walks the step's spike list; all threads of a
// warp read the same list entry and offsets at once (one broadcast load from
// L1). The additions are 64-bit integer atomics, so the ring holds the sums
// CpuBackend::deliver makes, in any order; the cell index is the CPU's:
// ring[((step + delay) & mask)][local target][receptor], receptor 1 for w < 0.
MM_HD void deliver_step(const StepArgs& a, std::uint32_t k, std::uint32_t begin, std::uint32_t end,
                        const ThreadIndex& t) {
  const auto me = static_cast<std::uint32_t>(t.global());
  const std::uint64_t step = *a.first_step + k;
  const std::uint64_t stride = 2ull * a.n_local;
  const auto threads = static_cast<std::uint32_t>(t.grid_threads());
  std::uint32_t rotation = 0;  // (summed length of earlier segments) mod threads
  for (std::uint32_t i = begin; i < end; ++i) {
    const std::uint32_t source = a.record[i];
    const std::uint64_t first = a.offsets[source];
    const auto length = static_cast<std::uint32_t>(a.offsets[source + 1] - first);
    for (std::uint32_t j = micro::first_synapse_of_thread(me, rotation, threads); j < length; j += threads) {
      const micro::PackedSynapse syn = a.synapses[first + j];
      const std::uint64_t cell = ((step + a.layout.delay_steps(syn)) & a.ring_mask) * stride +
                                 2ull * a.layout.target(syn) + (syn.weight < 0 ? 1 : 0);
      atomic_add_wrapping(a.ring + cell, syn.weight);
    }
    rotation = micro::next_rotation(rotation, length, threads);
  }
}

// Right after step k's update: its spikes are record[step_begin[k] ..
// record_total).
struct DeliverSpikes {
  StepArgs a;
  std::uint32_t k;

  MM_HD void operator()(const ThreadIndex& t) const {
    const std::uint32_t end = *a.record_total;  // this step's update has finished (stream order)
    if (t.global() == 0) a.step_begin[k + 1] = end;  // read by the next step's delivery, a later launch
    deliver_step(a, k, a.step_begin[k], end, t);
  }
};

// Over ranks, after the update of step k: one thread ends the step's list, as
// DeliverSpikes does, without delivering it.
struct MarkStepEnd {
  StepArgs a;
  std::uint32_t k;

  MM_HD void operator()(const ThreadIndex& t) const {
    if (t.global() == 0) a.step_begin[k + 1] = *a.record_total;
  }
};

// Over ranks, after the exchange: step k's spikes of every rank, which the
// host has copied to record[step_begin[k] .. step_begin[k + 1]).
struct DeliverExchanged {
  StepArgs a;
  std::uint32_t k;

  MM_HD void operator()(const ThreadIndex& t) const { deliver_step(a, k, a.step_begin[k], a.step_begin[k + 1], t); }
};

// One thread per multimeter probe, after the step's update: the value the
// CPU engine reads (CpuBackend::read_probes), into the chunk's buffer, which
// the host copies with the chunk's spikes.
struct RecordState {
  StepArgs a;
  std::uint32_t k;

  MM_HD void operator()(const ThreadIndex& t) const {
    const auto i = static_cast<std::uint32_t>(t.global());
    if (i >= a.n_probes) return;
    const physics::StateProbe pr = a.probes[i];
    const PopulationUpdate& pop = a.pops[pr.population];
    a.probe_values[static_cast<std::uint64_t>(k) * a.n_probes + i] =
        physics::read_state_variable(pop.model, a.state[pr.gid], pop.aux + (pr.gid - pop.first),
                                     static_cast<long>(pop.size), pr.variable) +
        pr.offset_mV;
  }
};

// One thread: advances the step counter by the chunk's steps and clears its
// spike count, so a replayed graph starts where the last chunk ended.
struct EndChunk {
  StepArgs a;
  std::uint32_t steps;

  MM_HD void operator()(const ThreadIndex& t) const {
    if (t.global() != 0) return;
    *a.first_step += steps;
    *a.record_total = 0;
  }
};

}  // namespace micromeso::kernels
