// The host backend: OpenMP threads own contiguous ranges of neurons for the
// update, and interleaved blocks of target neurons for the spike delivery
// into fixed-point delay ring buffers.
// Over MPI ranks it simulates the network's local neurons (Network::local),
// and the spikes of every rank arrive through a SpikeExchange once per
// interval; the ring then holds the local neurons only.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "micro/cpu/huge_page_buffer.hpp"
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

 private:
  void update_range(std::uint64_t begin, std::uint64_t end, std::uint64_t step,
                    std::vector<std::uint32_t>& spikes);
  template <int Kind>
  void update_population(std::size_t p, std::uint64_t lo, std::uint64_t hi, std::uint64_t step,
                         std::vector<std::uint32_t>& spikes);
  // The multimeters' values after the step's update.
  void read_probes(std::vector<double>& values) const;
  // One thread's events, kept for its second pass (deliver).
  struct DeliveryScratch {
    std::vector<std::uint64_t> cell;
    std::vector<physics::WeightFixed> weight;
  };
  // Thread t of nt delivers the events onto the targets it owns (owner_):
  // every thread reads every event, so this pays only for a few threads
  // (nt <= kMaxOwnerThreads); more threads share the spikes and add
  // atomically (deliver_shared). Both give the same integer sums.
  void deliver(const std::vector<std::uint32_t>& spikes, std::uint64_t step, int t, int nt, DeliveryScratch& own);
  void deliver_shared(const std::vector<std::uint32_t>& spikes, std::uint64_t step);
  // owner_ for nt threads.
  void deal_owners(int nt);
  static constexpr std::uint64_t kOwnerBlockNeurons = 64;  // 64 neurons: 1 KiB of a ring slot
  static constexpr std::uint64_t kDeliveryBatch = 8192;
  // Owned targets read nt times the synapse arrays of a step's spikes: at 2
  // threads that measured cheaper than atomic additions (docs/performance.md);
  // at many threads the extra memory traffic would cost more than the atomics
  // it saves (not measured here: a guess to be checked on a many-core node).
  static constexpr int kMaxOwnerThreads = 4;

  Network net_;
  int threads_;
  MemoryEstimate estimate_;
  std::uint64_t seed_;
  double dt_ms_;
  std::vector<PopulationSetup> pops_;
  std::vector<physics::MembraneState> state_;
  std::vector<std::vector<double>> aux_;  // per population, [k * size + local] (physics/neuron_models.hpp)
  HugePageBuffer<physics::CurrentFixed> ring_;  // [slot][local neuron][receptor], zeroed; slot = step % ring_slots_
  std::uint64_t ring_slots_ = 1;
  std::vector<std::uint16_t> owner_;  // the thread that delivers onto each block of kOwnerBlockNeurons local neurons
  std::uint64_t next_step_ = 0;  // steps simulated so far
  std::vector<physics::StateProbe> probes_;
  std::unique_ptr<SpikeExchange> exchange_;
};

}  // namespace micromeso::micro
