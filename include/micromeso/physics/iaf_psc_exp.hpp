// iaf_psc_exp: leaky integrate-and-fire neuron with hard threshold,
// exponential excitatory and inhibitory currents and an absolute refractory
// period, integrated exactly on the time grid as NEST's model of the same name
// (update order: membrane, currents, threshold).
#pragma once

#include "micromeso/physics/exp_synapse.hpp"

namespace micromeso::physics {

struct IafConstants {
  ExpSynapsePropagators prop;
  double threshold_rel_mV;  // V_th - E_L
  double reset_rel_mV;      // V_reset - E_L
  double I_const_pA;        // I_e + DC input
  int refractory_steps;     // t_ref / h
};

// One step; returns true when the neuron spikes in this step.
MM_HD bool iaf_psc_exp_step(MembraneState& s, const IafConstants& c, double arriving_ex_pA,
                            double arriving_in_pA) {
  if (s.refractory_steps == 0)
    s.V_rel_mV = propagate_membrane(s, c.prop, c.I_const_pA);
  else
    --s.refractory_steps;
  propagate_currents(s, c.prop, arriving_ex_pA, arriving_in_pA);
  if (s.V_rel_mV >= c.threshold_rel_mV) {
    s.refractory_steps = c.refractory_steps;
    s.V_rel_mV = c.reset_rel_mV;
    return true;
  }
  return false;
}

}  // namespace micromeso::physics
