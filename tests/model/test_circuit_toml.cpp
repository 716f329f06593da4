// Circuit files: every field read with its default, and every kind of bad
// input refused with file, line and key in the message.
#include <gtest/gtest.h>

#include "tests/temp_dir.hpp"

#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "micromeso/circuit_io.hpp"
#include "model/toml_reader.hpp"

using namespace micromeso;

namespace {

const char* kTwoPopulations = R"(name = "pair"
description = "test"
[simulation]
dt = 0.1
t_sim = 200
t_presim = 20.0
seed = 7
record_spikes = false
activity_bin = 1.0

[[population]]
name = "E"
size = 100
model = "iaf_psc_exp"
C_m = 200.0
V_m = { distribution = "normal", mean = -60.0, sd = 2.0 }
poisson = { indegree = 10, rate = 8.0, weight = 80.0 }
dc = 5.5

[[population]]
name = "G"
size = 50
model = "gif_psc_exp"
g_L = 8.0
tau_sfa = [100.0, 1000.0]
q_sfa = [1.5, 0.5]
V_m = { distribution = "uniform", low = -70.0, high = -60.0 }

[[projection]]
source = "E"
target = "G"
rule = "pairwise_bernoulli"
probability = 0.2
weight = 30.0
delay = 1.5
delay_rel_sd = 0.25

[[projection]]
source = "G"
target = "E"
rule = "fixed_indegree"
indegree = 5
weight = -40.0
weight_sign = "clip"
allow_autapses = false
)";

// Replaces the first occurrence of `from` in the text.
std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

