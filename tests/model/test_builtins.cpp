// The built-in Potjans & Diesmann (2014) circuit against the paper's numbers.
#include <gtest/gtest.h>

#include <cmath>

#include "micromeso/circuit_io.hpp"
#include "model/psp.hpp"

using namespace micromeso;

TEST(Psp, PotjansDiesmannSynapseIs87Point81pA) {
  const double J = model::psc_for_psp_peak(0.15, 10.0, 0.5, 250.0);
  EXPECT_NEAR(J, 87.81, 0.01);
  // The PSP of that current, on a fine grid, peaks at 0.15 mV.
  double peak = 0.0;
  for (double t = 0.0; t < 20.0; t += 1e-4)
    peak = std::max(peak, J / 250.0 * 10.0 * 0.5 / 9.5 * (std::exp(-t / 10.0) - std::exp(-t / 0.5)));
  EXPECT_NEAR(peak, 0.15, 1e-9);
  // Equal time constants: the limit J/C t e^(-t/tau), peak J tau / (C e).
  EXPECT_NEAR(model::psc_for_psp_peak(1.0, 5.0, 5.0, 100.0), 100.0 * std::exp(1.0) / 5.0, 1e-9);
}

TEST(Potjans2014, FullScaleHasThePapersSizes) {
  const Circuit c = builtin_circuit("potjans2014");
  EXPECT_EQ(c.total_neurons(), 77169u);
  EXPECT_EQ(c.populations.size(), 8u);
  EXPECT_EQ(c.projections.size(), 55u);  // 64 pairs minus 9 with probability 0
  double synapses = 0;
  for (const Projection& p : c.projections) synapses += double(p.n_synapses);
  EXPECT_NEAR(synapses, 2.99e8, 0.01 * 2.99e8);
  EXPECT_EQ(c.populations[2].poisson.indegree, 2100u);  // L4E
  EXPECT_NEAR(c.populations[0].poisson.weight_pA, 87.81, 0.01);
  for (const Projection& p : c.projections) {
    const bool inhibitory_source = p.source.back() == 'I';
    EXPECT_EQ(p.receptor, inhibitory_source ? Receptor::inhibitory : Receptor::excitatory);
    EXPECT_EQ(p.delay_ms, inhibitory_source ? 0.75 : 1.5);
    const double expected = (p.source == "L4E" && p.target == "L23E") ? 2 * 87.81 : inhibitory_source ? -4 * 87.81 : 87.81;
    EXPECT_NEAR(p.weight_pA, expected, 0.05) << p.source << "->" << p.target;
  }
  for (const Population& p : c.populations) EXPECT_EQ(p.dc_pA, 0.0);
}

TEST(Potjans2014, NeuronScalingKeepsInDegrees) {
  const Circuit full = builtin_circuit("potjans2014"), tenth = builtin_circuit("potjans2014", {0.1, 1.0});
  EXPECT_EQ(tenth.populations[0].size, 2068u);
  for (std::size_t k = 0; k < full.projections.size(); ++k)
    EXPECT_NEAR(double(tenth.projections[k].n_synapses), 0.1 * double(full.projections[k].n_synapses), 0.6);
}

TEST(Potjans2014, InDegreeScalingCompensatesWithDc) {
  const Circuit full = builtin_circuit("potjans2014"), half = builtin_circuit("potjans2014", {1.0, 0.5});
  for (std::size_t k = 0; k < full.projections.size(); ++k)
    EXPECT_NEAR(half.projections[k].weight_pA, full.projections[k].weight_pA / std::sqrt(0.5), 1e-9);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_GT(half.populations[i].dc_pA, 0.0) << half.populations[i].name;
    EXPECT_EQ(half.populations[i].poisson.indegree, (full.populations[i].poisson.indegree + 1) / 2);
  }
  // L4E by hand: 1e-3 tau_syn (1 - sqrt(k)) (K_ext r_bg w + sum_s w_s K_s r_s).
  const Circuit& c = full;
  double input = 2100 * 8.0 * 87.81;
  for (const Projection& p : c.projections)
    if (p.target == "L4E") {
      const int s = c.population_index(p.source);
      const double rates[] = {0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829};
      input += p.weight_pA * double(p.n_synapses) / 21915.0 * rates[s];
    }
  EXPECT_NEAR(half.populations[2].dc_pA, 1e-3 * 0.5 * (1 - std::sqrt(0.5)) * input, 0.01);
}

TEST(Potjans2014, RefusesScalesOutsideTheUnitInterval) {
  const auto message = [](double scale, double k_scale) {
    try {
      builtin_circuit("potjans2014", {scale, k_scale});
    } catch (const CircuitError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(2.0, 1.0).find("--scale 2"), std::string::npos) << message(2.0, 1.0);
  EXPECT_NE(message(0.0, 1.0).find("--scale 0"), std::string::npos) << message(0.0, 1.0);
  EXPECT_NE(message(1.0, 1.5).find("--k-scale 1.5"), std::string::npos) << message(1.0, 1.5);
  EXPECT_THROW(builtin_circuit("nonexistent"), CircuitError);
}

TEST(Potjans2014, ShownFileRunsAsItIs) {
  const Circuit c = builtin_circuit("potjans2014", {0.1, 1.0});
  const Circuit back = parse_circuit_toml(circuit_to_toml(c), "shown.toml");
  EXPECT_EQ(circuit_to_toml(back), circuit_to_toml(c));
  ASSERT_EQ(back.projections.size(), c.projections.size());
  for (std::size_t k = 0; k < c.projections.size(); ++k) {
    EXPECT_EQ(back.projections[k].weight_pA, c.projections[k].weight_pA);
    EXPECT_EQ(back.projections[k].n_synapses, c.projections[k].n_synapses);
  }
}

TEST(Builtins, EveryBuiltinValidatesAndRoundTrips) {
  const auto list = list_builtin_circuits();
  EXPECT_GE(list.size(), 4u);
  for (const BuiltinInfo& b : list) {
    const Circuit c = builtin_circuit(b.name, {0.1, 1.0});
    EXPECT_EQ(c.name, b.name);
    const Circuit back = parse_circuit_toml(circuit_to_toml(c), b.name + ".toml");
    EXPECT_EQ(circuit_to_toml(back), circuit_to_toml(c)) << b.name;
  }
}
