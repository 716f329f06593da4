// The NEST models beyond iaf_psc_exp and gif_psc_exp in circuit files:
// NEST's defaults for every key left out, each model's own keys only, the
// printed circuit read back unchanged, and what a model cannot take refused
// with the population and key named.
#include <gtest/gtest.h>

#include <string>

#include "micromeso/circuit_io.hpp"
#include "circuit_error.hpp"

using namespace micromeso;

namespace {

std::string one_population(const std::string& model, const std::string& keys) {
  return "name = \"m\"\n[[population]]\nname = \"P\"\nsize = 10\nmodel = \"" + model + "\"\n" + keys;
}

std::string error_of(const std::string& text) { return micromeso::testing::circuit_error_of(text, "m.toml"); }

}  // namespace

TEST(NeuronModelsToml, DefaultsAreNests) {
  const NeuronParams cond = parse_circuit_toml(one_population("iaf_cond_exp", ""), "m.toml").populations[0].neuron;
  EXPECT_EQ(cond.model, NeuronModel::iaf_cond_exp);
  EXPECT_DOUBLE_EQ(cond.C_m_pF, 250.0);
  EXPECT_NEAR(cond.C_m_pF / cond.tau_m_ms, 16.6667, 1e-12);  // g_L, nS
  EXPECT_DOUBLE_EQ(cond.E_L_mV, -70.0);
  EXPECT_DOUBLE_EQ(cond.V_th_mV, -55.0);
  EXPECT_DOUBLE_EQ(cond.V_reset_mV, -60.0);
  EXPECT_DOUBLE_EQ(cond.E_ex_mV, 0.0);
  EXPECT_DOUBLE_EQ(cond.E_in_mV, -85.0);
  EXPECT_DOUBLE_EQ(cond.tau_syn_ex_ms, 0.2);
  EXPECT_DOUBLE_EQ(cond.tau_syn_in_ms, 2.0);

  const Circuit hh_circuit = parse_circuit_toml(one_population("hh_psc_alpha", ""), "m.toml");
  const NeuronParams& hh = hh_circuit.populations[0].neuron;
  EXPECT_DOUBLE_EQ(hh.C_m_pF, 100.0);
  EXPECT_NEAR(hh.C_m_pF / hh.tau_m_ms, 30.0, 1e-12);
  EXPECT_DOUBLE_EQ(hh.E_L_mV, -54.402);
  EXPECT_DOUBLE_EQ(hh.g_Na_nS, 12000.0);
  EXPECT_DOUBLE_EQ(hh.g_K_nS, 3600.0);
  EXPECT_DOUBLE_EQ(hh.E_Na_mV, 50.0);
  EXPECT_DOUBLE_EQ(hh.E_K_mV, -77.0);
  EXPECT_DOUBLE_EQ(hh_circuit.populations[0].v_init.value_mV, -65.0);  // NEST starts at -65 mV, not E_L

  const Circuit pp_circuit = parse_circuit_toml(one_population("pp_psc_delta", ""), "m.toml");
  const NeuronParams& pp = pp_circuit.populations[0].neuron;
  EXPECT_DOUBLE_EQ(pp.tau_m_ms, 10.0);
  EXPECT_DOUBLE_EQ(pp.dead_time_ms, 1.0);
  EXPECT_DOUBLE_EQ(pp.c_1_Hz_per_mV, 0.0);
  EXPECT_DOUBLE_EQ(pp.c_2_Hz, 1.238);
  EXPECT_DOUBLE_EQ(pp.c_3_per_mV, 0.25);
  EXPECT_TRUE(pp.with_reset);
  EXPECT_TRUE(pp.tau_sfa_ms.empty());
  EXPECT_DOUBLE_EQ(pp_circuit.populations[0].v_init.value_mV, 0.0);
}

