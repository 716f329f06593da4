// Reading the NEST reference traces (tests/data/nest/) and turning their NEST
// parameters into a micromeso population.
#pragma once

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "micromeso/circuit.hpp"

namespace micromeso::testing {

inline nlohmann::json load_nest_trace(const std::string& file) {
  std::ifstream in(std::string(MICROMESO_SOURCE_DIR) + "/tests/data/nest/" + file);
  if (!in) throw std::runtime_error("cannot open tests/data/nest/" + file);
  return nlohmann::json::parse(in);
}

// NEST's parameter names and units into NeuronParams; gif_psc_exp gives g_L
// (nS) where iaf_psc_exp gives tau_m: tau_m = C_m / g_L.
inline Population nest_population(const std::string& name, const std::string& model, const nlohmann::json& p) {
  Population pop;
  pop.name = name;
  pop.size = 1;
  NeuronParams& n = pop.neuron;
  n.model = model == "gif_psc_exp" ? NeuronModel::gif_psc_exp : NeuronModel::iaf_psc_exp;
  n.C_m_pF = p.at("C_m");
  n.tau_m_ms = p.contains("tau_m") ? p.at("tau_m").get<double>() : n.C_m_pF / p.at("g_L").get<double>();
  n.E_L_mV = p.at("E_L");
  n.V_reset_mV = p.at("V_reset");
  n.t_ref_ms = p.at("t_ref");
  n.tau_syn_ex_ms = p.at("tau_syn_ex");
  n.tau_syn_in_ms = p.at("tau_syn_in");
  n.I_e_pA = p.at("I_e");
  if (n.model == NeuronModel::iaf_psc_exp) {
    n.V_th_mV = p.at("V_th");
  } else {
    n.V_T_star_mV = p.at("V_T_star");
    n.Delta_V_mV = p.at("Delta_V");
    n.lambda_0_per_s = p.at("lambda_0");
    n.tau_sfa_ms = p.at("tau_sfa").get<std::vector<double>>();
    n.q_sfa_mV = p.at("q_sfa").get<std::vector<double>>();
  }
  pop.v_init.distribution = InitDistribution::fixed;
  pop.v_init.value_mV = p.at("V_m");
  return pop;
}

// Step index of a time stamp (k + 1) dt.
inline long step_of_stamp(double t_ms, double dt_ms) { return std::lround(t_ms / dt_ms) - 1; }

// |a - b| within 1e-9 of |b|, or of 1 (mV, pA) where b is near zero.
inline bool agrees_1e9(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(b), 1.0); }

}  // namespace micromeso::testing
