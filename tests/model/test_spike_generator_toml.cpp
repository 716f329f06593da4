// spike_generator populations in circuit files: one train for every neuron
// or one per neuron, printed back unchanged, and every bad train, key or
// input refused with the population, the key and the spike named.
#include <gtest/gtest.h>

#include <string>

#include "micromeso/circuit_io.hpp"

using namespace micromeso;

namespace {

// A generator G of `size` neurons (with `keys`) driving one neuron N.
std::string generator_circuit(int size, const std::string& keys, const std::string& projection_target = "N") {
  return "name = \"g\"\n[simulation]\ndt = 0.1\n"
         "[[population]]\nname = \"N\"\nsize = 1\nmodel = \"iaf_psc_exp\"\n"
         "[[population]]\nname = \"G\"\nsize = " +
         std::to_string(size) + "\nmodel = \"spike_generator\"\n" + keys +
         "\n[[projection]]\nsource = \"G\"\ntarget = \"" + projection_target +
         "\"\nrule = \"pairwise_bernoulli\"\nprobability = 1.0\nweight = 100.0\ndelay = 1.0\n";
}

std::string error_of(const std::string& text) {
  try {
    parse_circuit_toml(text, "g.toml");
  } catch (const CircuitError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(SpikeGeneratorToml, OneTrainForAllOrOnePerNeuron) {
  const Circuit shared = parse_circuit_toml(generator_circuit(3, "spike_times = [0.1, 2.0, 7.5]"), "g.toml");
  const Population& g = shared.populations[1];
  EXPECT_EQ(g.neuron.model, NeuronModel::spike_generator);
  ASSERT_EQ(g.neuron.spike_times_ms.size(), 1u);
  EXPECT_EQ(g.neuron.spike_times_ms[0], (std::vector<double>{0.1, 2.0, 7.5}));

  const Circuit each = parse_circuit_toml(generator_circuit(2, "spike_times = [[1.0, 2.0], []]"), "g.toml");
  ASSERT_EQ(each.populations[1].neuron.spike_times_ms.size(), 2u);
  EXPECT_EQ(each.populations[1].neuron.spike_times_ms[0], (std::vector<double>{1.0, 2.0}));
  EXPECT_TRUE(each.populations[1].neuron.spike_times_ms[1].empty());

  // Printed and read back: the same trains.
  for (const Circuit* c : {&shared, &each}) {
    const Circuit again = parse_circuit_toml(circuit_to_toml(*c), "printed.toml");
    EXPECT_EQ(again.populations[1].neuron.spike_times_ms, c->populations[1].neuron.spike_times_ms);
    EXPECT_EQ(again.populations[1].neuron.model, NeuronModel::spike_generator);
  }
}

TEST(SpikeGeneratorToml, BadTrainsAreRefusedNamingTheSpike) {
  struct Case {
    std::string keys, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"", "spike_times"},  // missing
           {"spike_times = [1.05]", "on the grid of dt = 0.1 ms"},
           {"spike_times = [0.0]", "at least dt = 0.1 ms"},
           {"spike_times = [-1.0]", "at least dt"},
           {"spike_times = [2.0, 1.0]", "ascending"},
           {"spike_times = [1.0, 1.0]", "another neuron"},
           {"spike_times = [[1.0], [2.0], [3.0]]", "one per neuron (2)"},
           {"spike_times = [[1.0], 2.0]", "array of such arrays"},
           {"spike_times = \"soon\"", "array of numbers (ms)"},
           {"spike_times = [1e300]", "finite"},
       }) {
    const std::string e = error_of(generator_circuit(2, c.keys));
    EXPECT_NE(e.find(c.expected), std::string::npos) << c.keys << " -> " << e;
    EXPECT_NE(e.find("spike_times"), std::string::npos) << e;
    EXPECT_NE(e.find("g.toml"), std::string::npos) << e;
  }
  // The spike and its neuron are named.
  const std::string e = error_of(generator_circuit(2, "spike_times = [[1.0], [3.0, 2.5]]"));
  EXPECT_NE(e.find("spike 1 (neuron 1) at 2.5 ms"), std::string::npos) << e;
}

TEST(SpikeGeneratorToml, AGeneratorTakesNoInputAndNoNeuronParameter) {
  EXPECT_NE(error_of(generator_circuit(1, "spike_times = [1.0]", "G")).find("a spike_generator takes no input"),
            std::string::npos);
  for (const std::string key : {"V_m = -65.0", "C_m = 250.0", "poisson = { indegree = 1, rate = 8.0, weight = 87.8 }",
                                "dc = 10.0"}) {
    const std::string e = error_of(generator_circuit(1, "spike_times = [1.0]\n" + key));
    EXPECT_NE(e.find("is not a key of a spike_generator population"), std::string::npos) << key << " -> " << e;
  }
  const std::string e = error_of(
      "name = \"g\"\n[[population]]\nname = \"N\"\nsize = 1\nmodel = \"iaf_psc_exp\"\nspike_times = [1.0]\n");
  EXPECT_NE(e.find("spike_times is not a parameter of iaf_psc_exp (it is one of spike_generator)"), std::string::npos)
      << e;
}