TEST(NeuronModelsToml, ReadsEveryKeyAndPrintsItBack) {
  const std::string text = "name = \"m\"\n"
                           "[[population]]\nname = \"C\"\nsize = 3\nmodel = \"iaf_cond_exp\"\nC_m = 200.0\ng_L = 10.0\n"
                           "E_L = -65.0\nV_th = -50.0\nV_reset = -62.0\nt_ref = 3.0\nE_ex = 5.0\nE_in = -80.0\n"
                           "tau_syn_ex = 0.5\ntau_syn_in = 3.0\nI_e = 12.0\n"
                           "[[population]]\nname = \"H\"\nsize = 3\nmodel = \"hh_psc_alpha\"\nC_m = 90.0\ng_L = 20.0\n"
                           "g_Na = 11000.0\ng_K = 3000.0\nE_Na = 55.0\nE_K = -80.0\nE_L = -60.0\nt_ref = 1.5\n"
                           "tau_syn_ex = 0.3\ntau_syn_in = 1.0\nI_e = 5.0\nV_m = -64.0\n"
                           "[[population]]\nname = \"Q\"\nsize = 3\nmodel = \"pp_psc_delta\"\nC_m = 100.0\n"
                           "tau_m = 5.0\ndead_time = 2.0\nwith_reset = false\nc_1 = 0.5\nc_2 = 3.0\nc_3 = 0.1\n"
                           "tau_sfa = [50.0]\nq_sfa = [2.0]\nI_e = 7.0\n";
  const Circuit c = parse_circuit_toml(text, "m.toml");
  const NeuronParams &cond = c.populations[0].neuron, &hh = c.populations[1].neuron, &pp = c.populations[2].neuron;
  EXPECT_DOUBLE_EQ(cond.tau_m_ms, 20.0);
  EXPECT_DOUBLE_EQ(cond.E_ex_mV, 5.0);
  EXPECT_DOUBLE_EQ(cond.E_in_mV, -80.0);
  EXPECT_DOUBLE_EQ(cond.V_reset_mV, -62.0);
  EXPECT_DOUBLE_EQ(hh.tau_m_ms, 4.5);
  EXPECT_DOUBLE_EQ(hh.g_Na_nS, 11000.0);
  EXPECT_DOUBLE_EQ(hh.E_K_mV, -80.0);
  EXPECT_DOUBLE_EQ(hh.t_ref_ms, 1.5);
  EXPECT_DOUBLE_EQ(pp.dead_time_ms, 2.0);
  EXPECT_FALSE(pp.with_reset);
  EXPECT_DOUBLE_EQ(pp.c_1_Hz_per_mV, 0.5);
  EXPECT_EQ(pp.q_sfa_mV, std::vector<double>{2.0});
  // What `micromeso models show` prints reads back to the same circuit.
  const Circuit again = parse_circuit_toml(circuit_to_toml(c), "printed.toml");
  for (std::size_t i = 0; i < c.populations.size(); ++i) {
    const NeuronParams &a = c.populations[i].neuron, &b = again.populations[i].neuron;
    EXPECT_EQ(a.model, b.model);
    EXPECT_NEAR(a.tau_m_ms, b.tau_m_ms, 1e-12 * a.tau_m_ms) << i;
    EXPECT_EQ(a.E_ex_mV, b.E_ex_mV);
    EXPECT_EQ(a.E_in_mV, b.E_in_mV);
    EXPECT_EQ(a.g_Na_nS, b.g_Na_nS);
    EXPECT_EQ(a.E_Na_mV, b.E_Na_mV);
    EXPECT_EQ(a.dead_time_ms, b.dead_time_ms);
    EXPECT_EQ(a.with_reset, b.with_reset);
    EXPECT_EQ(a.c_2_Hz, b.c_2_Hz);
    EXPECT_EQ(a.q_sfa_mV, b.q_sfa_mV);
    EXPECT_EQ(c.populations[i].v_init.value_mV, again.populations[i].v_init.value_mV);
  }
}

TEST(NeuronModelsToml, EachModelTakesOnlyItsOwnKeys) {
  const std::string hh = error_of(one_population("hh_psc_alpha", "V_th = -50.0\n"));
  EXPECT_NE(hh.find("m.toml:6"), std::string::npos) << hh;
  EXPECT_NE(hh.find("V_th is not a parameter of hh_psc_alpha (it is one of iaf_psc_exp, iaf_cond_exp)"),
            std::string::npos)
      << hh;
  const std::string pp = error_of(one_population("pp_psc_delta", "t_ref = 2.0\n"));
  EXPECT_NE(pp.find("t_ref is not a parameter of pp_psc_delta"), std::string::npos) << pp;
  const std::string cond = error_of(one_population("iaf_cond_exp", "tau_m = 10.0\n"));
  EXPECT_NE(cond.find("tau_m is not a parameter of iaf_cond_exp"), std::string::npos) << cond;
  const std::string bad_model = error_of(one_population("aeif_cond_exp", ""));
  EXPECT_NE(bad_model.find("model"), std::string::npos) << bad_model;
}

TEST(NeuronModelsToml, WhatAModelCannotTakeIsRefused) {
  // pp_psc_delta: at most one spike per neuron and step, so a dead time of at least dt.
  const std::string short_dead = error_of(one_population("pp_psc_delta", "dead_time = 0.05\n"));
  EXPECT_NE(short_dead.find("population[0].dead_time"), std::string::npos) << short_dead;
  EXPECT_NE(short_dead.find("at least dt = 0.1 ms"), std::string::npos) << short_dead;
  EXPECT_NE(error_of(one_population("pp_psc_delta", "c_3 = -0.1\n")).find("population[0].c_3"), std::string::npos);
  EXPECT_NE(error_of(one_population("iaf_cond_exp", "g_L = 0.0\n")).find("g_L"), std::string::npos);
  EXPECT_NE(error_of(one_population("iaf_cond_exp", "V_reset = -50.0\nV_th = -55.0\n")).find("V_reset"),
            std::string::npos);
  EXPECT_NE(error_of(one_population("hh_psc_alpha", "g_K = -1.0\n")).find("population[0].g_K"), std::string::npos);
}
