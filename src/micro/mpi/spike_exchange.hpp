// The spike exchange of a run over several ranks (Morrison et al. 2005,
// "Advancing the boundaries of high-connectivity network simulation with
// distributed computing", Neural Comput. 17:1776): a spike of step k reaches
// its targets at step k + delay >= k + D, where D is the shortest delay of the
// circuit (min_delay_steps). So every rank simulates D steps of its own
// neurons without hearing from the others, then the ranks exchange the spikes
// of those D steps in one collective (an all-gather), and each rank delivers
// all of them into its own delay ring before step k + D is updated. Exchanging
// earlier (at the end of a simulate() call) is always allowed.
//
// Each rank sends one array of 32-bit words: [stop flag, steps, the count of
// each step, the ids of each step]. The engine's results do not depend on D
// or on the rank count: the ring holds integer sums, whatever their order.
#pragma once

#include <cstdint>
#include <vector>

#include "micro/mpi/communicator.hpp"

namespace micromeso::micro {

class SpikeExchange {
 public:
  // `interval_steps`: D, at least 1.
  SpikeExchange(parallel::Communicator& comm, std::uint32_t interval_steps);
  std::uint32_t interval_steps() const { return interval_; }
  // Whether the interval ends with `step` (steps counted from the run's start).
  bool due(std::uint64_t step) const { return (step + 1) % interval_ == 0; }
  // This rank's spikes of `step` (ascending ids); steps come in order.
  void add_local(std::uint64_t step, const std::vector<std::uint32_t>& spikes);
  // Exchanges the steps added since the last exchange. Returns whether any
  // rank asked to stop (`stop` here); then steps() and spikes(i) give every
  // rank's spikes of each step, ascending.
  bool exchange(bool stop);
  std::size_t steps() const { return n_steps_; }
  std::uint64_t step(std::size_t i) const { return first_step_ + i; }
  const std::vector<std::uint32_t>& spikes(std::size_t i) const { return global_[i]; }
  parallel::Communicator& communicator() { return comm_; }

 private:
  parallel::Communicator& comm_;
  std::uint32_t interval_;
  std::uint64_t first_step_ = 0;     // of the steps being collected / last exchanged
  std::size_t n_steps_ = 0;          // steps of the last exchange
  std::vector<std::uint32_t> counts_, ids_;  // local, being collected
  std::vector<std::uint32_t> send_, received_;
  std::vector<std::uint64_t> rank_words_;
  std::vector<std::vector<std::uint32_t>> global_;
};

}  // namespace micromeso::micro
