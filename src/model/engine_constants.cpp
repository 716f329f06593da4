#include "model/engine_constants.hpp"

#include <cmath>

#include "micromeso/physics/exp_synapse.hpp"

namespace micromeso {

NeuronConstants neuron_constants(const Population& pop, double h) {
  const NeuronParams& n = pop.neuron;
  NeuronConstants k;
  k.E_L_mV = n.E_L_mV;
  const auto prop = physics::make_exp_synapse_propagators(n.C_m_pF, n.tau_m_ms, n.tau_syn_ex_ms, n.tau_syn_in_ms, h);
  // t_ref is a multiple of dt (validate_circuit): the rounding only removes
  // the division's last bit.
  const int refractory = static_cast<int>(std::llround(n.t_ref_ms / h));
  const double I_const = n.I_e_pA + pop.dc_pA;
  k.iaf = physics::IafConstants{prop, n.V_th_mV - n.E_L_mV, n.V_reset_mV - n.E_L_mV, I_const, refractory};
  physics::GifConstants& g = k.gif;
  g.prop = prop;
  g.reset_rel_mV = n.V_reset_mV - n.E_L_mV;
  g.V_T_star_rel_mV = n.V_T_star_mV - n.E_L_mV;
  g.Delta_V_mV = n.Delta_V_mV;
  g.lambda_0_per_ms = n.lambda_0_per_s / 1000.0;
  g.I_const_pA = I_const;
  g.refractory_steps = refractory;
  g.n_sfa = 0;
  g.sfa_decay = g.q_sfa_mV = nullptr;
  if (n.model == NeuronModel::gif_psc_exp) {
    g.n_sfa = static_cast<int>(n.tau_sfa_ms.size());
    for (std::size_t j = 0; j < n.tau_sfa_ms.size(); ++j) {
      k.sfa_decay.push_back(std::exp(-h / n.tau_sfa_ms[j]));
      k.q_sfa_mV.push_back(n.q_sfa_mV[j]);
    }
  }
  return k;
}

}  // namespace micromeso
