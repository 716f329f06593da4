// Every neuron model of the microscopic engines behind one step function,
// step_neuron<Kind>, which the CPU engine and the GPU kernel bodies call
// alike. The model is chosen per population, outside the loop over its
// neurons (CpuBackend) or per block (UpdateNeurons), never per neuron.
//
// A neuron's state is a MembraneState (V relative to E_L, two synaptic
// currents, a refractory or dead-time count) plus the model's auxiliary
// values, stored population-wise as structure of arrays: value k of a neuron
// at aux[k * stride] (adaptation traces of gif_psc_exp and pp_psc_delta,
// conductances of iaf_cond_exp, gates and alpha-current derivatives of
// hh_psc_alpha).
//
// What arrives through synapses (the engines' fixed-point ring) is read in
// the target model's unit: pA for the current-based models, nS for
// iaf_cond_exp (NEST's conductance jumps), mV for pp_psc_delta (NEST's delta
// synapses move V by the weight).
#pragma once

#include <cstdint>

#include "micromeso/physics/current_schedule.hpp"
#include "micromeso/physics/exp_synapse.hpp"
#include "micromeso/physics/gif_psc_exp.hpp"
#include "micromeso/physics/hh_psc_alpha.hpp"
#include "micromeso/physics/iaf_cond_exp.hpp"
#include "micromeso/physics/iaf_psc_exp.hpp"
#include "micromeso/physics/pp_psc_delta.hpp"
#include "micromeso/physics/random.hpp"
#include "micromeso/physics/spike_generator.hpp"

namespace micromeso::physics {

enum ModelKind : int {
  kIafPscExp = 0,
  kGifPscExp = 1,
  kIafCondExp = 2,
  kHhPscAlpha = 3,
  kPpPscDelta = 4,
  kSpikeGenerator = 5,
  kPoissonGenerator = 6  // poisson_generator and inhomogeneous_poisson_generator
};

// The constants of every model; a population fills and uses those of its
// kind. The adaptation arrays of gif and pp, and the generator's trains, are
// pointed at by the engine (host vectors on the CPU, device memory on the GPU):
// NeuronConstants::with_arrays, EngineDriver.
struct ModelConstants {
  int kind = kIafPscExp;
  IafConstants iaf{};
  GifConstants gif{};
  IafCondExpConstants cond{};
  HhPscAlphaConstants hh{};
  PpPscDeltaConstants pp{};
  SpikeGeneratorConstants generator{};
  PoissonGeneratorConstants poisson_generator{};
  CurrentScheduleConstants current{};  // the population's step current (none when n = 0)
};

// The constants with `I_pA` more constant current (this step's step current):
// each model's own constant-current term.
MM_HD ModelConstants with_input_current(ModelConstants c, double I_pA) {
  c.iaf.I_const_pA += I_pA;
  c.gif.I_const_pA += I_pA;
  c.cond.I_e_pA += I_pA;
  c.hh.I_e_pA += I_pA;
  c.pp.I_e_pA += I_pA;
  return c;
}

// Auxiliary values per neuron.
MM_HD int aux_per_neuron(const ModelConstants& c) {
  switch (c.kind) {
    case kGifPscExp: return c.gif.n_sfa;
    case kIafCondExp: return kIafCondExpAux;
    case kHhPscAlpha: return kHhPscAlphaAux;
    case kPpPscDelta: return c.pp.n_sfa;
    default: return 0;
  }
}

// The uniform of a neuron's escape (or point-process) draw in a step: one
// Philox number per (seed, neuron, step), the same on every backend.
MM_HD double escape_uniform(std::uint64_t seed, std::uint32_t gid, std::uint64_t step) {
  return uniform_open(philox4x32_10(seed, kStreamEscape, gid, step).v[0]);
}

// One step of a neuron of model Kind. arriving_ex/in: this step's summed
// synaptic input by receptor, in the model's unit (above); the inhibitory one
// is negative. Returns true on a spike.
template <int Kind>
MM_HD bool step_neuron(const ModelConstants& c, MembraneState& s, double* aux, long stride, double arriving_ex,
                       double arriving_in, std::uint64_t seed, std::uint32_t gid, std::uint64_t step, double h_ms) {
  if constexpr (Kind == kIafPscExp) {
    return iaf_psc_exp_step(s, c.iaf, arriving_ex, arriving_in);
  } else if constexpr (Kind == kGifPscExp) {
    return gif_psc_exp_step(s, aux, stride, c.gif, arriving_ex, arriving_in, escape_uniform(seed, gid, step), h_ms);
  } else if constexpr (Kind == kIafCondExp) {
    return iaf_cond_exp_step(s, aux, stride, c.cond, arriving_ex, -arriving_in);  // NEST: |w| onto g_in
  } else if constexpr (Kind == kHhPscAlpha) {
    return hh_psc_alpha_step(s, aux, stride, c.hh, arriving_ex, arriving_in);
  } else if constexpr (Kind == kPpPscDelta) {
    return pp_psc_delta_step(s, aux, stride, c.pp, arriving_ex + arriving_in, escape_uniform(seed, gid, step), h_ms);
  } else if constexpr (Kind == kSpikeGenerator) {
    return spike_generator_fires(c.generator, gid, step);  // no input (validate_circuit), no state
  } else {
    static_assert(Kind == kPoissonGenerator, "unknown neuron model");
    return poisson_generator_fires(c.poisson_generator, seed, gid, step);
  }
}

// The kind of model as a type, so that a generic callable can instantiate
// step_neuron<ModelTag::value>.
template <int Kind>
struct ModelTag {
  static constexpr int value = Kind;
};

// Calls visit(ModelTag<kind>{}) for a kind known only at run time: the one
// switch over the models, for the CPU engine (per population) and the kernel
// body (per block). Adding a model adds one case here.
template <class Visit>
MM_HD decltype(auto) visit_model(int kind, Visit&& visit) {
  switch (kind) {
    case kGifPscExp: return visit(ModelTag<kGifPscExp>{});
    case kIafCondExp: return visit(ModelTag<kIafCondExp>{});
    case kHhPscAlpha: return visit(ModelTag<kHhPscAlpha>{});
    case kPpPscDelta: return visit(ModelTag<kPpPscDelta>{});
    case kSpikeGenerator: return visit(ModelTag<kSpikeGenerator>{});
    case kPoissonGenerator: return visit(ModelTag<kPoissonGenerator>{});
    default: return visit(ModelTag<kIafPscExp>{});
  }
}

// A neuron's auxiliary values at the start, for a membrane state s:
// hh_psc_alpha's gates at their steady state for V (as NEST), zeros
// otherwise. Run on the host for every backend.
MM_HD void initial_aux(const ModelConstants& c, MembraneState& s, double* aux, long stride) {
  for (int k = 0; k < aux_per_neuron(c); ++k) aux[k * stride] = 0.0;
  if (c.kind == kHhPscAlpha) hh_psc_alpha_init(s, aux, stride, c.hh);
}

}  // namespace micromeso::physics
