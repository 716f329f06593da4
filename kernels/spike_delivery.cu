// Spike delivery into the fixed-point delay ring, and the end of a chunk.
//
// The step's spiking sources have CSR segments of very different lengths
// (a few to thousands of synapses), so the segments are laid end to end over
// the whole grid (micro/gpu/delivery_spread.hpp): with `acc` the summed
// length of the earlier segments, the j-th synapse of a segment goes to
// thread (acc + j) mod T (T threads in the grid). Every thread gets about
// (step's synapses) / T of them whatever the spike count, consecutive threads
// read consecutive 8-byte records (coalesced), and each thread walks the
// step's spike list from shared memory to find its share. The additions are 64-bit integer atomics, so the
// ring holds the same sums as CpuBackend::deliver in any order (DESIGN.md:
// order-independent accumulation); the cell index is the CPU's:
// ring[((step + delay) & mask)][target][receptor], receptor 1 for w < 0.
#include <cstdint>

#include "kernels/step_kernels.cuh"
#include "micro/gpu/delivery_spread.hpp"

namespace micromeso::kernels {

__global__ void deliver_spikes(StepArgs a, std::uint32_t k) {
  __shared__ std::uint64_t seg_begin[kDeliverBlock];
  __shared__ std::uint32_t seg_length[kDeliverBlock];
  const std::uint32_t begin = a.step_begin[k];
  const std::uint32_t end = *a.record_total;  // the update of this step has finished (stream order)
  if (blockIdx.x == 0 && threadIdx.x == 0) a.step_begin[k + 1] = end;
  const std::uint64_t step = *a.first_step + k;
  const std::uint64_t stride = 2ull * a.n_neurons;
  const std::uint32_t threads = gridDim.x * blockDim.x;
  const std::uint32_t t = blockIdx.x * blockDim.x + threadIdx.x;
  auto* ring = reinterpret_cast<unsigned long long*>(a.ring);

  std::uint32_t rotation = 0;  // (summed length of earlier segments) mod threads
  for (std::uint32_t tile = begin; tile < end; tile += kDeliverBlock) {
    const std::uint32_t in_tile = end - tile < kDeliverBlock ? end - tile : kDeliverBlock;
    if (threadIdx.x < in_tile) {
      const std::uint32_t source = a.record[tile + threadIdx.x];
      const std::uint64_t lo = a.offsets[source], hi = a.offsets[source + 1];
      seg_begin[threadIdx.x] = lo;
      seg_length[threadIdx.x] = static_cast<std::uint32_t>(hi - lo);
    }
    __syncthreads();
    for (std::uint32_t i = 0; i < in_tile; ++i) {
      const std::uint64_t first = seg_begin[i];
      const std::uint32_t length = seg_length[i];
      for (std::uint32_t j = micro::first_synapse_of_thread(t, rotation, threads); j < length; j += threads) {
        const micro::PackedSynapse syn = a.synapses[first + j];
        const std::uint64_t cell = ((step + a.layout.delay_steps(syn)) & a.ring_mask) * stride +
                                   2ull * a.layout.target(syn) + (syn.weight < 0 ? 1 : 0);
        // Two's complement: adding the unsigned image of a negative weight subtracts it.
        atomicAdd(ring + cell, static_cast<unsigned long long>(static_cast<long long>(syn.weight)));
      }
      rotation = micro::next_rotation(rotation, length, threads);
    }
    __syncthreads();
  }
}

__global__ void end_chunk(StepArgs a, std::uint32_t steps) {
  if (blockIdx.x == 0 && threadIdx.x == 0) {
    *a.first_step += steps;
    *a.record_total = 0;
  }
}

}  // namespace micromeso::kernels
