// Thin neuron-update kernel over the shared physics functions (include/
// micromeso/physics): the update CpuBackend::update_range runs, one thread
// per neuron, every population in one launch (fewer graph nodes per step).
// Spiking neurons are appended to the chunk's spike record with one atomic
// each; their order is arbitrary and the host sorts each step's list (the
// observer expects ascending ids), while delivery does not care (integer
// accumulation).
#include <cstdint>

#include "kernels/step_kernels.cuh"
#include "micromeso/physics/fixed_point.hpp"
#include "micromeso/physics/gif_psc_exp.hpp"
#include "micromeso/physics/iaf_psc_exp.hpp"
#include "micromeso/physics/poisson.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::kernels {

__global__ void update_neurons(StepArgs a, std::uint32_t k) {
  // Blocks never straddle populations (see PopulationUpdate::first_block).
  int p = 0;
  while (p + 1 < a.n_pops && blockIdx.x >= a.pops[p + 1].first_block) ++p;
  const PopulationUpdate& pop = a.pops[p];
  const std::uint32_t local = (blockIdx.x - pop.first_block) * blockDim.x + threadIdx.x;
  if (local >= pop.size) return;
  const std::uint32_t gid = pop.first + local;
  const std::uint64_t step = *a.first_step + k;

  physics::CurrentFixed* slot = a.ring + (step & a.ring_mask) * 2ull * a.n_neurons;
  physics::CurrentFixed in_ex = slot[2ull * gid], in_in = slot[2ull * gid + 1];
  slot[2ull * gid] = slot[2ull * gid + 1] = 0;
  if (pop.poisson.chunks != 0) {
    const std::uint32_t n = physics::poisson_count(pop.poisson, a.seed, gid, step);
    (pop.poisson_weight >= 0 ? in_ex : in_in) += static_cast<physics::CurrentFixed>(n) * pop.poisson_weight;
  }
  const double ex_pA = physics::fixed_to_pA(in_ex), in_pA = physics::fixed_to_pA(in_in);
  physics::MembraneState s = a.state[gid];
  bool spiked;
  if (!pop.is_gif) {
    spiked = physics::iaf_psc_exp_step(s, pop.iaf, ex_pA, in_pA);
  } else {
    const double u =
        physics::uniform_open(physics::philox4x32_10(a.seed, physics::kStreamEscape, gid, step).v[0]);
    spiked = physics::gif_psc_exp_step(s, pop.theta + local, static_cast<long>(pop.size), pop.gif, ex_pA, in_pA,
                                       u, a.dt_ms);
  }
  a.state[gid] = s;
  if (spiked) a.record[atomicAdd(a.record_total, 1u)] = gid;
}

}  // namespace micromeso::kernels
