// Arguments of the neuron-update kernels (plain structs passed by value).
#pragma once

#include <cstdint>

#include "micromeso/physics/exp_synapse.hpp"
#include "micromeso/physics/fixed_point.hpp"
#include "micromeso/physics/gif_psc_exp.hpp"
#include "micromeso/physics/iaf_psc_exp.hpp"
#include "micromeso/physics/poisson.hpp"

namespace micromeso::kernels {

struct IafUpdateArgs {
  physics::MembraneState* state;
  physics::CurrentFixed* slot;  // this step's ring-buffer slot, [neuron][receptor]
  std::uint32_t* spiked;
  unsigned int* n_spiked;
  physics::IafConstants constants;
  physics::PoissonConstants poisson;
  physics::WeightFixed poisson_weight;
  std::uint64_t seed, step;
  std::uint32_t first, size;
};

struct GifUpdateArgs {
  physics::MembraneState* state;
  physics::CurrentFixed* slot;
  std::uint32_t* spiked;
  unsigned int* n_spiked;
  double* theta;  // population's adaptation traces, [j * size + local]
  physics::GifConstants constants;  // sfa arrays in device memory
  physics::PoissonConstants poisson;
  physics::WeightFixed poisson_weight;
  std::uint64_t seed, step;
  std::uint32_t first, size;
  double dt_ms;
};

__global__ void iaf_psc_exp_update(IafUpdateArgs args);
__global__ void gif_psc_exp_update(GifUpdateArgs args);

}  // namespace micromeso::kernels
