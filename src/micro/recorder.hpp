// Turns each step's spikes into the recorded outputs: population activity
// (counts per bin), the SONATA spike file, and per-neuron ISI statistics, all
// for the window after the pre-simulation; and the multimeters' values
// (StateRecorder) of the neurons in `local`. It times itself: the seconds
// spent recording and writing, which summary.json reports as outputs' cost.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <vector>

#include "micro/engine.hpp"
#include "micro/state_recorder.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/output.hpp"

namespace micromeso::micro {

class Recorder final : public StepObserver {
 public:
  // `spikes` may be null (--no-spikes, and the ranks other than 0).
  // progress(fraction) is called every ~1 % of the steps. `interrupt` (may
  // be null) is passed on to stop_flag(). The multimeters record the
  // neurons in `local` (this rank's).
  Recorder(const Circuit& circuit, NeuronRange local, SpikeWriter* spikes, std::function<void(double)> progress,
           const std::atomic<bool>* interrupt = nullptr);
  // Never throws: it runs inside the engine's parallel region. A failed
  // spike write is kept for rethrow_write_failure() and raises stop_flag().
  void on_step(std::uint64_t step, const std::vector<std::uint32_t>& spiking) override;
  void on_state(std::uint64_t step, const std::vector<double>& values) override;
  // The multimeters' recordings of the local neurons (empty without multimeters).
  const std::vector<StateReport>& state_reports() const { return state_.reports(); }
  // Seconds spent in on_step, on_state and flush (the spike file's writes
  // included), and in the spike file's writes alone.
  double recording_s() const { return recording_s_; }
  double writing_s() const { return writing_s_; }
  // Writes what is still buffered to the spike writer (throws on failure).
  void flush();
  // The engine's stop flag: the interrupt, or a spike write that failed.
  const std::atomic<bool>* stop_flag() const { return &stop_; }
  // Throws the spike write failure that stopped the run, if any.
  void rethrow_write_failure() const {
    if (write_failure_) std::rethrow_exception(write_failure_);
  }

  std::uint64_t total_steps() const { return presim_steps_ + sim_steps_; }
  PopulationActivity activity() const;
  std::uint64_t spike_count(std::size_t population) const { return spike_counts_[population]; }
  // Mean coefficient of variation of the inter-spike intervals over the
  // neurons of the population that have at least two intervals.
  std::optional<double> mean_cv_isi(std::size_t population) const;

 private:
  const Circuit& circuit_;
  SpikeWriter* writer_;
  std::function<void(double)> progress_;
  double dt_ms_;
  std::uint64_t presim_steps_, sim_steps_, bin_steps_, progress_every_;
  std::vector<std::uint64_t> first_;          // population first gid (+ total)
  std::vector<std::vector<double>> counts_;   // [population][bin]
  std::vector<std::uint64_t> spike_counts_;
  std::vector<std::vector<double>> buffered_times_;
  std::vector<std::vector<std::uint64_t>> buffered_ids_;
  std::size_t buffered_ = 0;
  // per neuron: last spike step (or -1), number of ISIs, sum and sum of squares (steps)
  std::vector<std::int64_t> last_spike_;
  std::vector<std::uint32_t> isi_count_;
  std::vector<double> isi_sum_, isi_sum_sq_;
  const std::atomic<bool>* interrupt_;
  std::atomic<bool> stop_{false};
  std::exception_ptr write_failure_;
  StateRecorder state_;
  double recording_s_ = 0.0, writing_s_ = 0.0;
};

}  // namespace micromeso::micro
