// The device engine's driver, written once over a runtime: allocation, the
// setup copies, network construction, the chunk loop with graph capture and
// replay, the step counter and the spike copy-back. CudaRuntime
// (cuda_runtime.cuh) runs it on a device; EmulatedRuntime
// (emulator/emulated_runtime.hpp) on the CPU, over the same kernel bodies.
//
// A Runtime provides: Buffer<T> and HostBuffer<T> (data, size, bytes);
// make_current, properties, free_bytes; upload, download (synchronous),
// copy_to_host_async, copy_on_device_async, zero_async, synchronize;
// launch(grid, block, body); prepare<Body>() (load the kernel before any
// capture); exclusive_scan_async; Graph, capture(enqueue), replay(graph); and
// kGraphs (whether whole chunks are captured and replayed).
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "kernels/build_bodies.hpp"
#include "kernels/device_engine.hpp"
#include "kernels/step_bodies.hpp"

namespace micromeso::kernels {

template <class Runtime>
class EngineDriver final : public DeviceEngine {
  template <class T>
  using Buffer = typename Runtime::template Buffer<T>;
  template <class T>
  using HostBuffer = typename Runtime::template HostBuffer<T>;

 public:
  template <class... RuntimeArgs>
  explicit EngineDriver(const EngineConfig& config, RuntimeArgs&&... runtime_args);

  void build_network(const std::vector<DeviceProjection>& projections,
                     const std::function<void(double)>& progress) override;
  SpikeChunk run_chunk(std::uint32_t steps) override;
  SpikeChunk run_undelivered(std::uint32_t steps) override;
  void deliver_exchanged(const std::uint32_t* spikes, const std::uint32_t* step_begin, std::uint32_t steps) override;

  const DeviceProperties& properties() const override { return runtime_.properties(); }
  std::uint64_t n_synapses() const override { return synapses_.size(); }
  std::uint64_t connectivity_bytes() const override { return offsets_.bytes() + synapses_.bytes(); }
  void download_connectivity(std::vector<std::uint64_t>& offsets,
                             std::vector<micro::PackedSynapse>& synapses) const override;
  std::vector<physics::MembraneState> download_state() const override;

 private:
  StepArgs step_args() const;
  void enqueue_steps(std::uint32_t steps);  // the kernels of `steps` steps + EndChunk
  void enqueue_update(const StepArgs& a, std::uint32_t k);  // step k's neuron update and state recording
  SpikeChunk copy_chunk_to_host(std::uint32_t steps);

  // First member: made first, destroyed last (after the buffers and graph).
  mutable Runtime runtime_;
  EngineConfig config_;
  typename Runtime::Graph graph_;  // chunk_steps steps, captured at the first full chunk
  bool have_graph_ = false;
  std::uint32_t update_blocks_ = 0, deliver_blocks_ = 0;
  std::uint32_t pop_first_block_[kMaxKernelPopulations + 1] = {};
  std::uint64_t ring_mask_ = 0;

