#include "micro/recorder.hpp"

#include <algorithm>
#include <cmath>

#include "micro/population_setup.hpp"

namespace micromeso::micro {
namespace {
constexpr std::size_t kFlushSpikes = 1 << 16;
// The spike file is flushed to disk every this many steps (0.8 s of
// biological time at dt 0.1 ms: a few seconds of a full-scale run), so that a
// full disk stops the run early rather than being found when the file is
// closed. A step count, not wall time: the file's layout then depends on the
// spikes only, and two runs with the same seed write the same bytes.
constexpr std::uint64_t kFileFlushSteps = 8192;

// Adds the seconds from construction to destruction to `total`.
class Stopwatch {
 public:
  explicit Stopwatch(double& total) : total_(total), start_(std::chrono::steady_clock::now()) {}
  ~Stopwatch() { total_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  Stopwatch(const Stopwatch&) = delete;
  Stopwatch& operator=(const Stopwatch&) = delete;

 private:
  double& total_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

Recorder::Recorder(const Circuit& circuit, NeuronRange local, SpikeWriter* spikes,
                   std::function<void(double)> progress, const std::atomic<bool>* interrupt)
    : circuit_(circuit),
      writer_(spikes),
      progress_(std::move(progress)),
      interrupt_(interrupt),
      state_(circuit, local) {
  const SimulationSpec& sim = circuit.simulation;
  dt_ms_ = sim.dt_ms;
  presim_steps_ = steps_of(sim.t_presim_ms, dt_ms_);
  sim_steps_ = steps_of(sim.t_sim_ms, dt_ms_);
  bin_steps_ = sim.record.activity_bin_ms > 0.0 ? steps_of(sim.record.activity_bin_ms, dt_ms_) : 1;
  progress_every_ = std::max<std::uint64_t>(1, total_steps() / 200);
  const std::uint64_t n_bins = (sim_steps_ + bin_steps_ - 1) / bin_steps_;
  first_.push_back(0);
  for (const Population& pop : circuit.populations) first_.push_back(first_.back() + pop.size);
  const std::size_t n_pops = circuit.populations.size();
  counts_.assign(n_pops, std::vector<double>(n_bins, 0.0));
  spike_counts_.assign(n_pops, 0);
  buffered_times_.resize(n_pops);
  buffered_ids_.resize(n_pops);
  const std::uint64_t n = first_.back();
  last_spike_.assign(n, -1);
  isi_count_.assign(n, 0);
  isi_sum_.assign(n, 0.0);
  isi_sum_sq_.assign(n, 0.0);
}

void Recorder::on_state(std::uint64_t step, const std::vector<double>& values) {
  const Stopwatch watch(recording_s_);
  state_.on_state(step, values);
}

void Recorder::on_step(std::uint64_t step, const std::vector<std::uint32_t>& spiking) {
  const Stopwatch watch(recording_s_);
  if (interrupt_ && interrupt_->load(std::memory_order_relaxed)) stop_.store(true, std::memory_order_relaxed);
  if (progress_ && (step % progress_every_ == 0 || step + 1 == total_steps()))
    progress_(static_cast<double>(step + 1) / static_cast<double>(total_steps()));
  if (step < presim_steps_) return;
  const std::uint64_t bin = (step - presim_steps_) / bin_steps_;
  const double time_ms = static_cast<double>(step + 1) * dt_ms_;
  std::size_t pop = 0;
  for (const std::uint32_t gid : spiking) {
    while (gid >= first_[pop + 1]) ++pop;  // spikes come in ascending gid order
    counts_[pop][bin] += 1.0;
    ++spike_counts_[pop];
    const auto s = static_cast<std::int64_t>(step);
    if (last_spike_[gid] >= 0) {
      const double isi = static_cast<double>(s - last_spike_[gid]);
      ++isi_count_[gid];
      isi_sum_[gid] += isi;
      isi_sum_sq_[gid] += isi * isi;
    }
    last_spike_[gid] = s;
    if (writer_) {
      buffered_times_[pop].push_back(time_ms);
      buffered_ids_[pop].push_back(gid - first_[pop]);
      ++buffered_;
    }
  }
  if (!writer_) return;
  const bool file_flush_due = (step + 1) % kFileFlushSteps == 0;
  if (buffered_ < kFlushSpikes && !file_flush_due) return;
  try {
    flush();
    if (file_flush_due) {
      const Stopwatch watch(writing_s_);
      writer_->flush();
    }
  } catch (...) {
    // An exception must not leave the engine's parallel region: keep it,
    // stop writing and ask the engine to stop.
    write_failure_ = std::current_exception();
    writer_ = nullptr;
    stop_.store(true, std::memory_order_relaxed);
  }
}

void Recorder::flush() {
  if (!writer_) return;
  const Stopwatch watch(writing_s_);
  for (std::size_t p = 0; p < buffered_times_.size(); ++p) {
    if (buffered_times_[p].empty()) continue;
    writer_->append(p, buffered_times_[p], buffered_ids_[p]);
    buffered_times_[p].clear();
    buffered_ids_[p].clear();
  }
  buffered_ = 0;
}

PopulationActivity Recorder::activity() const {
  PopulationActivity a;
  for (const Population& pop : circuit_.populations) {
    a.names.push_back(pop.name);
    a.sizes.push_back(pop.size);
  }
  a.bin_ms = static_cast<double>(bin_steps_) * dt_ms_;
  a.t_start_ms = static_cast<double>(presim_steps_) * dt_ms_;
  a.counts = counts_;
  return a;
}

std::optional<double> Recorder::mean_cv_isi(std::size_t population) const {
  double cv_sum = 0.0;
  std::uint64_t neurons = 0;
  for (std::uint64_t gid = first_[population]; gid < first_[population + 1]; ++gid) {
    if (isi_count_[gid] < 2) continue;
    const double n = isi_count_[gid];
    const double mean = isi_sum_[gid] / n;
    const double var = std::max(0.0, isi_sum_sq_[gid] / n - mean * mean) * n / (n - 1.0);
    cv_sum += std::sqrt(var) / mean;
    ++neurons;
  }
  if (neurons == 0) return std::nullopt;
  return cv_sum / static_cast<double>(neurons);
}

}  // namespace micromeso::micro
