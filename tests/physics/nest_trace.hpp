// Reading the NEST reference traces (tests/data/nest/) and turning their NEST
// parameters into a micromeso population.
#pragma once

#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "micromeso/circuit.hpp"
#include "model/neuron_defaults.hpp"

namespace micromeso::testing {

inline nlohmann::json load_nest_trace(const std::string& file) {
  std::ifstream in(std::string(MICROMESO_SOURCE_DIR) + "/tests/data/nest/" + file);
  if (!in) throw std::runtime_error("cannot open tests/data/nest/" + file);
  return nlohmann::json::parse(in);
}

// NEST's parameter names and units into a one-neuron population; a
// parameter the trace leaves out keeps NEST's default (neuron_defaults.hpp).
// Where NEST gives g_L (nS) the population keeps tau_m = C_m / g_L.
inline Population nest_population(const std::string& name, const std::string& model, const nlohmann::json& p) {
  Population pop;
  pop.name = name;
  pop.size = 1;
  NeuronModel kind = NeuronModel::iaf_psc_exp;
  for (NeuronModel m : {NeuronModel::iaf_psc_exp, NeuronModel::gif_psc_exp, NeuronModel::iaf_cond_exp,
                        NeuronModel::hh_psc_alpha})
    if (model == to_string(m)) kind = m;
  if (model != to_string(kind)) throw std::runtime_error("no NEST trace reader for model " + model);
  NeuronParams& n = pop.neuron = model::default_neuron_params(kind);
  const auto set = [&](const char* key, double& field) {
    if (p.contains(key)) field = p.at(key).get<double>();
  };
  set("C_m", n.C_m_pF);
  set("tau_m", n.tau_m_ms);
  if (p.contains("g_L")) n.tau_m_ms = n.C_m_pF / p.at("g_L").get<double>();
  set("E_L", n.E_L_mV);
  set("V_reset", n.V_reset_mV);
  set("t_ref", n.t_ref_ms);
  set("tau_syn_ex", n.tau_syn_ex_ms);
  set("tau_syn_in", n.tau_syn_in_ms);
  set("I_e", n.I_e_pA);
  set("V_th", n.V_th_mV);
  set("V_T_star", n.V_T_star_mV);
  set("Delta_V", n.Delta_V_mV);
  set("lambda_0", n.lambda_0_per_s);
  set("E_ex", n.E_ex_mV);
  set("E_in", n.E_in_mV);
  if (p.contains("tau_sfa")) n.tau_sfa_ms = p.at("tau_sfa").get<std::vector<double>>();
  if (p.contains("q_sfa")) n.q_sfa_mV = p.at("q_sfa").get<std::vector<double>>();
  pop.v_init.distribution = InitDistribution::fixed;
  pop.v_init.value_mV = p.contains("V_m") ? p.at("V_m").get<double>() : model::default_initial_V_mV(n);
  return pop;
}

// Step index of a time stamp (k + 1) dt.
inline long step_of_stamp(double t_ms, double dt_ms) { return std::lround(t_ms / dt_ms) - 1; }

// |a - b| within 1e-9 of |b|, or of 1 (mV, pA) where b is near zero.
inline bool agrees_1e9(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(b), 1.0); }

}  // namespace micromeso::testing
