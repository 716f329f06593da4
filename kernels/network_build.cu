// Network construction on the device, the same two passes as the CPU builder
// (src/micro/network_build.cpp) over the same draw functions
// (physics/synapse_draw.hpp), so the device holds the synapses build_network()
// makes: pass 1 counts each source's synapses per projection, an exclusive
// scan (CUB) gives every source its segment, pass 2 fills the segments
// projection after projection through a per-source write cursor, which lays
// each segment out in projection order as the CPU does. Only the order
// within a fixed_indegree sub-segment differs (atomic cursors), which the
// integer accumulation of inputs makes irrelevant.
#include <cub/device/device_scan.cuh>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "kernels/cuda_check.cuh"
#include "kernels/device_engine.hpp"
#include "micromeso/physics/synapse_draw.hpp"

namespace micromeso::kernels {
namespace {

constexpr unsigned kBlock = 256;

unsigned grid_for(std::uint64_t items) {
  const std::uint64_t blocks = (items + kBlock - 1) / kBlock;
  return static_cast<unsigned>(blocks < 1 ? 1 : blocks > (1u << 20) ? (1u << 20) : blocks);
}

__device__ std::uint64_t thread_index() { return std::uint64_t{blockIdx.x} * blockDim.x + threadIdx.x; }
__device__ std::uint64_t thread_count() { return std::uint64_t{gridDim.x} * blockDim.x; }

__device__ void add_one(std::uint32_t* count, std::uint32_t source) { atomicAdd(count + source, 1u); }

// fixed_total_number: the sources of the K pairs, four per Philox block.
__global__ void count_fixed_total_number(DeviceProjection p, std::uint32_t* count) {
  const std::uint64_t blocks = (p.n_synapses + 3) / 4;
  for (std::uint64_t b = thread_index(); b < blocks; b += thread_count()) {
    const physics::PairSources s = physics::draw_pair_sources(p.draw, b);
    const std::uint64_t left = p.n_synapses - 4 * b;
    const int valid = left < 4 ? static_cast<int>(left) : 4;
    for (int t = 0; t < valid; ++t) add_one(count, s.source[t]);
  }
}

__global__ void count_pairwise_bernoulli(DeviceProjection p, std::uint32_t* count) {
  for (std::uint64_t s = thread_index(); s < p.draw.n_pre; s += thread_count()) {
    physics::BernoulliWalk walk{&p.draw, p.log1m_probability, static_cast<std::uint32_t>(s), p.draw.n_post};
    std::uint32_t k = 0;
    while (physics::bernoulli_next(walk, p.probability) < p.draw.n_post) ++k;
    count[s] = k;
  }
}

__global__ void count_fixed_indegree(DeviceProjection p, std::uint32_t* count) {
  const std::uint64_t pairs = std::uint64_t{p.draw.n_post} * p.indegree;
  for (std::uint64_t i = thread_index(); i < pairs; i += thread_count()) {
    const auto target = static_cast<std::uint32_t>(i / p.indegree);
    const std::uint64_t key = physics::synapse_key(target, i % p.indegree);
    add_one(count, physics::draw_partner(p.draw, target, key, p.draw.n_pre));
  }
}

// Projections are added one after another (stream order): no race.
__global__ void add_degrees(DeviceProjection p, const std::uint32_t* count, std::uint64_t* degree) {
  for (std::uint64_t s = thread_index(); s < p.draw.n_pre; s += thread_count()) degree[p.pre_first + s] += count[s];
}

__device__ micro::PackedSynapse make_synapse(const DeviceProjection& p, micro::SynapseLayout layout,
                                             std::uint64_t target, std::uint64_t key) {
  const physics::SynapseValues v = physics::draw_synapse_values(p.draw, key);
  return layout.pack(static_cast<std::uint32_t>(p.post_first + target), v.delay_steps, v.weight);
}

// One warp per source: its lanes draw the source's targets side by side.
__global__ void fill_fixed_total_number(DeviceProjection p, micro::SynapseLayout layout, const std::uint32_t* count,
                                        std::uint64_t* cursor, micro::PackedSynapse* out) {
  const unsigned lane = threadIdx.x % 32;
  for (std::uint64_t s = thread_index() / 32; s < p.draw.n_pre; s += thread_count() / 32) {
    const std::uint64_t at = cursor[p.pre_first + s];
    const std::uint32_t c = count[s];
    const auto source = static_cast<std::uint32_t>(s);
    for (std::uint32_t j = lane; j < c; j += 32) {
      const std::uint64_t key = physics::synapse_key(source, j);
      out[at + j] = make_synapse(p, layout, physics::draw_partner(p.draw, source, key, p.draw.n_post), key);
    }
    __syncwarp();  // every lane has read the cursor
    if (lane == 0) cursor[p.pre_first + s] = at + c;
  }
}

// One thread per source: the geometric walk is sequential (as in the count pass).
__global__ void fill_pairwise_bernoulli(DeviceProjection p, micro::SynapseLayout layout, const std::uint32_t* count,
                                        std::uint64_t* cursor, micro::PackedSynapse* out) {
  for (std::uint64_t s = thread_index(); s < p.draw.n_pre; s += thread_count()) {
    const auto source = static_cast<std::uint32_t>(s);
    physics::BernoulliWalk walk{&p.draw, p.log1m_probability, source, p.draw.n_post};
    const std::uint64_t at = cursor[p.pre_first + s];
    for (std::uint32_t k = 0; k < count[s]; ++k) {
      const std::uint64_t target = physics::bernoulli_next(walk, p.probability);
      out[at + k] = make_synapse(p, layout, target, physics::synapse_key(source, k));
    }
    cursor[p.pre_first + s] = at + count[s];
  }
}

// Drawn from the target: each synapse takes the next place of its source's
// sub-segment with an atomic cursor.
__global__ void fill_fixed_indegree(DeviceProjection p, micro::SynapseLayout layout, std::uint64_t* cursor,
                                    micro::PackedSynapse* out) {
  auto* cursors = reinterpret_cast<unsigned long long*>(cursor);
  const std::uint64_t pairs = std::uint64_t{p.draw.n_post} * p.indegree;
  for (std::uint64_t i = thread_index(); i < pairs; i += thread_count()) {
    const auto target = static_cast<std::uint32_t>(i / p.indegree);
    const std::uint64_t key = physics::synapse_key(target, i % p.indegree);
    const std::uint32_t source = physics::draw_partner(p.draw, target, key, p.draw.n_pre);
    out[atomicAdd(cursors + p.pre_first + source, 1ull)] = make_synapse(p, layout, target, key);
  }
}

std::uint64_t pass_items(const DeviceProjection& p) {
  switch (p.rule) {
    case DeviceRule::fixed_total_number: return (p.n_synapses + 3) / 4;
    case DeviceRule::pairwise_bernoulli: return p.draw.n_pre;
    case DeviceRule::fixed_indegree: return std::uint64_t{p.draw.n_post} * p.indegree;
  }
  return 0;
}

bool has_synapses(const DeviceProjection& p) {
  return p.rule != DeviceRule::pairwise_bernoulli || p.probability > 0.0;
}

}  // namespace

void DeviceEngine::build_network(const std::vector<DeviceProjection>& projections,
                                 const std::function<void(double)>& progress) {
  make_current();
  const std::uint64_t n = config_.n_neurons;
  const micro::SynapseLayout layout = config_.layout;
  double total_work = 1.0, work_done = 0.0;  // as build_network: counting is about a fifth
  for (const DeviceProjection& p : projections) total_work += 1.2 * static_cast<double>(pass_items(p));
  const auto report = [&](const DeviceProjection& p, double weight) {
    MICROMESO_CUDA_CHECK(cudaStreamSynchronize(stream_));
    work_done += weight * static_cast<double>(pass_items(p));
    if (progress) progress(work_done / total_work);
  };

  // Pass 1: per projection, each source's count; summed into the degrees.
  DeviceBuffer<std::uint64_t> degree(n + 1);
  MICROMESO_CUDA_CHECK(cudaMemsetAsync(degree.data(), 0, degree.bytes(), stream_));
  std::vector<DeviceBuffer<std::uint32_t>> counts;
  for (const DeviceProjection& p : projections) {
    counts.emplace_back(p.draw.n_pre);
    std::uint32_t* count = counts.back().data();
    if (!count || !has_synapses(p)) continue;
    MICROMESO_CUDA_CHECK(cudaMemsetAsync(count, 0, counts.back().bytes(), stream_));
    const unsigned grid = grid_for(pass_items(p));
    switch (p.rule) {
      case DeviceRule::fixed_total_number:
        MICROMESO_CUDA_CHECK_LAUNCH(count_fixed_total_number<<<grid, kBlock, 0, stream_>>>(p, count));
        break;
      case DeviceRule::pairwise_bernoulli:
        MICROMESO_CUDA_CHECK_LAUNCH(count_pairwise_bernoulli<<<grid, kBlock, 0, stream_>>>(p, count));
        break;
      case DeviceRule::fixed_indegree:
        MICROMESO_CUDA_CHECK_LAUNCH(count_fixed_indegree<<<grid, kBlock, 0, stream_>>>(p, count));
        break;
    }
    MICROMESO_CUDA_CHECK_LAUNCH(add_degrees<<<grid_for(p.draw.n_pre), kBlock, 0, stream_>>>(p, count, degree.data()));
    report(p, 0.2);
  }

  // Segments: offsets = exclusive scan of the degrees (degree[n] = 0 gives the total).
  offsets_ = DeviceBuffer<std::uint64_t>(n + 1);
  std::size_t temp_bytes = 0;
  MICROMESO_CUDA_CHECK(cub::DeviceScan::ExclusiveSum(nullptr, temp_bytes, degree.data(), offsets_.data(), n + 1, stream_));
  {
    // At least one byte: a null d_temp_storage would make the second call
    // another size query that scans nothing (CUB asks for >= 1 byte today).
    DeviceBuffer<unsigned char> temp(temp_bytes > 0 ? temp_bytes : 1);
    MICROMESO_CUDA_CHECK(
        cub::DeviceScan::ExclusiveSum(temp.data(), temp_bytes, degree.data(), offsets_.data(), n + 1, stream_));
    MICROMESO_CUDA_CHECK(cudaStreamSynchronize(stream_));  // before `temp` is freed
  }
  std::uint64_t total = 0;
  MICROMESO_CUDA_CHECK(cudaMemcpy(&total, offsets_.data() + n, sizeof total, cudaMemcpyDeviceToHost));
  std::size_t free_bytes = 0, device_bytes = 0;
  MICROMESO_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &device_bytes));
  if (total * sizeof(micro::PackedSynapse) > free_bytes)
    throw std::runtime_error("GPU network construction: " + std::to_string(total) + " synapses need " +
                             std::to_string(total * sizeof(micro::PackedSynapse) / 1073741824.0) +
                             " GiB but the device has only " + std::to_string(free_bytes / 1073741824.0) +
                             " GiB free; reduce --scale or --k-scale, or use --backend cpu");
  synapses_ = DeviceBuffer<micro::PackedSynapse>(total);

  // Pass 2: the degrees' buffer becomes the per-source write cursors.
  std::uint64_t* cursor = degree.data();
  MICROMESO_CUDA_CHECK(cudaMemcpyAsync(cursor, offsets_.data(), n * sizeof(std::uint64_t), cudaMemcpyDeviceToDevice, stream_));
  for (std::size_t k = 0; k < projections.size(); ++k) {
    const DeviceProjection& p = projections[k];
    const std::uint32_t* count = counts[k].data();
    if (!count || !has_synapses(p)) continue;
    switch (p.rule) {
      case DeviceRule::fixed_total_number:  // a warp per source
        MICROMESO_CUDA_CHECK_LAUNCH(fill_fixed_total_number<<<grid_for(32ull * p.draw.n_pre), kBlock, 0, stream_>>>(
            p, layout, count, cursor, synapses_.data()));
        break;
      case DeviceRule::pairwise_bernoulli:
        MICROMESO_CUDA_CHECK_LAUNCH(fill_pairwise_bernoulli<<<grid_for(p.draw.n_pre), kBlock, 0, stream_>>>(
            p, layout, count, cursor, synapses_.data()));
        break;
      case DeviceRule::fixed_indegree:
        MICROMESO_CUDA_CHECK_LAUNCH(fill_fixed_indegree<<<grid_for(pass_items(p)), kBlock, 0, stream_>>>(
            p, layout, cursor, synapses_.data()));
        break;
    }
    report(p, 1.0);
  }
  MICROMESO_CUDA_CHECK(cudaStreamSynchronize(stream_));
  if (progress) progress(1.0);
}

}  // namespace micromeso::kernels
