#include "model/engine_constants.hpp"

#include <cmath>
#include <stdexcept>

#include "micromeso/physics/exp_synapse.hpp"

namespace micromeso {

physics::ModelKind model_kind(NeuronModel model) {
  switch (model) {
    case NeuronModel::iaf_psc_exp: return physics::kIafPscExp;
    case NeuronModel::gif_psc_exp: return physics::kGifPscExp;
    case NeuronModel::iaf_cond_exp: return physics::kIafCondExp;
    case NeuronModel::hh_psc_alpha: return physics::kHhPscAlpha;
    case NeuronModel::pp_psc_delta: return physics::kPpPscDelta;
    case NeuronModel::spike_generator: return physics::kSpikeGenerator;
    case NeuronModel::poisson_generator:
    case NeuronModel::inhomogeneous_poisson_generator: return physics::kPoissonGenerator;
  }
  throw std::logic_error("unknown neuron model");
}

namespace {

// t_ref (or dead_time) is a multiple of dt (validate_circuit): the rounding
// only removes the division's last bit.
int steps_in(double duration_ms, double h) { return static_cast<int>(std::llround(duration_ms / h)); }

void psc_exp_constants(const Population& pop, double h, physics::ModelConstants& m) {
  const NeuronParams& n = pop.neuron;
  const auto prop = physics::make_exp_synapse_propagators(n.C_m_pF, n.tau_m_ms, n.tau_syn_ex_ms, n.tau_syn_in_ms, h);
  const int refractory = steps_in(n.t_ref_ms, h);
  const double I_const = n.I_e_pA + pop.dc_pA;
  m.iaf = physics::IafConstants{prop, n.V_th_mV - n.E_L_mV, n.V_reset_mV - n.E_L_mV, I_const, refractory};
  physics::GifConstants& g = m.gif;
  g.prop = prop;
  g.reset_rel_mV = n.V_reset_mV - n.E_L_mV;
  g.V_T_star_rel_mV = n.V_T_star_mV - n.E_L_mV;
  g.Delta_V_mV = n.Delta_V_mV;
  g.lambda_0_per_ms = n.lambda_0_per_s / 1000.0;
  g.I_const_pA = I_const;
  g.refractory_steps = refractory;
  g.n_sfa = n.model == NeuronModel::gif_psc_exp ? static_cast<int>(n.tau_sfa_ms.size()) : 0;
  g.sfa_decay = g.q_sfa_mV = nullptr;
}

// The trains as steps, in the layout of physics::SpikeGeneratorConstants.
void spike_generator_constants(const Population& pop, double h, NeuronConstants& k) {
  const auto& trains = pop.neuron.spike_times_ms;
  std::vector<std::uint64_t> begin;
  for (const auto& train : trains) {
    begin.push_back(k.stimulus_table.size());
    for (double t : train) k.stimulus_table.push_back(spike_step_of_time(t, h));
  }
  begin.push_back(k.stimulus_table.size());
  k.model.generator.n_spikes = k.stimulus_table.size();
  k.model.generator.per_neuron = trains.size() != 1;
  if (k.model.generator.per_neuron) k.stimulus_table.insert(k.stimulus_table.end(), begin.begin(), begin.end());
}

// The rate schedule in the layout of physics::PoissonGeneratorConstants: a
// rate from time t on applies from the step that starts at t (its spikes are
// stamped after t), step t / dt.
void poisson_generator_constants(const Population& pop, double h, NeuronConstants& k) {
  const NeuronParams& n = pop.neuron;
  std::vector<double> times = n.rate_times_ms, rates = n.rate_values_Hz;
  if (n.model == NeuronModel::poisson_generator) {  // (start, stop]: from step start / dt to step stop / dt
    times = {n.start_ms};
    rates = {n.rate_Hz};
    if (n.stop_ms < 1e299) {
      times.push_back(n.stop_ms);
      rates.push_back(0.0);
    }
  }
  for (double t : times) k.stimulus_table.push_back(static_cast<std::uint64_t>(std::llround(t / h)));
  for (double r : rates) k.stimulus_table.push_back(physics::poisson_generator_threshold(r, h));
  k.model.poisson_generator.n_changes = times.size();
}

}  // namespace

std::uint64_t spike_step_of_time(double t_ms, double dt_ms) {
  return static_cast<std::uint64_t>(std::llround(t_ms / dt_ms)) - 1;
}

NeuronConstants neuron_constants(const Population& pop, double h) {
  const NeuronParams& n = pop.neuron;
  NeuronConstants k;
  k.model.kind = model_kind(n.model);
  const bool no_rest = n.model == NeuronModel::pp_psc_delta || is_stimulus(n.model);
  k.E_L_mV = no_rest ? 0.0 : n.E_L_mV;
  const double I_const = n.I_e_pA + pop.dc_pA;
  switch (n.model) {
    case NeuronModel::iaf_psc_exp:
    case NeuronModel::gif_psc_exp: psc_exp_constants(pop, h, k.model); break;
    case NeuronModel::iaf_cond_exp: {
      physics::IafCondExpParams p;
      p.C_m_pF = n.C_m_pF;
      p.g_L_nS = n.C_m_pF / n.tau_m_ms;
      p.E_L_mV = n.E_L_mV;
      p.V_th_mV = n.V_th_mV;
      p.V_reset_mV = n.V_reset_mV;
      p.t_ref_ms = n.t_ref_ms;
      p.E_ex_mV = n.E_ex_mV;
      p.E_in_mV = n.E_in_mV;
      p.tau_syn_ex_ms = n.tau_syn_ex_ms;
      p.tau_syn_in_ms = n.tau_syn_in_ms;
      p.I_e_pA = I_const;
      k.model.cond = physics::make_iaf_cond_exp_constants(p, h);
      break;
    }
    case NeuronModel::hh_psc_alpha: {
      physics::HhPscAlphaParams p;
      p.C_m_pF = n.C_m_pF;
      p.g_Na_nS = n.g_Na_nS;
      p.g_K_nS = n.g_K_nS;
      p.g_L_nS = n.C_m_pF / n.tau_m_ms;
      p.E_Na_mV = n.E_Na_mV;
      p.E_K_mV = n.E_K_mV;
      p.E_L_mV = n.E_L_mV;
      p.tau_syn_ex_ms = n.tau_syn_ex_ms;
      p.tau_syn_in_ms = n.tau_syn_in_ms;
      p.t_ref_ms = n.t_ref_ms;
      p.I_e_pA = I_const;
      k.model.hh = physics::make_hh_psc_alpha_constants(p, h);
      break;
    }
    case NeuronModel::pp_psc_delta: {
      physics::PpPscDeltaParams p;
      p.C_m_pF = n.C_m_pF;
      p.tau_m_ms = n.tau_m_ms;
      p.dead_time_ms = n.dead_time_ms;
      p.c_1_Hz_per_mV = n.c_1_Hz_per_mV;
      p.c_2_Hz = n.c_2_Hz;
      p.c_3_per_mV = n.c_3_per_mV;
      p.I_e_pA = I_const;
      p.with_reset = n.with_reset;
      p.tau_sfa_ms = n.tau_sfa_ms;
      p.q_sfa_mV = n.q_sfa_mV;
      k.model.pp = physics::make_pp_psc_delta_constants(p, h);
      k.model.pp.sfa_decay = k.model.pp.q_sfa_mV = nullptr;
      break;
    }
    case NeuronModel::spike_generator: spike_generator_constants(pop, h, k); break;
    case NeuronModel::poisson_generator:
    case NeuronModel::inhomogeneous_poisson_generator: poisson_generator_constants(pop, h, k); break;
  }
  const StepCurrent& current = pop.step_current;
  for (std::size_t j = 0; j < current.amplitude_times_ms.size(); ++j) {
    k.current_steps.push_back(static_cast<std::uint64_t>(std::llround(current.amplitude_times_ms[j] / h)));
    k.current_pA.push_back(current.amplitude_values_pA[j]);
  }
  k.model.current.n = k.current_steps.size();
  if (n.model == NeuronModel::gif_psc_exp || n.model == NeuronModel::pp_psc_delta)
    for (std::size_t j = 0; j < n.tau_sfa_ms.size(); ++j) {
      k.sfa_decay.push_back(std::exp(-h / n.tau_sfa_ms[j]));
      k.q_sfa_mV.push_back(n.q_sfa_mV[j]);
    }
  return k;
}

}  // namespace micromeso
