// The host backend: OpenMP threads own contiguous ranges of neurons for the
// update and share the spikes for their delivery; the synaptic events wait
// as lists by arrival slot (pending_events.hpp), or, were those to outgrow
// it, in a fixed-point delay ring buffer.
// Over MPI ranks it simulates the network's local neurons (Network::local),
// and the spikes of every rank arrive through a SpikeExchange once per
// interval; the ring then holds the local neurons only.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "micro/huge_page_buffer.hpp"
#include "micro/cpu/pending_events.hpp"
#include "micro/engine.hpp"
#include "micro/mpi/spike_exchange.hpp"
#include "micro/network.hpp"
#include "micro/population_setup.hpp"
#include "micromeso/physics/state_readout.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/physics/exp_synapse.hpp"

namespace micromeso::micro {

class CpuBackend final : public Backend {
 public:
  // `exchange`: null in a single process (each step's spikes are delivered
  // at once); over ranks, the exchange with the other ranks.
  CpuBackend(const Circuit& circuit, Network network, int threads, std::unique_ptr<SpikeExchange> exchange = nullptr);
  std::uint64_t simulate(std::uint64_t n_steps, StepObserver& observer,
                         const std::atomic<bool>* stop) override;
  const char* name() const override { return "cpu"; }
  std::uint64_t n_synapses() const override { return net_.n_synapses(); }
  std::uint64_t connectivity_bytes() const override { return net_.connectivity_bytes(); }
  const MemoryEstimate& memory_estimate() const override { return estimate_; }
  int threads() const override { return threads_; }
  NeuronReading read_neuron(std::uint64_t gid) const override;
  const Network& network() const { return net_; }
  // The pending events stay lists by arrival slot while they hold at most
  // `events` (default: as many as the dense ring has cells, so that the events
  // take no more memory than the ring); beyond, they go into the dense ring,
  // and back into lists once the events delivered over the last ring period
  // are fewer than a quarter of the limit (never for a limit below 4). The
  // spikes are the same either way.
  void limit_event_lists(std::uint64_t events) { list_limit_events_ = events; }
  std::uint64_t event_list_limit() const { return list_limit_events_; }
  bool uses_event_lists() const { return lists_mode_; }
  // Memory the pending events hold now: the lists' room, or the dense ring.
  std::uint64_t pending_event_bytes() const {
    return events_.capacity() * sizeof(PendingEvent) + ring_.size() * sizeof(physics::CurrentFixed);
  }
  std::uint64_t ring_slots() const { return ring_slots_; }

 private:
  // Thread t's neurons [begin, end): first the step's pending events onto
  // them (while the events are kept as lists), then their update.
  void update_range(int t, std::uint64_t begin, std::uint64_t end, std::uint64_t step,
                    std::vector<std::uint32_t>& spikes);
  template <int Kind>
  void update_population(std::size_t p, std::uint64_t lo, std::uint64_t hi, std::uint64_t step,
                         std::vector<std::uint32_t>& spikes);
  // The multimeters' values after the step's update.
  void read_probes(std::vector<double>& values) const;
  // The step's events into the ring: one thread adds them in order; several
  // share the spikes and add atomically. The integer sums are the same either
  // way (fixed_point.hpp).
  // While the events are kept as lists, each thread appends the events of its
  // share of the spikes to its own lists (pending_events.hpp).
  void deliver(const std::vector<std::uint32_t>& spikes, std::uint64_t step, int t, int nt);
  // The ring cells (two per local neuron) that the update of `step` reads.
  physics::CurrentFixed* input_cells(std::uint64_t step);
  // The lists laid out for `threads` threads: kept if they already are, else
  // the pending events go into the dense ring.
  void prepare_lists(int threads);
  // From lists to the dense ring: every pending event added there.
  void switch_to_ring();
  // From the dense ring back to lists laid out for `threads` threads: one
  // event per non-zero cell (the cell's sum: the same integer inputs).
  void switch_to_lists(int threads);
  // Before the delivery of `step`'s `events`: whether the lists can take
  // them without outgrowing the dense ring's memory (if not,
  // switch_to_ring()); in the ring, whether the events still in flight are
  // few enough to go back to lists (switch_to_lists(threads)).
  void make_room(std::uint64_t step, std::uint64_t events, int threads);
  // The synaptic events of these spikes.
  std::uint64_t events_of(const std::vector<std::uint32_t>& spikes) const;

  Network net_;
  int threads_;
  MemoryEstimate estimate_;
  std::uint64_t seed_;
  double dt_ms_;
  std::vector<PopulationSetup> pops_;
  std::vector<physics::MembraneState> state_;
  std::vector<std::vector<double>> aux_;  // per population, [k * size + local] (physics/neuron_models.hpp)
  // Pending events: lists by arrival slot (lists_mode_), or, after they
  // would have outgrown it, the dense ring.
  bool lists_mode_ = true;
  std::uint64_t list_limit_events_ = 0;
  // Events delivered at each of the last ring_slots_ steps ([step %
  // ring_slots_]) and their sum: an upper bound of the events in flight, as
  // none waits longer than the ring is long.
  std::vector<std::uint64_t> recent_events_;
  std::uint64_t recent_events_sum_ = 0;
  std::uint64_t recent_events_step_ = 0;  // the latest step in recent_events_
  PendingEvents events_;
  std::vector<physics::CurrentFixed> input_slot_;  // lists mode: [local neuron][receptor] of the step being updated
  HugePageBuffer<physics::CurrentFixed> ring_;  // [slot][local neuron][receptor], zeroed; slot = step % ring_slots_
  std::uint64_t ring_slots_ = 1;
  std::uint64_t next_step_ = 0;  // steps simulated so far
  std::vector<physics::StateProbe> probes_;
  std::unique_ptr<SpikeExchange> exchange_;
};

}  // namespace micromeso::micro
