// The device side of the GPU backend (micro::GpuBackend): network
// construction on the device, the state, the delay ring and the spike record
// in device memory, and the time loop as a CUDA graph of whole chunks of
// steps. Plain C++ interface (implemented in device_engine.cu and
// network_build.cu) so that host code compiled by the C++ compiler drives it.
// Every CUDA failure throws CudaError naming the call.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <cuda_runtime_api.h>

#include "kernels/device_buffer.hpp"
#include "kernels/step_args.hpp"
#include "micro/gpu/synapse_layout.hpp"
#include "micromeso/physics/synapse_draw.hpp"

namespace micromeso::kernels {

enum class DeviceRule : int { fixed_total_number = 0, pairwise_bernoulli = 1, fixed_indegree = 2 };

// micro::ProjectionPlan without the host-only fields.
struct DeviceProjection {
  DeviceRule rule;
  physics::SynapseDrawParams draw;
  std::uint32_t pre_first, post_first;  // global id of the populations' first neurons
  std::uint64_t n_synapses;             // fixed_total_number
  std::uint32_t indegree;               // fixed_indegree
  double probability, log1m_probability;  // pairwise_bernoulli
};

struct DevicePopulation {
  bool is_gif = false;
  std::uint32_t first = 0, size = 0;
  physics::IafConstants iaf{};
  physics::GifConstants gif{};  // its sfa pointers are ignored: the arrays below are copied
  std::vector<double> sfa_decay, q_sfa_mV;
  physics::PoissonConstants poisson{};
  physics::WeightFixed poisson_weight = 0;
};

struct EngineConfig {
  int device = 0;
  std::uint64_t seed = 0;
  double dt_ms = 0.1;
  std::uint32_t n_neurons = 0;
  std::uint32_t max_delay_steps = 1;
  micro::SynapseLayout layout;
  std::uint32_t chunk_steps = 100;  // steps per graph launch and per copy to the host
  std::vector<DevicePopulation> populations;
  // Initial state computed on the host with the CPU's function, so both
  // backends start bit-identical (no device log/cos in the initial draw).
  std::vector<physics::MembraneState> initial_state;
};

struct DeviceProperties {
  std::string name;
  std::uint64_t free_bytes = 0, total_bytes = 0;
  int multiprocessors = 0;
};
// Makes `device` current and reads its name, free memory and SM count.
DeviceProperties query_device(int device);

// One chunk's spikes in pinned host memory, valid until the next run_chunk:
// step k of the chunk spiked spikes[step_begin[k] .. step_begin[k + 1]), in
// no particular order.
struct SpikeChunk {
  const std::uint32_t* spikes;
  const std::uint32_t* step_begin;  // steps + 1 entries, step_begin[0] = 0
  std::uint32_t steps;
};

class DeviceEngine {
 public:
  explicit DeviceEngine(const EngineConfig& config);
  ~DeviceEngine();
  DeviceEngine(const DeviceEngine&) = delete;
  DeviceEngine& operator=(const DeviceEngine&) = delete;

  // Draws the synapses on the device (network_build.cu). progress(fraction).
  void build_network(const std::vector<DeviceProjection>& projections,
                     const std::function<void(double)>& progress);
  // Simulates `steps` (1 .. chunk_steps) steps and copies their spikes to the host.
  SpikeChunk run_chunk(std::uint32_t steps);

  const DeviceProperties& properties() const { return props_; }
  std::uint64_t n_synapses() const { return synapses_.size(); }
  std::uint64_t connectivity_bytes() const { return offsets_.bytes() + synapses_.bytes(); }
  // Copies for tests.
  void download_connectivity(std::vector<std::uint64_t>& offsets, std::vector<micro::PackedSynapse>& synapses) const;
  std::vector<physics::MembraneState> download_state() const;

 private:
  void make_current() const;  // cudaSetDevice(config_.device)
  StepArgs step_args() const;
  void enqueue_steps(std::uint32_t steps);  // kernels of `steps` steps + end_chunk
  void capture_graph();

  EngineConfig config_;
  DeviceProperties props_;
  cudaStream_t stream_ = nullptr;
  cudaGraphExec_t graph_ = nullptr;  // chunk_steps steps, captured at the first full chunk
  std::uint32_t update_blocks_ = 0, deliver_blocks_ = 0;
  std::uint64_t ring_mask_ = 0;

  DeviceBuffer<PopulationUpdate> pops_;
  DeviceBuffer<double> sfa_, theta_;
  DeviceBuffer<physics::MembraneState> state_;
  DeviceBuffer<physics::CurrentFixed> ring_;
  DeviceBuffer<std::uint64_t> offsets_;
  DeviceBuffer<micro::PackedSynapse> synapses_;
  DeviceBuffer<std::uint32_t> record_, step_begin_, record_total_;
  DeviceBuffer<std::uint64_t> first_step_;
  PinnedBuffer<std::uint32_t> host_record_, host_step_begin_;
};

}  // namespace micromeso::kernels
