// [[multimeter]] tables in circuit files: read, printed back unchanged, and
// every bad population, neuron, variable or interval refused with the key named.
#include <gtest/gtest.h>

#include <string>

#include "micromeso/circuit_io.hpp"
#include "circuit_error.hpp"

using namespace micromeso;

namespace {

std::string with_meter(const std::string& meter) {
  return "name = \"m\"\n[simulation]\ndt = 0.1\n"
         "[[population]]\nname = \"E\"\nsize = 10\nmodel = \"gif_psc_exp\"\n"
         "[[population]]\nname = \"C\"\nsize = 4\nmodel = \"iaf_cond_exp\"\n"
         "[[multimeter]]\n" +
         meter;
}

std::string error_of(const std::string& text) { return micromeso::testing::circuit_error_of(text, "m.toml"); }

}  // namespace

TEST(MultimeterToml, ReadsAndPrintsBack) {
  const Circuit c = parse_circuit_toml(
      with_meter("population = \"E\"\nneurons = [0, 9, 3]\nrecord_from = [\"V_m\", \"E_sfa\"]\ninterval = 1.0\n"
                 "[[multimeter]]\npopulation = \"C\"\nneurons = [1]\nrecord_from = [\"g_ex\"]\n"),
      "m.toml");
  ASSERT_EQ(c.multimeters.size(), 2u);
  EXPECT_EQ(c.multimeters[0].population, "E");
  EXPECT_EQ(c.multimeters[0].neurons, (std::vector<std::uint64_t>{0, 9, 3}));
  EXPECT_EQ(c.multimeters[0].record_from, (std::vector<std::string>{"V_m", "E_sfa"}));
  EXPECT_EQ(c.multimeters[0].interval_ms, 1.0);
  EXPECT_EQ(c.multimeters[1].interval_ms, 0.0);  // every step
  const Circuit again = parse_circuit_toml(circuit_to_toml(c), "printed.toml");
  ASSERT_EQ(again.multimeters.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(again.multimeters[i].population, c.multimeters[i].population);
    EXPECT_EQ(again.multimeters[i].neurons, c.multimeters[i].neurons);
    EXPECT_EQ(again.multimeters[i].record_from, c.multimeters[i].record_from);
    EXPECT_EQ(again.multimeters[i].interval_ms, c.multimeters[i].interval_ms);
  }
}

TEST(MultimeterToml, BadMetersAreRefusedNamingTheKey) {
  struct Case {
    std::string meter, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"population = \"X\"\nneurons = [0]\nrecord_from = [\"V_m\"]\n", "no population is named \"X\""},
           {"population = \"E\"\nrecord_from = [\"V_m\"]\n", "multimeter[0].neurons"},
           {"population = \"E\"\nneurons = [0]\n", "multimeter[0].record_from"},
           {"population = \"E\"\nneurons = [10]\nrecord_from = [\"V_m\"]\n", "below the size of population 'E' (10)"},
           {"population = \"E\"\nneurons = [-1]\nrecord_from = [\"V_m\"]\n", "array of integers"},
           {"population = \"E\"\nneurons = [2, 2]\nrecord_from = [\"V_m\"]\n", "each neuron once"},
           {"population = \"E\"\nneurons = []\nrecord_from = [\"V_m\"]\n", "at least one neuron"},
           {"population = \"E\"\nneurons = [0]\nrecord_from = [\"g_ex\"]\n",
            "a variable of gif_psc_exp (population 'E'): V_m, I_syn_ex, I_syn_in, E_sfa"},
           {"population = \"C\"\nneurons = [0]\nrecord_from = [\"E_sfa\"]\n", "V_m, g_ex, g_in"},
           {"population = \"E\"\nneurons = [0]\nrecord_from = [\"V_m\", \"V_m\"]\n", "each variable once"},
           {"population = \"E\"\nneurons = [0]\nrecord_from = [\"V_m\"]\ninterval = 0.25\n", "whole number of time steps"},
           {"population = \"E\"\nneurons = [0]\nrecord_from = [\"V_m\"]\ninterval = 0.05\n", "at least dt"},
           {"population = \"E\"\nneurons = [0]\nrecord_from = [\"V_m\"]\nwhen = 1\n", "unknown key"},
           {"population = \"E\"\nneurons = [0]\nrecord_from = [\"V_m\"]\n[[multimeter]]\npopulation = \"E\"\n"
            "neurons = [1]\nrecord_from = [\"V_m\"]\n",
            "not recorded from population 'E' by multimeter[0] already"},
       }) {
    const std::string e = error_of(with_meter(c.meter));
    EXPECT_NE(e.find(c.expected), std::string::npos) << c.meter << " -> " << e;
    EXPECT_NE(e.find("multimeter["), std::string::npos) << e;
  }
}