  Buffer<PopulationUpdate> pops_;
  Buffer<double> sfa_, aux_;  // sfa_: adaptation constants and step-current amplitudes
  Buffer<std::uint64_t> trains_;  // stimulus tables and step-current steps, one population after another
  Buffer<physics::MembraneState> state_;
  Buffer<physics::CurrentFixed> ring_;
  Buffer<std::uint64_t> offsets_;
  Buffer<micro::PackedSynapse> synapses_;
  Buffer<std::uint32_t> record_, step_begin_, record_total_;
  Buffer<std::uint64_t> first_step_;
  Buffer<physics::StateProbe> probes_;
  Buffer<double> probe_values_;  // [k][probe] of a chunk
  HostBuffer<std::uint32_t> host_record_, host_step_begin_;
  HostBuffer<double> host_probe_values_;
};

template <class Runtime>
template <class... RuntimeArgs>
EngineDriver<Runtime>::EngineDriver(const EngineConfig& c, RuntimeArgs&&... runtime_args)
    : runtime_(std::forward<RuntimeArgs>(runtime_args)...), config_(c) {
  if (c.chunk_steps == 0) throw std::invalid_argument("device engine: chunk_steps must be positive");
  if (c.initial_state.size() != c.n_neurons)
    throw std::invalid_argument("device engine: one initial state per neuron expected");
  if (c.populations.size() > static_cast<std::size_t>(kMaxKernelPopulations))
    throw std::invalid_argument("device engine: at most " + std::to_string(kMaxKernelPopulations) +
                                " populations, not " + std::to_string(c.populations.size()));
  const GridShape& g = c.grid;
  if (g.update_block == 0 || g.deliver_block == 0 || g.deliver_blocks_per_sm == 0 || g.build_block == 0)
    throw std::invalid_argument("device engine: every block size and block count must be positive");
  const std::uint64_t n = c.n_neurons;
  if (config_.n_local == 0) config_.n_local = c.n_neurons;
  if (std::uint64_t{config_.local_first} + config_.n_local > n)
    throw std::invalid_argument("device engine: the local neurons lie beyond the network");
  const std::uint64_t local_first = config_.local_first, local_last = local_first + config_.n_local;

  // Populations: constants, adaptation arrays, stimulus tables and auxiliary
  // state (as CpuBackend::aux_).
  std::size_t sfa_count = 0, aux_count = 0, train_count = 0;
  for (const DevicePopulation& p : c.populations) {
    sfa_count += p.sfa_decay.size() + p.q_sfa_mV.size() + p.current_pA.size();
    aux_count += p.initial_aux.size();
    train_count += p.stimulus_table.size() + p.current_steps.size();
  }
  sfa_ = Buffer<double>(sfa_count);
  aux_ = Buffer<double>(aux_count);
  trains_ = Buffer<std::uint64_t>(train_count);
  std::vector<double> sfa_host, aux_host;
  std::vector<std::uint64_t> trains_host;
  std::vector<PopulationUpdate> updates;
  std::uint32_t block = 0;
  for (std::size_t i = 0; i < c.populations.size(); ++i) {
    const DevicePopulation& p = c.populations[i];
    PopulationUpdate u{};
    u.first = p.first;
    u.size = p.size;
    // The population's local neurons (none: an empty range at its start).
    const std::uint64_t begin = std::clamp<std::uint64_t>(local_first, p.first, std::uint64_t{p.first} + p.size);
    const std::uint64_t end = std::clamp<std::uint64_t>(local_last, begin, std::uint64_t{p.first} + p.size);
    u.local_begin = static_cast<std::uint32_t>(begin - p.first);
    u.local_end = static_cast<std::uint32_t>(end - p.first);
    pop_first_block_[i] = block;
    block += static_cast<std::uint32_t>((end - begin + g.update_block - 1) / g.update_block);
    u.model = p.model;
    u.model.gif.sfa_decay = u.model.pp.sfa_decay = sfa_.data() + sfa_host.size();
    sfa_host.insert(sfa_host.end(), p.sfa_decay.begin(), p.sfa_decay.end());
    u.model.gif.q_sfa_mV = u.model.pp.q_sfa_mV = sfa_.data() + sfa_host.size();
    sfa_host.insert(sfa_host.end(), p.q_sfa_mV.begin(), p.q_sfa_mV.end());
    u.model.generator.table = u.model.poisson_generator.table = trains_.data() + trains_host.size();
    trains_host.insert(trains_host.end(), p.stimulus_table.begin(), p.stimulus_table.end());
    u.model.current.steps = trains_.data() + trains_host.size();
    trains_host.insert(trains_host.end(), p.current_steps.begin(), p.current_steps.end());
    u.model.current.amplitudes_pA = sfa_.data() + sfa_host.size();
    sfa_host.insert(sfa_host.end(), p.current_pA.begin(), p.current_pA.end());
    u.aux = aux_.data() + aux_host.size();
    aux_host.insert(aux_host.end(), p.initial_aux.begin(), p.initial_aux.end());
    u.poisson = p.poisson;
    u.poisson_weight = p.poisson_weight;
    updates.push_back(u);
  }
  pop_first_block_[c.populations.size()] = block;
  update_blocks_ = block;
  pops_ = Buffer<PopulationUpdate>(updates.size());
  runtime_.upload(pops_.data(), updates.data(), updates.size());
  runtime_.upload(sfa_.data(), sfa_host.data(), sfa_host.size());
  runtime_.upload(aux_.data(), aux_host.data(), aux_host.size());
  runtime_.upload(trains_.data(), trains_host.data(), trains_host.size());

  state_ = Buffer<physics::MembraneState>(n);
  runtime_.upload(state_.data(), c.initial_state.data(), n);
  std::uint64_t slots = 1;  // as CpuBackend: a power of two above the longest delay
  while (slots < c.max_delay_steps + 1ull) slots *= 2;
  ring_mask_ = slots - 1;
  ring_ = Buffer<physics::CurrentFixed>(slots * config_.n_local * 2);
  runtime_.zero_async(ring_.data(), ring_.bytes());

  // A neuron spikes at most once per step: n per step can never overflow.
  record_ = Buffer<std::uint32_t>(n * c.chunk_steps);
  step_begin_ = Buffer<std::uint32_t>(c.chunk_steps + 1);
  record_total_ = Buffer<std::uint32_t>(1);
  first_step_ = Buffer<std::uint64_t>(1);
  runtime_.zero_async(step_begin_.data(), step_begin_.bytes());
  runtime_.zero_async(record_total_.data(), record_total_.bytes());
  runtime_.zero_async(first_step_.data(), first_step_.bytes());
  host_record_ = HostBuffer<std::uint32_t>(n * c.chunk_steps);
  host_step_begin_ = HostBuffer<std::uint32_t>(c.chunk_steps + 1);
  probes_ = Buffer<physics::StateProbe>(c.probes.size());
  runtime_.upload(probes_.data(), c.probes.data(), c.probes.size());
  probe_values_ = Buffer<double>(c.probes.size() * c.chunk_steps);
  host_probe_values_ = HostBuffer<double>(c.probes.size() * c.chunk_steps);
  const int sms = runtime_.properties().multiprocessors;
  deliver_blocks_ = static_cast<std::uint32_t>(sms > 0 ? sms : 1) * g.deliver_blocks_per_sm;
  config_.initial_state.clear();  // uploaded; the copy is not needed any more
  config_.initial_state.shrink_to_fit();
  // Load the step kernels now: lazy loading inside a graph capture is what
  // the first device run must not depend on.
  runtime_.template prepare<UpdateNeurons>();
  runtime_.template prepare<DeliverSpikes>();
  runtime_.template prepare<MarkStepEnd>();
  runtime_.template prepare<DeliverExchanged>();
  runtime_.template prepare<RecordState>();
  runtime_.template prepare<EndChunk>();
  runtime_.synchronize();
}

template <class Runtime>
StepArgs EngineDriver<Runtime>::step_args() const {
  StepArgs a{};
  a.pops = pops_.data();
  a.n_pops = static_cast<int>(pops_.size());
  for (int p = 0; p <= a.n_pops; ++p) a.pop_first_block[p] = pop_first_block_[p];
  a.state = state_.data();
  a.ring = ring_.data();
  a.ring_mask = ring_mask_;
  a.n_neurons = config_.n_neurons;
  a.local_first = config_.local_first;
  a.n_local = config_.n_local;
  a.offsets = offsets_.data();
  a.synapses = synapses_.data();
  a.layout = config_.layout;
  a.record = record_.data();
  a.step_begin = step_begin_.data();
  a.record_total = record_total_.data();
  a.first_step = first_step_.data();
  a.probes = probes_.data();
  a.n_probes = static_cast<std::uint32_t>(probes_.size());
  a.probe_values = probe_values_.data();
  a.seed = config_.seed;
  a.dt_ms = config_.dt_ms;
  return a;
}

template <class Runtime>
void EngineDriver<Runtime>::enqueue_update(const StepArgs& a, std::uint32_t k) {
  if (update_blocks_ > 0) runtime_.launch(update_blocks_, config_.grid.update_block, UpdateNeurons{a, k});
  if (a.n_probes > 0)
    runtime_.launch((a.n_probes + config_.grid.update_block - 1) / config_.grid.update_block,
                    config_.grid.update_block, RecordState{a, k});
}

template <class Runtime>
void EngineDriver<Runtime>::enqueue_steps(std::uint32_t steps) {
  if (!offsets_.data()) throw std::logic_error("device engine: build_network must run before the simulation");
  const StepArgs a = step_args();
  for (std::uint32_t k = 0; k < steps; ++k) {
    enqueue_update(a, k);
    runtime_.launch(deliver_blocks_, config_.grid.deliver_block, DeliverSpikes{a, k});
  }
  runtime_.launch(1, 1, EndChunk{a, steps});
}

template <class Runtime>
SpikeChunk EngineDriver<Runtime>::run_chunk(std::uint32_t steps) {
  if (steps == 0 || steps > config_.chunk_steps)
    throw std::invalid_argument("device engine: run_chunk takes 1 to " + std::to_string(config_.chunk_steps) +
                                " steps, not " + std::to_string(steps));
  runtime_.make_current();
  if (Runtime::kGraphs && steps == config_.chunk_steps) {
    if (!have_graph_) {
      graph_ = runtime_.capture([&] { enqueue_steps(config_.chunk_steps); });
      have_graph_ = true;
    }
    runtime_.replay(graph_);
  } else {
    enqueue_steps(steps);  // the last, shorter chunk of a run: plain launches
  }
  return copy_chunk_to_host(steps);
}

template <class Runtime>
SpikeChunk EngineDriver<Runtime>::run_undelivered(std::uint32_t steps) {
  if (steps == 0 || steps > config_.chunk_steps)
    throw std::invalid_argument("device engine: run_undelivered takes 1 to " + std::to_string(config_.chunk_steps) +
                                " steps, not " + std::to_string(steps));
  if (!offsets_.data()) throw std::logic_error("device engine: build_network must run before the simulation");
  runtime_.make_current();
  const StepArgs a = step_args();
  // Plain launches: over ranks the host exchanges spikes between intervals.
  for (std::uint32_t k = 0; k < steps; ++k) {
    enqueue_update(a, k);
    runtime_.launch(1, 1, MarkStepEnd{a, k});
  }
  return copy_chunk_to_host(steps);
}

template <class Runtime>
void EngineDriver<Runtime>::deliver_exchanged(const std::uint32_t* spikes, const std::uint32_t* step_begin,
                                              std::uint32_t steps) {
  const std::uint64_t total = step_begin[steps];
  if (steps == 0 || steps > config_.chunk_steps || total > record_.size())
    throw std::invalid_argument("device engine: deliver_exchanged takes 1 to " + std::to_string(config_.chunk_steps) +
                                " steps of at most one spike per neuron and step");
  runtime_.make_current();
  runtime_.upload(record_.data(), spikes, total);
  runtime_.upload(step_begin_.data(), step_begin, steps + 1);
  const StepArgs a = step_args();
  for (std::uint32_t k = 0; k < steps; ++k)
    runtime_.launch(deliver_blocks_, config_.grid.deliver_block, DeliverExchanged{a, k});
  runtime_.launch(1, 1, EndChunk{a, steps});
  runtime_.synchronize();
}

template <class Runtime>
SpikeChunk EngineDriver<Runtime>::copy_chunk_to_host(std::uint32_t steps) {
  runtime_.copy_to_host_async(host_step_begin_.data(), step_begin_.data(), steps + 1);
  runtime_.synchronize();
  const std::uint32_t total = host_step_begin_.data()[steps];
  if (total > 0) {
    runtime_.copy_to_host_async(host_record_.data(), record_.data(), total);
    runtime_.synchronize();
  }
  const auto n_probes = static_cast<std::uint32_t>(probes_.size());
  if (n_probes > 0) {
    runtime_.copy_to_host_async(host_probe_values_.data(), probe_values_.data(),
                                static_cast<std::size_t>(steps) * n_probes);
    runtime_.synchronize();
  }
  return SpikeChunk{host_record_.data(), host_step_begin_.data(), steps, host_probe_values_.data(), n_probes};
}

template <class Runtime>
void EngineDriver<Runtime>::build_network(const std::vector<DeviceProjection>& projections,
                                          const std::function<void(double)>& progress) {
  runtime_.make_current();
  const std::uint64_t n = config_.n_neurons;
  const micro::SynapseLayout layout = config_.layout;
  const std::uint32_t B = config_.grid.build_block;
  double total_work = 1.0, work_done = 0.0;  // as build_network: counting is about a fifth
  for (const DeviceProjection& p : projections) total_work += 1.2 * static_cast<double>(count_items(p));
  const auto report = [&](const DeviceProjection& p, double weight) {
    runtime_.synchronize();
    work_done += weight * static_cast<double>(count_items(p));
    if (progress) progress(work_done / total_work);
  };
  const auto has_synapses = [](const DeviceProjection& p) {
    return p.draw.n_pre > 0 && p.window_lo < p.window_hi &&
           (p.rule != DeviceRule::pairwise_bernoulli || p.probability > 0.0);
  };

  // Pass 1: per projection, each source's count; summed into the degrees.
  // fixed_total_number: the host splits the pairs over the target blocks that
  // meet the window (a binomial tree, physics/total_number_blocks.hpp), the
  // device counts each source per block (cells), then the kept synapses.
  Buffer<std::uint64_t> degree(n + 1);
  runtime_.zero_async(degree.data(), degree.bytes());
  std::vector<Buffer<std::uint32_t>> counts, cells;
  std::vector<std::uint32_t> block_lo(projections.size(), 0), blocks(projections.size(), 0);
  for (std::size_t k = 0; k < projections.size(); ++k) {
    const DeviceProjection& p = projections[k];
    counts.emplace_back(p.draw.n_pre);
    const bool total_number = p.rule == DeviceRule::fixed_total_number && has_synapses(p) && p.n_synapses > 0;
    if (total_number) {
      block_lo[k] = p.window_lo / physics::kTotalNumberBlockTargets;
      blocks[k] = physics::total_number_blocks(p.window_hi) - block_lo[k];
    }
    cells.emplace_back(std::uint64_t{blocks[k]} * p.draw.n_pre);
    std::uint32_t* count = counts.back().data();
    if (!has_synapses(p)) continue;
    runtime_.zero_async(count, counts.back().bytes());
    const std::uint32_t grid = blocks_for(count_items(p), B);
    switch (p.rule) {
      case DeviceRule::fixed_total_number: {
        if (!total_number) break;
        std::vector<std::uint64_t> pairs(blocks[k]), quad_first(blocks[k] + 1, 0);
        physics::split_total_number(p.draw, p.n_synapses, block_lo[k], block_lo[k] + blocks[k], pairs.data());
        for (std::uint32_t b = 0; b < blocks[k]; ++b) quad_first[b + 1] = quad_first[b] + (pairs[b] + 3) / 4;
        Buffer<std::uint64_t> d_pairs(pairs.size()), d_quad_first(quad_first.size());
        runtime_.upload(d_pairs.data(), pairs.data(), pairs.size());
        runtime_.upload(d_quad_first.data(), quad_first.data(), quad_first.size());
        runtime_.zero_async(cells.back().data(), cells.back().bytes());
        runtime_.launch(blocks_for(quad_first.back(), B), B,
                        CountFixedTotalNumber{p, block_lo[k], blocks[k], d_quad_first.data(), d_pairs.data(),
                                              cells.back().data()});
        runtime_.launch(blocks_for(p.draw.n_pre, B), B,
                        CountKeptFixedTotalNumber{p, block_lo[k], blocks[k], cells.back().data(), count});
        runtime_.synchronize();  // before the host buffers of the split go
        break;
      }
      case DeviceRule::pairwise_bernoulli: runtime_.launch(grid, B, CountPairwiseBernoulli{p, count}); break;
      case DeviceRule::fixed_indegree: runtime_.launch(grid, B, CountFixedIndegree{p, count}); break;
      case DeviceRule::one_to_one:
      case DeviceRule::fixed_outdegree: runtime_.launch(grid, B, CountFromSource{p, count}); break;
    }
    runtime_.launch(blocks_for(p.draw.n_pre, B), B, AddCounts{p.pre_first, p.draw.n_pre, count, degree.data()});
    report(p, 0.2);
  }

  // Segments: offsets = exclusive scan of the degrees (degree[n] = 0 gives the total).
  offsets_ = Buffer<std::uint64_t>(n + 1);
  runtime_.exclusive_scan_async(degree.data(), offsets_.data(), n + 1);
  std::uint64_t total = 0;
  runtime_.download(&total, offsets_.data() + n, 1);
  const std::uint64_t free_bytes = runtime_.free_bytes();
  if (total * sizeof(micro::PackedSynapse) > free_bytes)
    throw std::runtime_error("GPU network construction: " + std::to_string(total) + " synapses need " +
                             std::to_string(total * sizeof(micro::PackedSynapse) / 1073741824.0) +
                             " GiB but the device has only " + std::to_string(free_bytes / 1073741824.0) +
                             " GiB free; reduce the network (--scale or --k-scale for a built-in circuit, the sizes in a "
                             "circuit file), or use --backend cpu");
  synapses_ = Buffer<micro::PackedSynapse>(total);

  // Pass 2: the degrees' buffer becomes the per-source write cursors.
  std::uint64_t* cursor = degree.data();
  runtime_.copy_on_device_async(cursor, offsets_.data(), n);
  for (std::size_t k = 0; k < projections.size(); ++k) {
    const DeviceProjection& p = projections[k];
    const std::uint32_t* count = counts[k].data();
    if (!has_synapses(p)) continue;
    micro::PackedSynapse* out = synapses_.data();
    switch (p.rule) {
      case DeviceRule::fixed_total_number:
        if (blocks[k] == 0) break;
        if (!whole_window(p))
          runtime_.launch(blocks_for(p.draw.n_pre, B), B,
                          FillFixedTotalNumberWindow{p, layout, block_lo[k], blocks[k], cells[k].data(), cursor, out});
        else
          runtime_.launch(blocks_for(std::uint64_t{FillFixedTotalNumber::kFillGroup} * p.draw.n_pre, B), B,
                          FillFixedTotalNumber{p, layout, blocks[k], cells[k].data(), cursor, out});
        break;
      case DeviceRule::pairwise_bernoulli:
        runtime_.launch(blocks_for(p.draw.n_pre, B), B, FillPairwiseBernoulli{p, layout, count, cursor, out});
        break;
      case DeviceRule::fixed_indegree:
        runtime_.launch(blocks_for(count_items(p), B), B, FillFixedIndegree{p, layout, cursor, out});
        break;
      case DeviceRule::one_to_one:
      case DeviceRule::fixed_outdegree:
        runtime_.launch(blocks_for(p.draw.n_pre, B), B, FillFromSource{p, layout, cursor, out});
        break;
    }
    if (p.rule != DeviceRule::fixed_indegree)  // its atomic cursors have moved already
      runtime_.launch(blocks_for(p.draw.n_pre, B), B, AddCounts{p.pre_first, p.draw.n_pre, count, cursor});
    report(p, 1.0);
  }
  runtime_.synchronize();
  if (progress) progress(1.0);
}

template <class Runtime>
void EngineDriver<Runtime>::download_connectivity(std::vector<std::uint64_t>& offsets,
                                                  std::vector<micro::PackedSynapse>& synapses) const {
  runtime_.make_current();
  offsets.resize(offsets_.size());
  synapses.resize(synapses_.size());
  runtime_.download(offsets.data(), offsets_.data(), offsets.size());
  runtime_.download(synapses.data(), synapses_.data(), synapses.size());
}

template <class Runtime>
std::vector<physics::MembraneState> EngineDriver<Runtime>::download_state() const {
  runtime_.make_current();
  std::vector<physics::MembraneState> state(state_.size());
  runtime_.download(state.data(), state_.data(), state.size());
  return state;
}

}  // namespace micromeso::kernels
