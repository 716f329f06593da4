// The microscopic network as the engines hold it: neurons numbered
// population by population (global ids), synapses stored by source neuron in
// compressed-row form (offsets into target/weight/delay arrays).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "micro/huge_page_buffer.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/physics/fixed_point.hpp"

namespace micromeso::micro {

// The synapse arrays: written once by the builder (every element), kept in
// huge pages (huge_page_buffer.hpp).
template <typename T>
using RawArray = HugePageBuffer<T>;

// The neurons [first, last) (global ids) one rank simulates: the whole
// network in a single process; a contiguous share of it per MPI rank.
struct NeuronRange {
  std::uint64_t first = 0, last = 0;
  std::uint64_t size() const { return last - first; }
  bool contains(std::uint64_t gid) const { return gid >= first && gid < last; }
};

// Rank `rank`'s share of n neurons among `ranks`: contiguous, sizes differing
// by at most one, ascending with the rank (so that concatenating each rank's
// ascending spike ids in rank order gives an ascending list).
NeuronRange rank_neurons(std::uint64_t n, int rank, int ranks);

struct Network {
  std::vector<std::uint64_t> population_first;  // global id of each population's first neuron; back() = total
  // The neurons whose incoming synapses this network holds (post-synaptic
  // partition): every neuron in a single process.
  NeuronRange local;
  RawArray<std::uint64_t> synapse_offset;       // per source neuron (all of them), n_neurons + 1 entries
  RawArray<std::uint32_t> synapse_target;       // local id: global id - local.first
  RawArray<physics::WeightFixed> synapse_weight;
  RawArray<std::uint16_t> synapse_delay_steps;
  std::uint32_t max_delay_steps = 1;

  std::uint64_t n_neurons() const { return population_first.back(); }
  std::uint64_t n_synapses() const { return synapse_target.size(); }
  // Memory of the connectivity (synapse arrays and offsets), bytes.
  std::uint64_t connectivity_bytes() const;
  std::size_t population_of(std::uint64_t gid) const;
};

// What a network will need, known before building it.
struct MemoryEstimate {
  std::uint64_t expected_synapses = 0;
  std::uint64_t connectivity_bytes = 0;  // synapse arrays + offsets
  std::uint64_t build_scratch_bytes = 0; // per-thread counters during construction
  std::uint64_t state_bytes = 0;         // neuron state and delay ring buffers
  std::uint64_t total_bytes() const { return connectivity_bytes + build_scratch_bytes + state_bytes; }
};

std::uint32_t max_delay_steps(const Circuit& circuit);
// The shortest delay any synapse of the circuit can have, in steps (at least
// 1): a projection with a fixed delay has exactly its delay; a normal delay
// is drawn down to dt/2, which rounds to one step. Ranks exchange spikes once
// per this many steps (SpikeExchange); 1 for a circuit without projections.
std::uint32_t min_delay_steps(const Circuit& circuit);
// The CPU engine's pending synaptic events for `ring_slots` arrival slots
// and `n_local` neurons, at their largest: the event lists (cpu_backend.hpp)
// at their limit with their spare room, plus the dense delay ring while they
// move into it.
std::uint64_t cpu_pending_event_bytes(std::uint64_t ring_slots, std::uint64_t n_local);
// `local`: the neurons one rank simulates (none given: every neuron); its
// synapses are the expected share of each projection onto them.
MemoryEstimate estimate_cpu_memory(const Circuit& circuit, int threads, std::optional<NeuronRange> local = {});
// Memory the process may still use: MemAvailable, bounded by a cgroup limit.
std::uint64_t available_memory_bytes();
// Whether the estimate fits into 90 % of `available_bytes` (host or device):
// the rest is headroom for allocator rounding and what the estimate omits.
bool fits_in_memory(const MemoryEstimate& estimate, std::uint64_t available_bytes);
// "(S synapses: C GiB connectivity, X GiB <state_label>, B GiB construction
// scratch)": the parts of the need, as the host and device refusals state them.
std::string memory_breakdown(const MemoryEstimate& estimate, const std::string& state_label);
// Throws std::runtime_error naming the need and what is available when the
// estimate does not fit (fits_in_memory), ending with `advice`.
void check_memory_fits(const MemoryEstimate& estimate, const std::string& what, const std::string& advice,
                       std::uint64_t available_bytes = available_memory_bytes());
// How to make the circuit smaller: --scale/--k-scale for a built-in, the
// file's sizes for a circuit file (which refuses those options).
std::string size_advice(const Circuit& circuit);

// progress(fraction_done) is called from the calling thread now and then.
using ProgressFn = std::function<void(double)>;

// Builds connectivity on the CPU with `threads` OpenMP threads. The synapses
// are identical for any thread count (only their order within a source may
// differ, which integer accumulation makes irrelevant). With `local` (an MPI
// rank's neurons; none given: all) only the synapses onto those neurons are kept:
// exactly the whole network's synapses with a target in `local`, drawn from
// the same counters without any communication.
Network build_network(const Circuit& circuit, int threads, const ProgressFn& progress = {},
                      std::optional<NeuronRange> local = {});

}  // namespace micromeso::micro