std::string error_of(const std::string& text) {
  try {
    parse_circuit_toml(text, "bad.toml");
  } catch (const CircuitError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

}  // namespace

TEST(CircuitToml, ReadsEveryFieldAndNestDefaults) {
  const Circuit c = parse_circuit_toml(kTwoPopulations, "pair.toml");
  EXPECT_EQ(c.name, "pair");
  EXPECT_EQ(c.simulation.t_sim_ms, 200.0);  // an integer is accepted as a float
  EXPECT_EQ(c.simulation.seed, 7u);
  EXPECT_FALSE(c.simulation.record.spikes);
  EXPECT_EQ(c.simulation.record.activity_bin_ms, 1.0);
  ASSERT_EQ(c.populations.size(), 2u);
  const Population& e = c.populations[0];
  EXPECT_EQ(e.neuron.C_m_pF, 200.0);
  EXPECT_EQ(e.neuron.tau_m_ms, 10.0);  // NEST iaf_psc_exp defaults
  EXPECT_EQ(e.neuron.V_th_mV, -55.0);
  EXPECT_EQ(e.neuron.E_L_mV, -70.0);
  EXPECT_EQ(e.neuron.tau_syn_ex_ms, 2.0);
  EXPECT_EQ(e.v_init.distribution, InitDistribution::normal);
  EXPECT_EQ(e.v_init.sd_mV, 2.0);
  EXPECT_EQ(e.poisson.indegree, 10u);
  EXPECT_EQ(e.dc_pA, 5.5);
  const Population& g = c.populations[1];
  EXPECT_EQ(g.neuron.model, NeuronModel::gif_psc_exp);
  EXPECT_EQ(g.neuron.tau_m_ms, 10.0);  // C_m 80 pF / g_L 8 nS
  EXPECT_EQ(g.neuron.V_T_star_mV, -35.0);
  EXPECT_EQ(g.neuron.lambda_0_per_s, 1.0);
  EXPECT_EQ(g.neuron.tau_sfa_ms, (std::vector<double>{100.0, 1000.0}));
  EXPECT_EQ(g.v_init.distribution, InitDistribution::uniform);
  ASSERT_EQ(c.projections.size(), 2u);
  EXPECT_EQ(c.projections[0].rule, ConnectionRule::pairwise_bernoulli);
  EXPECT_EQ(c.projections[0].receptor, Receptor::excitatory);
  EXPECT_EQ(c.projections[0].delay_rel_sd, 0.25);
  EXPECT_EQ(c.projections[1].receptor, Receptor::inhibitory);  // from the weight's sign
  EXPECT_EQ(c.projections[1].weight_sign, SignPolicy::clip);
  EXPECT_FALSE(c.projections[1].allow_autapses);
  EXPECT_EQ(c.origins.at("population[0].size"), "pair.toml:13:8");
}

TEST(CircuitToml, DefaultInitialPotentialIsTheRestingPotential) {
  const Circuit c = parse_circuit_toml("name = \"x\"\n[[population]]\nname = \"A\"\nsize = 1\nmodel = \"iaf_psc_exp\"\nE_L = -60.0\n",
                                       "x.toml");
  EXPECT_EQ(c.populations[0].v_init.distribution, InitDistribution::fixed);
  EXPECT_EQ(c.populations[0].v_init.value_mV, -60.0);
}

struct BadFile {
  std::string name;  // the test's name
  std::string from;
  std::string to;
  std::string position;  // "bad.toml:LINE"
  std::string message;
};

// --gtest_list_tests and failures show the edit, not the struct's bytes.
void PrintTo(const BadFile& b, std::ostream* os) {
  *os << ::testing::PrintToString(b.from) << " -> " << ::testing::PrintToString(b.to.substr(0, 40));
}

class CircuitTomlRejects : public ::testing::TestWithParam<BadFile> {};

TEST_P(CircuitTomlRejects, NamingFileLineAndKey) {
  const BadFile& b = GetParam();
  const std::string message = error_of(with(kTwoPopulations, b.from, b.to));
  EXPECT_NE(message.find(b.position), std::string::npos) << message;
  EXPECT_NE(message.find(b.message), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CircuitTomlRejects,
    ::testing::Values(
        BadFile{"size_below_one", "size = 100", "size = -3", "bad.toml:13", "population[0].size: expected an integer >= 1, got -3"},
        BadFile{"size_not_integer", "size = 100", "size = 1.5", "bad.toml:13", "population[0].size: expected an integer"},
        BadFile{"size_missing", "size = 100\n", "", "bad.toml:11", "population[0].size: missing key"},
        BadFile{"C_m_not_a_number", "C_m = 200.0", "C_m = \"big\"", "bad.toml:15", "population[0].C_m: expected a number (pF)"},
        BadFile{"unknown_key_C_mm", "C_m = 200.0", "C_mm = 200.0", "bad.toml:15", "population[0].C_mm: unknown key"},
        BadFile{"gif_parameter_on_iaf", "C_m = 200.0", "V_T_star = 200.0", "bad.toml:15", "V_T_star is not a parameter of iaf_psc_exp (it is one of gif_psc_exp)"},
        BadFile{"both_tau_m_and_g_L", "g_L = 8.0", "g_L = 8.0\ntau_m = 10.0", "bad.toml:24", "either tau_m or g_L"},
        BadFile{"q_sfa_shorter_than_tau_sfa", "q_sfa = [1.5, 0.5]", "q_sfa = [1.5]", "bad.toml:26", "population[1].q_sfa"},
        BadFile{"probability_above_one", "probability = 0.2", "probability = 1.5", "bad.toml:33", "expected a probability in [0, 1]"},
        BadFile{"unknown_target", "target = \"G\"", "target = \"X\"", "bad.toml:31", "no population is named \"X\""},
        BadFile{"duplicate_population_name", "name = \"G\"", "name = \"E\"", "bad.toml:21", "already used by population[0]"},
        BadFile{"dt_does_not_divide_t_sim", "dt = 0.1", "dt = 0.3", "bad.toml:4", "does not divide"},
        BadFile{"delay_below_one_step", "delay = 1.5", "delay = 0.05", "bad.toml:35", "at least one time step"},
        BadFile{"negative_excitatory_weight", "weight = 30.0", "weight = -30.0\nreceptor = \"excitatory\"", "bad.toml:34", "expected a weight >= 0"},
        BadFile{"fixed_indegree_without_indegree", "indegree = 5", "probability = 0.5", "bad.toml:38", "missing key"},
        BadFile{"unknown_weight_sign", "weight_sign = \"clip\"", "weight_sign = \"cut\"", "bad.toml:44", "expected one of \"redraw\", \"clip\""},
        BadFile{"negative_seed", "seed = 7", "seed = -7", "bad.toml:7", "simulation.seed"},
        BadFile{"toml_syntax_error", "t_sim = 200", "t_sim = 200 ms", "bad.toml:5", "TOML syntax error"},
        BadFile{"unknown_table", "[simulation]", "[simulatio]", "bad.toml:3", "unknown key"},
        BadFile{"negative_V_m_sd", "sd = 2.0", "sd = -2.0", "bad.toml:16", "population[0].V_m.sd"},
        BadFile{"model_missing", "model = \"gif_psc_exp\"\n", "", "bad.toml:20", "population[1].model: missing key"},
        // A misspelt key is reported as unknown, with the closest known key,
        // also where the right key is required and so first found missing.
        BadFile{"misspelt_required_key", "weight = 30.0", "wieght = 30.0", "bad.toml:34:",
                "projection[0].wieght: unknown key; did you mean 'weight'? (weight is missing"},
        BadFile{"misspelt_optional_key", "delay = 1.5", "dealy = 1.5", "bad.toml:35:9",
                "projection[0].dealy: unknown key; did you mean 'delay'?"},
        BadFile{"misspelt_parameter", "C_m = 200.0", "C_n = 200.0", "bad.toml:15:7",
                "population[0].C_n: unknown key (a population has"},
        BadFile{"misspelt_table", "[simulation]", "[simulatoin]", "bad.toml:3", "did you mean 'simulation'?"}),
    [](const ::testing::TestParamInfo<BadFile>& info) { return info.param.name; });

// Names become HDF5 group names; a 70,000-character one failed only there.
TEST(CircuitToml, PopulationNameLengthIsBoundedAtValidation) {
  Circuit c = parse_circuit_toml(kTwoPopulations, "pair.toml");
  c.populations[1].name = std::string(255, 'G');
  for (Projection& p : c.projections) (p.source == "G" ? p.source : p.target) = c.populations[1].name;
  EXPECT_NO_THROW(validate_circuit(c));
  c.populations[1].name = std::string(70000, 'G');
  for (Projection& p : c.projections) (p.source == "E" ? p.target : p.source) = c.populations[1].name;
  try {
    validate_circuit(c);
    FAIL() << "a 70,000-character name was accepted";
  } catch (const CircuitError& e) {
    EXPECT_NE(std::string(e.what()).find("pair.toml:21:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("population[1].name = \"GGGGGGGGGGGGGGGG...\" (70000 characters): "
                                         "expected at most 255 characters"),
              std::string::npos)
        << e.what();
  }
}

TEST(CircuitToml, MisspeltKeyNextToTheRightOneIsStillUnknown) {
  // weight given, and also a misspelling: the misspelling is unknown, and
  // "weight" (already given) is not what it meant.
  const std::string message = error_of(with(kTwoPopulations, "weight = 30.0", "weight = 30.0\nwieght = 3.0"));
  EXPECT_NE(message.find("projection[0].wieght: unknown key"), std::string::npos) << message;
  EXPECT_EQ(message.find("did you mean 'weight'"), std::string::npos) << message;
}

TEST(EditDistance, CountsASwapOfNeighboursAsOneEdit) {
  EXPECT_EQ(model::edit_distance("wieght", "weight"), 1u);
  EXPECT_EQ(model::edit_distance("weight", "weight"), 0u);
  EXPECT_EQ(model::edit_distance("", "abc"), 3u);
  EXPECT_EQ(model::edit_distance("tau_m", "tau_mm"), 1u);
  EXPECT_EQ(model::edit_distance("kitten", "sitting"), 3u);
}

TEST(CircuitToml, FolderIsRefusedAsACircuitFile) {
  const auto dir = micromeso::testing::unique_temp_dir("micromeso-circuit-folder");
  std::filesystem::create_directories(dir);
  try {
    load_circuit_file(dir);
    FAIL() << "a folder was read as a circuit";
  } catch (const CircuitError& e) {
    EXPECT_NE(std::string(e.what()).find(dir.string() + ": is a folder; expected a circuit .toml file"),
              std::string::npos)
        << e.what();
  }
  std::filesystem::remove_all(dir);
}

// 180,000 populations, the last named like the first: refused, naming both.
// The duplicate checks are near-linear; a quadratic check took minutes here.
TEST(CircuitToml, DuplicateNameAmongManyPopulationsIsFound) {
  constexpr int kPopulations = 180000;
  std::string text = "name = \"many\"\n";
  for (int i = 0; i < kPopulations; ++i)
    text += fmt::format("[[population]]\nname = \"P{}\"\nsize = 1\nmodel = \"iaf_psc_exp\"\n",
                        i + 1 == kPopulations ? 0 : i);
  const std::string message = error_of(text);
  EXPECT_NE(message.find(fmt::format("population[{}].name", kPopulations - 1)), std::string::npos) << message;
  EXPECT_NE(message.find("already used by population[0]"), std::string::npos) << message;
  // The same through validate_circuit alone (after command-line overrides).
  Circuit c;
  c.name = "many";
  c.populations.resize(kPopulations);
  for (int i = 0; i < kPopulations; ++i) {
    c.populations[i].name = fmt::format("P{}", i + 1 == kPopulations ? 7 : i);
    c.populations[i].size = 1;
  }
  try {
    validate_circuit(c);
    FAIL() << "duplicate accepted";
  } catch (const CircuitError& e) {
    EXPECT_NE(std::string(e.what()).find("already used by population[7]"), std::string::npos) << e.what();
  }
}

TEST(CircuitToml, MissingFileIsNamed) {
  try {
    load_circuit_file("/nonexistent/circuit.toml");
    FAIL();
  } catch (const CircuitError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/circuit.toml"), std::string::npos);
  }
}

TEST(CircuitToml, WrittenFileReadsBackEqual) {
  const Circuit a = parse_circuit_toml(kTwoPopulations, "pair.toml");
  const Circuit b = parse_circuit_toml(circuit_to_toml(a), "written.toml");
  EXPECT_EQ(circuit_to_toml(b), circuit_to_toml(a));
  EXPECT_EQ(b.populations[1].neuron.tau_m_ms, a.populations[1].neuron.tau_m_ms);
  EXPECT_EQ(b.projections[0].probability, a.projections[0].probability);
  EXPECT_NE(circuit_to_toml(a).find("C_m = 200.0  # pF"), std::string::npos);
}

TEST(Overrides, CommandLineValuesWinAndNameThemselvesInErrors) {
  Circuit c = parse_circuit_toml(kTwoPopulations, "pair.toml");
  SimulationOverrides o;
  o.dt_ms = 0.3;
  o.seed = 99;
  apply_overrides(c, o);
  EXPECT_EQ(c.simulation.seed, 99u);
  try {
    validate_circuit(c);
    FAIL();
  } catch (const CircuitError& e) {
    EXPECT_NE(std::string(e.what()).find("command line option --dt"), std::string::npos) << e.what();
  }
}

TEST(Durations, AcceptUnitsAndRefuseNonsense) {
  EXPECT_EQ(parse_duration_ms("250"), 250.0);
  EXPECT_EQ(parse_duration_ms("500ms"), 500.0);
  EXPECT_EQ(parse_duration_ms("10s"), 10000.0);
  EXPECT_EQ(parse_duration_ms("1.5 s"), 1500.0);
  for (const char* bad : {"ten", "-5ms", "", "5 hours", "inf", "0x10", "1e400"}) {
    try {
      parse_duration_ms(bad);
      ADD_FAILURE() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + bad + "'"), std::string::npos) << e.what();
    }
  }
}

TEST(CircuitToml, GifLeakConductanceStaysAtNestsDefault) {
  // NEST's gif_psc_exp keeps g_L = 4 nS: C_m = 100 pF alone gives tau_m = 25 ms.
  const Circuit c = parse_circuit_toml(
      "name = \"g\"\n[[population]]\nname = \"G\"\nsize = 3\nmodel = \"gif_psc_exp\"\nC_m = 100.0\n", "g.toml");
  EXPECT_DOUBLE_EQ(c.populations[0].neuron.tau_m_ms, 25.0);
}

TEST(CircuitToml, DescriptionWithControlCharactersSurvivesTheRoundTrip) {
  Circuit a = parse_circuit_toml(kTwoPopulations, "pair.toml");
  a.description = "line one\nline \"two\"\ttab \\ end";
  const Circuit b = parse_circuit_toml(circuit_to_toml(a), "written.toml");
  EXPECT_EQ(b.description, a.description);
}
