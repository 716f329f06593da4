// DeviceEngine: state, delay ring and spike record in device memory, and the
// time loop. A chunk of chunk_steps steps (two kernels each) is captured once
// as a CUDA graph and replayed, so the host touches the device once per chunk
// (launch, then two copies: the per-step spike counts, then the spikes)
// instead of twice per step (issue 4, deliverable 3).
#include <stdexcept>
#include <string>

#include "kernels/cuda_check.cuh"
#include "kernels/device_engine.hpp"
#include "kernels/step_kernels.cuh"

namespace micromeso::kernels {
namespace {

// Synchronising after every launch (the debug mode of cuda_check.cuh) is not
// allowed while a graph is being captured: replay the launches instead.
#ifdef MICROMESO_CUDA_SYNC_LAUNCHES
constexpr bool kUseGraphs = false;
#else
constexpr bool kUseGraphs = true;
#endif

// Delivery grid per multiprocessor; the kernel spreads any step over it.
constexpr int kDeliverBlocksPerSM = 4;

template <typename T>
void upload(const DeviceBuffer<T>& to, const T* from, std::size_t n) {
  if (n) MICROMESO_CUDA_CHECK(cudaMemcpy(to.data(), from, n * sizeof(T), cudaMemcpyHostToDevice));
}

template <typename T>
void zero(const DeviceBuffer<T>& buffer) {
  if (buffer.size()) MICROMESO_CUDA_CHECK(cudaMemset(buffer.data(), 0, buffer.bytes()));
}

}  // namespace

DeviceProperties query_device(int device) {
  MICROMESO_CUDA_CHECK(cudaSetDevice(device));
  cudaDeviceProp prop{};
  MICROMESO_CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  std::size_t free_bytes = 0, total_bytes = 0;
  MICROMESO_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  return DeviceProperties{prop.name, free_bytes, total_bytes, prop.multiProcessorCount};
}

// The current device is per host thread: a later call may come from another
// thread, or after another engine made its own device current.
void DeviceEngine::make_current() const { MICROMESO_CUDA_CHECK(cudaSetDevice(config_.device)); }

DeviceEngine::DeviceEngine(const EngineConfig& c) : config_(c) {
  if (c.chunk_steps == 0) throw std::invalid_argument("DeviceEngine: chunk_steps must be positive");
  if (c.initial_state.size() != c.n_neurons)
    throw std::invalid_argument("DeviceEngine: one initial state per neuron expected");
  props_ = query_device(c.device);
  const std::uint64_t n = c.n_neurons;

  // Populations: constants, adaptation arrays and traces (as CpuBackend::theta_).
  std::size_t sfa_count = 0, theta_count = 0;
  for (const DevicePopulation& p : c.populations) {
    sfa_count += p.sfa_decay.size() + p.q_sfa_mV.size();
    theta_count += std::size_t{p.size} * p.sfa_decay.size();
  }
  sfa_ = DeviceBuffer<double>(sfa_count);
  theta_ = DeviceBuffer<double>(theta_count);
  std::vector<double> sfa_host;
  std::vector<PopulationUpdate> updates;
  std::uint32_t block = 0;
  std::size_t theta_at = 0;
  for (const DevicePopulation& p : c.populations) {
    PopulationUpdate u{};
    u.is_gif = p.is_gif ? 1 : 0;
    u.first = p.first;
    u.size = p.size;
    u.first_block = block;
    block += (p.size + kUpdateBlock - 1) / kUpdateBlock;
    u.iaf = p.iaf;
    u.gif = p.gif;
    u.gif.n_sfa = static_cast<int>(p.sfa_decay.size());
    u.gif.sfa_decay = sfa_.data() + sfa_host.size();
    sfa_host.insert(sfa_host.end(), p.sfa_decay.begin(), p.sfa_decay.end());
    u.gif.q_sfa_mV = sfa_.data() + sfa_host.size();
    sfa_host.insert(sfa_host.end(), p.q_sfa_mV.begin(), p.q_sfa_mV.end());
    u.theta = theta_.data() + theta_at;
    theta_at += std::size_t{p.size} * p.sfa_decay.size();
    u.poisson = p.poisson;
    u.poisson_weight = p.poisson_weight;
    updates.push_back(u);
  }
  update_blocks_ = block;
  pops_ = DeviceBuffer<PopulationUpdate>(updates.size());
  upload(pops_, updates.data(), updates.size());
  upload(sfa_, sfa_host.data(), sfa_host.size());
  zero(theta_);

  state_ = DeviceBuffer<physics::MembraneState>(n);
  upload(state_, c.initial_state.data(), n);
  std::uint64_t slots = 1;  // as CpuBackend: a power of two above the longest delay
  while (slots < c.max_delay_steps + 1ull) slots *= 2;
  ring_mask_ = slots - 1;
  ring_ = DeviceBuffer<physics::CurrentFixed>(slots * n * 2);
  zero(ring_);

  // A neuron spikes at most once per step: n per step can never overflow.
  record_ = DeviceBuffer<std::uint32_t>(n * c.chunk_steps);
  step_begin_ = DeviceBuffer<std::uint32_t>(c.chunk_steps + 1);
  record_total_ = DeviceBuffer<std::uint32_t>(1);
  first_step_ = DeviceBuffer<std::uint64_t>(1);
  zero(step_begin_);
  zero(record_total_);
  zero(first_step_);
  host_record_ = PinnedBuffer<std::uint32_t>(n * c.chunk_steps);
  host_step_begin_ = PinnedBuffer<std::uint32_t>(c.chunk_steps + 1);
  deliver_blocks_ = static_cast<std::uint32_t>(props_.multiprocessors > 0 ? props_.multiprocessors : 1) *
                    kDeliverBlocksPerSM;
  config_.initial_state.clear();  // uploaded; the copy is not needed any more
  config_.initial_state.shrink_to_fit();
  // cudaMemset above may still run on the legacy stream, which a
  // non-blocking stream does not wait for: finish it before any kernel.
  MICROMESO_CUDA_CHECK(cudaDeviceSynchronize());
  // Last, so that a throw above (out of memory) leaks no stream: the
  // destructor does not run for a half-made object, the buffers free themselves.
  MICROMESO_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
}

DeviceEngine::~DeviceEngine() {
  // No throwing here; the buffers free themselves afterwards.
  if (graph_) (void)cudaGraphExecDestroy(graph_);
  if (stream_) (void)cudaStreamDestroy(stream_);
}

StepArgs DeviceEngine::step_args() const {
  StepArgs a{};
  a.pops = pops_.data();
  a.n_pops = static_cast<int>(pops_.size());
  a.state = state_.data();
  a.ring = ring_.data();
  a.ring_mask = ring_mask_;
  a.n_neurons = config_.n_neurons;
  a.offsets = offsets_.data();
  a.synapses = synapses_.data();
  a.layout = config_.layout;
  a.record = record_.data();
  a.step_begin = step_begin_.data();
  a.record_total = record_total_.data();
  a.first_step = first_step_.data();
  a.seed = config_.seed;
  a.dt_ms = config_.dt_ms;
  return a;
}

void DeviceEngine::enqueue_steps(std::uint32_t steps) {
  if (!offsets_.data()) throw std::logic_error("DeviceEngine: build_network must run before the simulation");
  const StepArgs a = step_args();
  for (std::uint32_t k = 0; k < steps; ++k) {
    if (update_blocks_ > 0)
      MICROMESO_CUDA_CHECK_LAUNCH(update_neurons<<<update_blocks_, kUpdateBlock, 0, stream_>>>(a, k));
    MICROMESO_CUDA_CHECK_LAUNCH(deliver_spikes<<<deliver_blocks_, kDeliverBlock, 0, stream_>>>(a, k));
  }
  MICROMESO_CUDA_CHECK_LAUNCH(end_chunk<<<1, 1, 0, stream_>>>(a, steps));
}

void DeviceEngine::capture_graph() {
  cudaGraph_t graph = nullptr;
  MICROMESO_CUDA_CHECK(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal));
  try {
    enqueue_steps(config_.chunk_steps);
  } catch (...) {
    (void)cudaStreamEndCapture(stream_, &graph);  // leave the stream usable
    if (graph) (void)cudaGraphDestroy(graph);
    (void)cudaGetLastError();  // an invalidated capture's error is not a later launch's
    throw;
  }
  MICROMESO_CUDA_CHECK(cudaStreamEndCapture(stream_, &graph));
  const cudaError_t code = cudaGraphInstantiate(&graph_, graph, 0);
  (void)cudaGraphDestroy(graph);  // the executable graph keeps what it needs
  if (code != cudaSuccess) graph_ = nullptr;
  MICROMESO_CUDA_CHECK(code);
}

