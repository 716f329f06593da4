// The state variables a multimeter records, with NEST's names and units, read
// from a neuron's state by one function for every backend: the CPU engine
// after each step, the GPU's RecordState kernel body (and so the emulator).
#pragma once

#include <cstdint>

#include "micromeso/physics/neuron_models.hpp"

namespace micromeso::physics {

enum StateVariable : int {
  kVm = 0,      // V_m (mV): membrane potential, every neuron model (not the stimulus populations)
  kIsynEx = 1,  // I_syn_ex (pA): excitatory current, iaf_psc_exp, gif_psc_exp, hh_psc_alpha
  kIsynIn = 2,  // I_syn_in (pA): inhibitory current (negative), same models
  kEsfa = 3,    // E_sfa (mV): gif_psc_exp's threshold V_T_star + sum of traces, in force from the next step
  kGex = 4,     // g_ex (nS): iaf_cond_exp's excitatory conductance
  kGin = 5,     // g_in (nS): iaf_cond_exp's inhibitory conductance
  kStateVariables = 6
};

// NEST's recordable name of each variable (NEST's multimeter record_from).
inline const char* state_variable_name(int v) {
  static const char* const names[kStateVariables] = {"V_m", "I_syn_ex", "I_syn_in", "E_sfa", "g_ex", "g_in"};
  return v >= 0 && v < kStateVariables ? names[v] : "?";
}

inline const char* state_variable_unit(int v) {
  static const char* const units[kStateVariables] = {"mV", "pA", "pA", "mV", "nS", "nS"};
  return v >= 0 && v < kStateVariables ? units[v] : "?";
}

// Whether a model of `kind` has variable v.
inline bool model_records(int kind, int v) {
  switch (v) {
    case kVm: return kind != kSpikeGenerator && kind != kPoissonGenerator;
    case kIsynEx:
    case kIsynIn: return kind == kIafPscExp || kind == kGifPscExp || kind == kHhPscAlpha;
    case kEsfa: return kind == kGifPscExp;
    case kGex:
    case kGin: return kind == kIafCondExp;
    default: return false;
  }
}

// Variable v of a neuron whose model has it (model_records), potentials
// relative to E_L (the caller adds E_L: StateProbe::offset_mV).
MM_HD double read_state_variable(const ModelConstants& c, const MembraneState& s, const double* aux, long stride,
                                 int v) {
  switch (v) {
    case kIsynEx: return s.I_ex_pA;
    case kIsynIn: return s.I_in_pA;
    case kEsfa: return gif_threshold_rel_mV(aux, stride, c.gif);
    case kGex: return aux[0];
    case kGin: return aux[stride];
    default: return s.V_rel_mV;
  }
}

// One recorded value: variable `variable` of neuron `gid` in population
// `population`, plus offset_mV (E_L for the potentials, 0 otherwise).
struct StateProbe {
  std::uint32_t gid = 0;
  std::uint32_t population = 0;
  int variable = kVm;
  double offset_mV = 0.0;
};

}  // namespace micromeso::physics
