// spike_generator populations in circuit files: one train for every neuron
// or one per neuron, printed back unchanged, and every bad train, key or
// input refused with the population, the key and the spike named.
#include <gtest/gtest.h>

#include <string>

#include "micromeso/circuit_io.hpp"
#include "circuit_error.hpp"

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

std::string error_of(const std::string& text) { return micromeso::testing::circuit_error_of(text, "g.toml"); }

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
  EXPECT_NE(error_of(generator_circuit(1, "spike_times = [1.0]", "G")).find("G is a spike_generator, which takes no input"),
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

namespace {

// A stimulus population S of model `model` (with `keys`) driving N.
std::string stimulus_circuit(const std::string& model, const std::string& keys) {
  return "name = \"g\"\n[simulation]\ndt = 0.1\n"
         "[[population]]\nname = \"N\"\nsize = 1\nmodel = \"iaf_psc_exp\"\n"
         "[[population]]\nname = \"S\"\nsize = 5\nmodel = \"" +
         model + "\"\n" + keys +
         "\n[[projection]]\nsource = \"S\"\ntarget = \"N\"\nrule = \"fixed_indegree\"\nindegree = 2\nweight = 10.0\n";
}

}  // namespace

TEST(PoissonGeneratorToml, ReadsBothModelsAndPrintsThemBack) {
  const Circuit p = parse_circuit_toml(stimulus_circuit("poisson_generator", "rate = 120.0\nstart = 700.0\nstop = 710.0"),
                                       "g.toml");
  const NeuronParams& n = p.populations[1].neuron;
  EXPECT_EQ(n.model, NeuronModel::poisson_generator);
  EXPECT_EQ(n.rate_Hz, 120.0);
  EXPECT_EQ(n.start_ms, 700.0);
  EXPECT_EQ(n.stop_ms, 710.0);
  const Circuit open_ended = parse_circuit_toml(stimulus_circuit("poisson_generator", "rate = 5.0"), "g.toml");
  EXPECT_EQ(open_ended.populations[1].neuron.start_ms, 0.0);
  EXPECT_GT(open_ended.populations[1].neuron.stop_ms, 1e299);  // no end
  const Circuit i = parse_circuit_toml(
      stimulus_circuit("inhomogeneous_poisson_generator", "rate_times = [0.0, 50.0]\nrate_values = [10.0, 0.0]"),
      "g.toml");
  EXPECT_EQ(i.populations[1].neuron.rate_times_ms, (std::vector<double>{0.0, 50.0}));
  EXPECT_EQ(i.populations[1].neuron.rate_values_Hz, (std::vector<double>{10.0, 0.0}));
  for (const Circuit* c : {&p, &open_ended, &i}) {
    const NeuronParams again = parse_circuit_toml(circuit_to_toml(*c), "printed.toml").populations[1].neuron;
    const NeuronParams& orig = c->populations[1].neuron;
    EXPECT_EQ(again.model, orig.model);
    EXPECT_EQ(again.rate_Hz, orig.rate_Hz);
    EXPECT_EQ(again.start_ms, orig.start_ms);
    EXPECT_EQ(again.stop_ms, orig.stop_ms);
    EXPECT_EQ(again.rate_times_ms, orig.rate_times_ms);
    EXPECT_EQ(again.rate_values_Hz, orig.rate_values_Hz);
  }
}

TEST(PoissonGeneratorToml, BadRatesAndTimesAreRefused) {
  struct Case {
    std::string model, keys, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"poisson_generator", "", "population[1].rate"},
           {"poisson_generator", "rate = -1.0", "expected a value >= 0"},
           {"poisson_generator", "rate = 2000.0", "at most 1000 Hz at dt = 0.1 ms"},
           {"poisson_generator", "rate = 10.0\nstart = 5.05", "on the grid of dt"},
           {"poisson_generator", "rate = 10.0\nstart = 5.0\nstop = 5.0", "population[1].stop"},
           {"poisson_generator", "rate = 10.0\nstop = 7.33", "on the grid of dt"},
           {"poisson_generator", "rate = 10.0\nspike_times = [1.0]", "is not a key of a poisson_generator population"},
           {"inhomogeneous_poisson_generator", "rate_times = [1.0]", "rate_values"},
           {"inhomogeneous_poisson_generator", "rate_times = [1.0, 2.0]\nrate_values = [3.0]", "one rate per time"},
           {"inhomogeneous_poisson_generator", "rate_times = [2.0, 1.0]\nrate_values = [3.0, 4.0]", "ascending"},
           {"inhomogeneous_poisson_generator", "rate_times = [-1.0]\nrate_values = [3.0]", "expected a value >= 0"},
           {"inhomogeneous_poisson_generator", "rate_times = [1.0]\nrate_values = [3.0]\nrate = 3.0",
            "is not a key of a inhomogeneous_poisson_generator population"},
       }) {
    const std::string e = error_of(stimulus_circuit(c.model, c.keys));
    EXPECT_NE(e.find(c.expected), std::string::npos) << c.model << ": " << c.keys << " -> " << e;
    EXPECT_NE(e.find("g.toml"), std::string::npos) << e;
  }
}