SpikeChunk DeviceEngine::run_chunk(std::uint32_t steps) {
  if (steps == 0 || steps > config_.chunk_steps)
    throw std::invalid_argument("DeviceEngine::run_chunk: 1 to " + std::to_string(config_.chunk_steps) +
                                " steps, not " + std::to_string(steps));
  make_current();
  if (kUseGraphs && steps == config_.chunk_steps) {
    if (!graph_) capture_graph();
    MICROMESO_CUDA_CHECK(cudaGraphLaunch(graph_, stream_));
  } else {
    enqueue_steps(steps);  // the last, shorter chunk of a run: plain launches
  }
  MICROMESO_CUDA_CHECK(cudaMemcpyAsync(host_step_begin_.data(), step_begin_.data(),
                                       (steps + 1) * sizeof(std::uint32_t), cudaMemcpyDeviceToHost, stream_));
  MICROMESO_CUDA_CHECK(cudaStreamSynchronize(stream_));
  const std::uint32_t total = host_step_begin_.data()[steps];
  if (total > 0) {
    MICROMESO_CUDA_CHECK(cudaMemcpyAsync(host_record_.data(), record_.data(), total * sizeof(std::uint32_t),
                                         cudaMemcpyDeviceToHost, stream_));
    MICROMESO_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }
  return SpikeChunk{host_record_.data(), host_step_begin_.data(), steps};
}

void DeviceEngine::download_connectivity(std::vector<std::uint64_t>& offsets,
                                         std::vector<micro::PackedSynapse>& synapses) const {
  make_current();
  MICROMESO_CUDA_CHECK(cudaStreamSynchronize(stream_));
  offsets.resize(offsets_.size());
  synapses.resize(synapses_.size());
  if (!offsets.empty())
    MICROMESO_CUDA_CHECK(cudaMemcpy(offsets.data(), offsets_.data(), offsets_.bytes(), cudaMemcpyDeviceToHost));
  if (!synapses.empty())
    MICROMESO_CUDA_CHECK(cudaMemcpy(synapses.data(), synapses_.data(), synapses_.bytes(), cudaMemcpyDeviceToHost));
}

std::vector<physics::MembraneState> DeviceEngine::download_state() const {
  make_current();
  MICROMESO_CUDA_CHECK(cudaStreamSynchronize(stream_));
  std::vector<physics::MembraneState> state(state_.size());
  if (!state.empty())
    MICROMESO_CUDA_CHECK(cudaMemcpy(state.data(), state_.data(), state_.bytes(), cudaMemcpyDeviceToHost));
  return state;
}

}  // namespace micromeso::kernels
