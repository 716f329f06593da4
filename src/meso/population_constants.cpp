// The constants of one population equation: propagators, the history layout
// and the kernels per age bin and per block (population_equation.hpp).
#include <cmath>

#include "meso/population_equation.hpp"
#include "model/engine_constants.hpp"

namespace micromeso::meso {

PopulationConstants make_population_constants(const Population& p, double dt, double block_kernel_change_Delta_V,
                                              bool membrane_blocks) {
  const NeuronParams& n = p.neuron;
  PopulationConstants c;
  c.size = static_cast<double>(p.size);
  c.dt_ms = dt;
  // The micro engines' constants of the same neurons (engine_constants.hpp).
  const NeuronConstants k = neuron_constants(p, dt);
  c.prop = k.model.gif.prop;
  c.reset_rel_mV = k.model.gif.reset_rel_mV;
  c.V_T_star_rel_mV = k.model.gif.V_T_star_rel_mV;
  c.Delta_V_mV = k.model.gif.Delta_V_mV;
  c.lambda_0_per_ms = k.model.gif.lambda_0_per_ms;
  c.refractory_steps = static_cast<std::size_t>(k.model.gif.refractory_steps);
  c.layout = history_layout(n, dt, block_kernel_change_Delta_V);
  if (membrane_blocks && block_kernel_change_Delta_V > 0.0) {
    const HistoryLayout young = membrane_block_layout(n, dt);
    if (young.blocks > 0) c.layout = young;
  }
  const std::size_t F = c.layout.fine, B = c.layout.block_steps, C = c.layout.blocks;
  const double Delta_V = c.Delta_V_mV;
  // Kernels seen at an age of a steps (the spike's own step counts as age 1).
  const auto theta_at = [&](std::size_t age) { return adaptation_kernel_mV(n, double(age - 1) * dt); };
  const auto tilde_of = [&](double theta) { return Delta_V * (1.0 - std::exp(-theta / Delta_V)) / c.size; };

  // The membrane is held at V_reset during the refractory period; the
  // fluctuations build up from its end.
  // The unbuilt parts (excitatory, inhibitory, quenched) at an age of `age` steps.
  struct Unbuilt {
    double excitatory, inhibitory, quenched;
  };
  const auto unbuilt_at = [&](std::size_t age) {
    const double free_ms = double(age > c.refractory_steps ? age - c.refractory_steps : 0) * dt;
    return Unbuilt{1.0 - shot_noise_age_factor(free_ms, n.tau_m_ms, n.tau_syn_ex_ms),
                   1.0 - shot_noise_age_factor(free_ms, n.tau_m_ms, n.tau_syn_in_ms),
                   1.0 - quenched_age_factor(free_ms, n.tau_m_ms)};
  };
  for (std::size_t age = 0; age < F + B; ++age) {
    const Unbuilt u = unbuilt_at(age);
    c.unbuilt_excitatory.push_back(u.excitatory);
    c.unbuilt_inhibitory.push_back(u.inhibitory);
    c.unbuilt_quenched.push_back(u.quenched);
  }
  // Blocks of young ages: the mean over a block's ages of the unbuilt part
  // (block i, 0 oldest, at phase s holds ages first ... first + B - 1 with
  // first = F + s + (C - 1 - i) B + 1, as below).
  if (c.layout.membrane_blocks)
    for (std::size_t s = 0; s < B; ++s)
      for (std::size_t i = 0; i < C; ++i) {
        const std::size_t first = F + s + (C - 1 - i) * B + 1;
        double ex = 0.0, in = 0.0, q = 0.0;
        for (std::size_t b = 0; b < B; ++b) {
          const Unbuilt u = unbuilt_at(first + b);
          ex += u.excitatory;
          in += u.inhibitory;
          q += u.quenched;
        }
        c.block_unbuilt_excitatory.push_back(ex / double(B));
        c.block_unbuilt_inhibitory.push_back(in / double(B));
        c.block_unbuilt_quenched.push_back(q / double(B));
      }
  c.theta_mV.assign(F + B, 0.0);
  c.theta_tilde_mV.assign(F + B, 0.0);
  for (std::size_t age = 1; age < F + B; ++age) {
    c.theta_mV[age] = theta_at(age);
    c.theta_tilde_mV[age] = tilde_of(c.theta_mV[age]);
  }
  // Block i (0 oldest) at phase s holds ages first .. first + B - 1, where
  // first = F + s + (C - 1 - i) B + 1, its spikes and survivors taken as
  // spread evenly over them:
  // - own kernel: the hazard's block mean, -Delta_V ln mean_a exp(-theta(a) / Delta_V);
  // - quasi-renewal kernel per spike of the block: mean_a theta_tilde(a), for the younger bins;
  // - self term per spike: the block's own earlier spikes seen by its members
  //   (a member of age a sees the block's spikes of ages a' > a), mean over members.
  c.block_theta_mV.assign(B * C, 0.0);
  c.block_theta_tilde_mV.assign(B * C, 0.0);
  c.block_self_tilde_mV.assign(B * C, 0.0);
  for (std::size_t s = 0; s < B && C > 0; ++s)
    for (std::size_t i = 0; i < C; ++i) {
      const std::size_t first = F + s + (C - 1 - i) * B + 1;
      double survival = 0.0, self = 0.0, tilde = 0.0;  // tilde: sum over the ages done so far
      for (std::size_t b = B; b-- > 0;) {  // oldest age first
        const double theta = theta_at(first + b);
        survival += std::exp(-theta / Delta_V);
        self += tilde;
        tilde += tilde_of(theta);
      }
      const std::size_t at = s * C + i;
      c.block_theta_mV[at] = -Delta_V * std::log(survival / double(B));
      c.block_theta_tilde_mV[at] = tilde / double(B);
      c.block_self_tilde_mV[at] = self / double(B * B);
    }
  const std::size_t K = c.layout.total();
  for (std::size_t j = 0; j < n.tau_sfa_ms.size(); ++j) {
    const double decay = k.sfa_decay.at(j);
    c.sfa_decay.push_back(decay);
    // Spikes older than the window act linearly: sum over ages a >= K of
    // (n_a / N) q exp(-(a - 1) dt / tau) = G g with g the filtered activity.
    c.sfa_free_gain_mV_ms.push_back(n.q_sfa_mV[j] * dt * std::exp(-double(K - 1) * dt / n.tau_sfa_ms[j]) /
                                    (1.0 - decay));
    // A block leaves with ages K ... K + B - 1: its spikes enter g at the
    // mean of their decay factors decay^(a - K).
    double weight = 0.0;
    for (std::size_t b = 0; b < B; ++b) weight += std::pow(decay, double(b));
    c.sfa_exit_weight.push_back(C == 0 ? 1.0 : weight / double(B));
  }
  return c;
}

}  // namespace micromeso::meso
