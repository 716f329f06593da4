// Thin CUDA kernels over the shared physics functions (include/micromeso/
// physics): the same update the CPU backend runs, one thread per neuron.
// The GPU backend that drives them (construction on the device, delivery,
// CUDA graphs) is issue 4; these compile in every CUDA-enabled build so the
// physics headers stay device-clean.
#include <cstdint>

#include "kernels/neuron_update.cuh"
#include "micromeso/physics/fixed_point.hpp"
#include "micromeso/physics/gif_psc_exp.hpp"
#include "micromeso/physics/iaf_psc_exp.hpp"
#include "micromeso/physics/poisson.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::kernels {

__device__ inline void add_poisson_input(const physics::PoissonConstants& poisson,
                                         physics::WeightFixed weight, std::uint64_t seed,
                                         std::uint32_t gid, std::uint64_t step,
                                         physics::CurrentFixed& in_ex, physics::CurrentFixed& in_in) {
  if (poisson.chunks == 0) return;
  const std::uint32_t k = physics::poisson_count(poisson, seed, gid, step);
  (weight >= 0 ? in_ex : in_in) += static_cast<physics::CurrentFixed>(k) * weight;
}

__global__ void iaf_psc_exp_update(IafUpdateArgs a) {
  const std::uint32_t local = blockIdx.x * blockDim.x + threadIdx.x;
  if (local >= a.size) return;
  const std::uint32_t gid = a.first + local;
  physics::CurrentFixed in_ex = a.slot[2 * gid], in_in = a.slot[2 * gid + 1];
  a.slot[2 * gid] = a.slot[2 * gid + 1] = 0;
  add_poisson_input(a.poisson, a.poisson_weight, a.seed, gid, a.step, in_ex, in_in);
  if (physics::iaf_psc_exp_step(a.state[gid], a.constants, physics::fixed_to_pA(in_ex),
                                physics::fixed_to_pA(in_in)))
    a.spiked[atomicAdd(a.n_spiked, 1u)] = gid;
}

__global__ void gif_psc_exp_update(GifUpdateArgs a) {
  const std::uint32_t local = blockIdx.x * blockDim.x + threadIdx.x;
  if (local >= a.size) return;
  const std::uint32_t gid = a.first + local;
  physics::CurrentFixed in_ex = a.slot[2 * gid], in_in = a.slot[2 * gid + 1];
  a.slot[2 * gid] = a.slot[2 * gid + 1] = 0;
  add_poisson_input(a.poisson, a.poisson_weight, a.seed, gid, a.step, in_ex, in_in);
  const double u = physics::uniform_open(
      physics::philox4x32_10(a.seed, physics::kStreamEscape, gid, a.step).v[0]);
  if (physics::gif_psc_exp_step(a.state[gid], a.theta + local, a.size, a.constants,
                                physics::fixed_to_pA(in_ex), physics::fixed_to_pA(in_in), u, a.dt_ms))
    a.spiked[atomicAdd(a.n_spiked, 1u)] = gid;
}

}  // namespace micromeso::kernels
