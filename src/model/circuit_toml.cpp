// Circuit files (TOML) into the circuit model. The schema is documented in
// docs/circuit-file.md ("Circuit file reference"); names and units follow NEST.
#include <fstream>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "micromeso/circuit_io.hpp"
#include "model/circuit_table.hpp"
#include "model/neuron_defaults.hpp"
#include "model/toml_reader.hpp"

namespace micromeso {
namespace {

using model::TomlTableReader;

// Population index by name while parsing: one lookup per population and per
// projection end keeps a file of 100,000s of populations near-linear.
using NameIndex = std::unordered_map<std::string, std::size_t>;

// The parameters each model takes (NEST's names).
const std::vector<std::string>& model_keys(NeuronModel model) {
  static const std::vector<std::string> iaf = {"C_m", "tau_m", "E_L", "V_reset", "t_ref", "tau_syn_ex", "tau_syn_in",
                                               "I_e", "V_th"};
  static const std::vector<std::string> gif = {"C_m", "tau_m", "g_L", "E_L", "V_reset", "t_ref", "tau_syn_ex",
                                               "tau_syn_in", "I_e", "V_T_star", "Delta_V", "lambda_0", "tau_sfa",
                                               "q_sfa"};
  static const std::vector<std::string> cond = {"C_m", "g_L", "E_L", "V_th", "V_reset", "t_ref", "E_ex", "E_in",
                                                "tau_syn_ex", "tau_syn_in", "I_e"};
  static const std::vector<std::string> hh = {"C_m", "g_Na", "g_K", "g_L", "E_Na", "E_K", "E_L", "tau_syn_ex",
                                              "tau_syn_in", "t_ref", "I_e"};
  static const std::vector<std::string> pp = {"C_m", "tau_m", "dead_time", "with_reset", "c_1", "c_2", "c_3",
                                              "tau_sfa", "q_sfa", "I_e"};
  static const std::vector<std::string> generator = {"spike_times"};
  static const std::vector<std::string> poisson = {"rate", "start", "stop"};
  static const std::vector<std::string> inhomogeneous = {"rate_times", "rate_values"};
  switch (model) {
    case NeuronModel::iaf_psc_exp: return iaf;
    case NeuronModel::gif_psc_exp: return gif;
    case NeuronModel::iaf_cond_exp: return cond;
    case NeuronModel::hh_psc_alpha: return hh;
    case NeuronModel::pp_psc_delta: return pp;
    case NeuronModel::spike_generator: return generator;
    case NeuronModel::poisson_generator: return poisson;
    case NeuronModel::inhomogeneous_poisson_generator: return inhomogeneous;
  }
  return iaf;
}

const std::vector<NeuronModel> kModels = {NeuronModel::iaf_psc_exp,  NeuronModel::gif_psc_exp,
                                          NeuronModel::iaf_cond_exp, NeuronModel::hh_psc_alpha,
                                          NeuronModel::pp_psc_delta, NeuronModel::spike_generator,
                                          NeuronModel::poisson_generator,
                                          NeuronModel::inhomogeneous_poisson_generator};

constexpr double kGifDefaultLeakConductance_nS = 4.0;

bool contains(const std::vector<std::string>& list, const std::string& key) {
  for (const auto& k : list)
    if (k == key) return true;
  return false;
}

void read_simulation(TomlTableReader& r, SimulationSpec& s) {
  s.dt_ms = r.number("dt", "ms", 0.1);
  s.t_sim_ms = r.number("t_sim", "ms", 1000.0);
  s.t_presim_ms = r.number("t_presim", "ms", 0.0);
  s.seed = static_cast<std::uint64_t>(r.integer("seed", 0, INT64_MAX).value_or(1));
  s.record.spikes = r.boolean("record_spikes").value_or(true);
  s.record.activity_bin_ms = r.number("activity_bin", "ms", 0.0);
  r.finish();
}

// g_L (nS) or tau_m (ms), never both: tau_m = C_m / g_L (pF/nS = ms).
void read_leak(TomlTableReader& r, NeuronParams& n, bool takes_tau_m, double default_g_L_nS) {
  if (takes_tau_m && r.has("tau_m") && r.has("g_L"))
    r.fail_at(*r.node("g_L"), "g_L", "give either tau_m or g_L (tau_m = C_m / g_L), not both");
  if (auto g = r.number("g_L", "nS")) {
    if (!(*g > 0.0)) r.fail_at(*r.node("g_L"), "g_L", fmt::format("expected a value > 0 nS, got {}", *g));
    n.tau_m_ms = n.C_m_pF / *g;
  } else if (auto tau = takes_tau_m ? r.number("tau_m", "ms") : std::nullopt) {
    n.tau_m_ms = *tau;
  } else {
    n.tau_m_ms = n.C_m_pF / default_g_L_nS;  // NEST keeps g_L when only C_m changes
  }
}

void read_neuron(TomlTableReader& r, NeuronParams& n) {
  n.C_m_pF = r.number("C_m", "pF", n.C_m_pF);
  n.I_e_pA = r.number("I_e", "pA", n.I_e_pA);
  if (n.model == NeuronModel::pp_psc_delta) {
    n.tau_m_ms = r.number("tau_m", "ms", n.tau_m_ms);
    n.dead_time_ms = r.number("dead_time", "ms", n.dead_time_ms);
    n.with_reset = r.boolean("with_reset").value_or(n.with_reset);
    n.c_1_Hz_per_mV = r.number("c_1", "Hz/mV", n.c_1_Hz_per_mV);
    n.c_2_Hz = r.number("c_2", "Hz", n.c_2_Hz);
    n.c_3_per_mV = r.number("c_3", "1/mV", n.c_3_per_mV);
    n.tau_sfa_ms = r.number_array("tau_sfa", "ms").value_or(n.tau_sfa_ms);
    n.q_sfa_mV = r.number_array("q_sfa", "mV").value_or(n.q_sfa_mV);
    return;
  }
  n.E_L_mV = r.number("E_L", "mV", n.E_L_mV);
  n.t_ref_ms = r.number("t_ref", "ms", n.t_ref_ms);
  n.tau_syn_ex_ms = r.number("tau_syn_ex", "ms", n.tau_syn_ex_ms);
  n.tau_syn_in_ms = r.number("tau_syn_in", "ms", n.tau_syn_in_ms);
  switch (n.model) {
    case NeuronModel::iaf_psc_exp:
      n.V_reset_mV = r.number("V_reset", "mV", n.V_reset_mV);
      n.tau_m_ms = r.number("tau_m", "ms", n.tau_m_ms);
      n.V_th_mV = r.number("V_th", "mV", n.V_th_mV);
      break;
    case NeuronModel::gif_psc_exp:
      n.V_reset_mV = r.number("V_reset", "mV", n.V_reset_mV);
      read_leak(r, n, true, kGifDefaultLeakConductance_nS);
      n.V_T_star_mV = r.number("V_T_star", "mV", n.V_T_star_mV);
      n.Delta_V_mV = r.number("Delta_V", "mV", n.Delta_V_mV);
      n.lambda_0_per_s = r.number("lambda_0", "1/s", n.lambda_0_per_s);
      n.tau_sfa_ms = r.number_array("tau_sfa", "ms").value_or(n.tau_sfa_ms);
      n.q_sfa_mV = r.number_array("q_sfa", "mV").value_or(n.q_sfa_mV);
      break;
    case NeuronModel::iaf_cond_exp:
      n.V_reset_mV = r.number("V_reset", "mV", n.V_reset_mV);
      read_leak(r, n, false, n.C_m_pF / n.tau_m_ms);
      n.V_th_mV = r.number("V_th", "mV", n.V_th_mV);
      n.E_ex_mV = r.number("E_ex", "mV", n.E_ex_mV);
      n.E_in_mV = r.number("E_in", "mV", n.E_in_mV);
      break;
    case NeuronModel::hh_psc_alpha:
      read_leak(r, n, false, n.C_m_pF / n.tau_m_ms);
      n.g_Na_nS = r.number("g_Na", "nS", n.g_Na_nS);
      n.g_K_nS = r.number("g_K", "nS", n.g_K_nS);
      n.E_Na_mV = r.number("E_Na", "mV", n.E_Na_mV);
      n.E_K_mV = r.number("E_K", "mV", n.E_K_mV);
      break;
    case NeuronModel::pp_psc_delta:
    case NeuronModel::spike_generator:
    case NeuronModel::poisson_generator:
    case NeuronModel::inhomogeneous_poisson_generator: break;
  }
}

void read_initial_potential(TomlTableReader& r, const std::string& population_path, Population& p,
                            Circuit& circuit) {
  const toml::node* v = r.node("V_m");
  if (!v) {
    p.v_init.distribution = InitDistribution::fixed;
    p.v_init.value_mV = model::default_initial_V_mV(p.neuron);
    return;
  }
  if (v->is_number()) {
    p.v_init.distribution = InitDistribution::fixed;
    p.v_init.value_mV = *r.number("V_m", "mV");
    return;
  }
  if (!v->is_table())
    r.fail_at(*v, "V_m", "expected a number (mV) or a table { distribution = \"normal\" | \"uniform\", ... }");
  TomlTableReader t(*v->as_table(), population_path + ".V_m", r.source_name(), circuit);
  const auto dist = t.choice("distribution", {"normal", "uniform"});
  if (!dist) t.fail_missing("distribution", "\"normal\" (with mean, sd) or \"uniform\" (with low, high)");
  if (*dist == "normal") {
    p.v_init.distribution = InitDistribution::normal;
    p.v_init.mean_mV = t.required_number("mean", "mV");
    p.v_init.sd_mV = t.required_number("sd", "mV");
    if (p.v_init.sd_mV < 0.0) t.fail_at(*t.node("sd"), "sd", "expected a value >= 0 mV");
  } else {
    p.v_init.distribution = InitDistribution::uniform;
    p.v_init.low_mV = t.required_number("low", "mV");
    p.v_init.high_mV = t.required_number("high", "mV");
    if (p.v_init.low_mV > p.v_init.high_mV) t.fail_at(*t.node("high"), "high", "expected high >= low");
  }
  t.finish();
}

// A stimulus population: its own keys and nothing else (no neuron
// parameter, no input); validate_circuit checks the values.
void read_stimulus(TomlTableReader& r, Population& p) {
  NeuronParams& n = p.neuron;
  switch (n.model) {
    case NeuronModel::spike_generator: {
      auto trains = r.number_arrays("spike_times", "ms");
      if (!trains) r.fail_missing("spike_times", "an array of spike times (ms), or one such array per neuron");
      n.spike_times_ms = std::move(*trains);
      break;
    }
    case NeuronModel::poisson_generator:
      n.rate_Hz = r.required_number("rate", "Hz");
      n.start_ms = r.number("start", "ms", n.start_ms);
      n.stop_ms = r.number("stop", "ms", n.stop_ms);
      break;
    default: {
      auto times = r.number_array("rate_times", "ms");
      if (!times) r.fail_missing("rate_times", "an array of times (ms) at which the rate changes");
      auto rates = r.number_array("rate_values", "Hz");
      if (!rates) r.fail_missing("rate_values", "an array of rates (Hz), one per rate_times");
      n.rate_times_ms = std::move(*times);
      n.rate_values_Hz = std::move(*rates);
      break;
    }
  }
  p.v_init.distribution = InitDistribution::fixed;
  p.v_init.value_mV = model::default_initial_V_mV(n);
  const std::vector<std::string>& keys = model_keys(n.model);
  r.finish([&](const std::string& key) {
    std::string list;
    for (const std::string& k : keys) list += ", " + k;
    return fmt::format("{} is not a key of a {} population (it has name, size, model{}; its spikes reach other "
                       "populations through projections)",
                       key, to_string(n.model), list);
  });
}

Population read_population(const toml::table& table, std::size_t index, const std::string& source,
                           Circuit& circuit, NameIndex& names) {
  const std::string path = fmt::format("population[{}]", index);
  TomlTableReader r(table, path, source, circuit);
  Population p;
  p.name = r.required_string("name");
  if (const auto [other, added] = names.emplace(p.name, index); !added)
    r.fail_at(*r.node("name"), "name",
              fmt::format("\"{}\" is already used by population[{}]", p.name, other->second));
  p.size = static_cast<std::uint64_t>(*[&] {
    if (!r.has("size")) r.fail_missing("size", "an integer >= 1");
    return r.integer("size", 1, 0xFFFFFFFFll);
  }());
  std::vector<std::string> model_names;
  for (NeuronModel m : kModels) model_names.push_back(to_string(m));
  const auto model = r.choice("model", model_names);
  if (!model)
    r.fail_missing("model", "one of \"iaf_psc_exp\", \"gif_psc_exp\", \"iaf_cond_exp\", \"hh_psc_alpha\", "
                            "\"pp_psc_delta\", \"spike_generator\", \"poisson_generator\", "
                            "\"inhomogeneous_poisson_generator\"");
  NeuronModel chosen = NeuronModel::iaf_psc_exp;
  for (NeuronModel m : kModels)
    if (*model == to_string(m)) chosen = m;
  p.neuron = model::default_neuron_params(chosen);
  if (is_stimulus(chosen)) {
    read_stimulus(r, p);
    return p;
  }
  read_neuron(r, p.neuron);
  read_initial_potential(r, path, p, circuit);
  if (const toml::table* poisson = r.inline_table("poisson")) {
    TomlTableReader t(*poisson, path + ".poisson", source, circuit);
    p.poisson.indegree = static_cast<std::uint32_t>(*[&] {
      if (!t.has("indegree")) t.fail_missing("indegree", "an integer >= 0");
      return t.integer("indegree", 0, 0xFFFFFFFFll);
    }());
    p.poisson.rate_hz = t.required_number("rate", "Hz");
    if (p.poisson.rate_hz < 0.0) t.fail_at(*t.node("rate"), "rate", "expected a rate >= 0 Hz");
    p.poisson.weight_pA = t.required_number("weight", "pA");
    t.finish();
  }
  p.dc_pA = r.number("dc", "pA", 0.0);
  if (const toml::table* current = r.inline_table("step_current")) {
    TomlTableReader t(*current, path + ".step_current", source, circuit);
    auto times = t.number_array("amplitude_times", "ms");
    if (!times) t.fail_missing("amplitude_times", "an array of times (ms) at which the current changes");
    auto values = t.number_array("amplitude_values", "pA");
    if (!values) t.fail_missing("amplitude_values", "an array of currents (pA), one per amplitude_times");
    p.step_current.amplitude_times_ms = std::move(*times);
    p.step_current.amplitude_values_pA = std::move(*values);
    t.finish();
  }
  r.finish([&](const std::string& key) -> std::string {
    std::string owners;
    for (NeuronModel m : kModels)
      if (contains(model_keys(m), key)) owners += std::string(owners.empty() ? "" : ", ") + to_string(m);
    if (!owners.empty())
      return fmt::format("{} is not a parameter of {} (it is one of {})", key, to_string(p.neuron.model), owners);
    return fmt::format(
        "unknown key (a population has name, size, model, V_m, poisson, dc, step_current and the parameters of {})",
                       to_string(p.neuron.model));
  });
  return p;
}

// The rules without a count of their own (one_to_one) or with a degree per
// source (fixed_outdegree).
void read_projection_rule_extra(TomlTableReader& r, const std::string& rule, Projection& pr) {
  if (rule == "one_to_one") {
    pr.rule = ConnectionRule::one_to_one;
    return;
  }
  pr.rule = ConnectionRule::fixed_outdegree;
  if (!r.has("outdegree")) r.fail_missing("outdegree", "an integer >= 0 (rule fixed_outdegree)");
  pr.outdegree = static_cast<std::uint32_t>(*r.integer("outdegree", 0, 0xFFFFFFFFll));
}

Projection read_projection(const toml::table& table, std::size_t index, const std::string& source, Circuit& circuit,
                           const NameIndex& names) {
  const std::string path = fmt::format("projection[{}]", index);
  TomlTableReader r(table, path, source, circuit);
  Projection pr;
  pr.source = r.required_string("source");
  if (!names.count(pr.source))
    r.fail_at(*r.node("source"), "source", fmt::format("no population is named \"{}\"", pr.source));
  pr.target = r.required_string("target");
  if (!names.count(pr.target))
    r.fail_at(*r.node("target"), "target", fmt::format("no population is named \"{}\"", pr.target));
  const auto rule = r.choice(
      "rule", {"fixed_total_number", "pairwise_bernoulli", "fixed_indegree", "fixed_outdegree", "one_to_one"});
  if (!rule)
    r.fail_missing("rule", "\"fixed_total_number\", \"pairwise_bernoulli\", \"fixed_indegree\", "
                           "\"fixed_outdegree\" or \"one_to_one\"");
  if (*rule == "fixed_total_number") {
    pr.rule = ConnectionRule::fixed_total_number;
    if (!r.has("n_synapses")) r.fail_missing("n_synapses", "an integer >= 0 (rule fixed_total_number)");
    pr.n_synapses = static_cast<std::uint64_t>(*r.integer("n_synapses", 0, INT64_MAX));
  } else if (*rule == "pairwise_bernoulli") {
    pr.rule = ConnectionRule::pairwise_bernoulli;
    pr.probability = r.required_number("probability", "probability");
    if (!(pr.probability >= 0.0 && pr.probability <= 1.0))
      r.fail_at(*r.node("probability"), "probability", fmt::format("expected a probability in [0, 1], got {}", pr.probability));
  } else if (*rule == "fixed_indegree") {
    pr.rule = ConnectionRule::fixed_indegree;
    if (!r.has("indegree")) r.fail_missing("indegree", "an integer >= 0 (rule fixed_indegree)");
    pr.indegree = static_cast<std::uint32_t>(*r.integer("indegree", 0, 0xFFFFFFFFll));
  } else {
    read_projection_rule_extra(r, *rule, pr);
  }
  if (pr.rule == ConnectionRule::fixed_indegree || pr.rule == ConnectionRule::fixed_outdegree)
    pr.allow_multapses = r.boolean("allow_multapses").value_or(true);
  pr.allow_autapses = r.boolean("allow_autapses").value_or(true);
  pr.weight_pA = r.required_number("weight", "pA");
  const auto receptor = r.choice("receptor", {"excitatory", "inhibitory"});
  pr.receptor = receptor ? (*receptor == "excitatory" ? Receptor::excitatory : Receptor::inhibitory)
                         : (pr.weight_pA >= 0.0 ? Receptor::excitatory : Receptor::inhibitory);
  pr.weight_rel_sd = r.number("weight_rel_sd", "relative", 0.0);
  const auto sign = r.choice("weight_sign", {"redraw", "clip"});
  pr.weight_sign = sign && *sign == "clip" ? SignPolicy::clip : SignPolicy::redraw;
  pr.delay_ms = r.number("delay", "ms", 1.0);
  pr.delay_rel_sd = r.number("delay_rel_sd", "relative", 0.0);
  r.finish([&](const std::string& key) -> std::string {
    if (key == "n_synapses" || key == "probability" || key == "indegree" || key == "outdegree")
      return fmt::format("{} does not belong to rule {}", key, *rule);
    if (key == "allow_multapses")
      return fmt::format("allow_multapses does not belong to rule {} (only fixed_indegree and fixed_outdegree "
                         "take it)", *rule);
    return "unknown key";
  });
  return pr;
}

// Which neurons and variables; validate_circuit checks them against the
// population (indices, the model's variables).
Multimeter read_multimeter(const toml::table& table, std::size_t index, const std::string& source, Circuit& circuit) {
  TomlTableReader r(table, fmt::format("multimeter[{}]", index), source, circuit);
  Multimeter m;
  m.population = r.required_string("population");
  if (circuit.population_index(m.population) < 0)
    r.fail_at(*r.node("population"), "population", fmt::format("no population is named \"{}\"", m.population));
  const auto neurons = r.integer_array("neurons", 0, 0xFFFFFFFFll);
  if (!neurons) r.fail_missing("neurons", "an array of neuron indices within the population (0-based)");
  m.neurons.assign(neurons->begin(), neurons->end());
  const auto variables = r.string_array("record_from");
  if (!variables) r.fail_missing("record_from", "an array of variable names, e.g. [\"V_m\"]");
  m.record_from = *variables;
  m.interval_ms = r.number("interval", "ms", 0.0);
  r.finish([](const std::string&) {
    return std::string("unknown key (a multimeter has population, neurons, record_from and interval)");
  });
  return m;
}

}  // namespace

Circuit parse_circuit_toml(std::string_view text, const std::string& source_name) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    throw CircuitError(fmt::format("{}: TOML syntax error: {}", model::position(source_name, e.source()),
                                   e.description()));
  }
  return model::parse_circuit_table(root, source_name);
}

namespace model {

Circuit parse_circuit_table(const toml::table& root, const std::string& source_name) {
  Circuit c;
  model::TomlTableReader top(root, "", source_name, c);
  c.name = top.required_string("name");
  c.description = top.string("description").value_or("");
  if (const toml::node* sim = top.node("simulation")) {
    if (!sim->is_table()) top.fail_at(*sim, "simulation", "expected a table [simulation]");
    model::TomlTableReader r(*sim->as_table(), "simulation", source_name, c);
    read_simulation(r, c.simulation);
  }
  const toml::node* pops = top.node("population");
  if (!pops) top.fail_missing("population", "at least one [[population]] table");
  if (!pops->is_array_of_tables()) top.fail_at(*pops, "population", "expected [[population]] tables");
  NameIndex names;
  std::size_t i = 0;
  for (const toml::node& p : *pops->as_array())
    c.populations.push_back(read_population(*p.as_table(), i++, source_name, c, names));
  if (const toml::node* projs = top.node("projection")) {
    if (!projs->is_array_of_tables()) top.fail_at(*projs, "projection", "expected [[projection]] tables");
    std::size_t k = 0;
    for (const toml::node& p : *projs->as_array())
      c.projections.push_back(read_projection(*p.as_table(), k++, source_name, c, names));
  }
  if (const toml::node* meters = top.node("multimeter")) {
    if (!meters->is_array_of_tables()) top.fail_at(*meters, "multimeter", "expected [[multimeter]] tables");
    std::size_t k = 0;
    for (const toml::node& m : *meters->as_array())
      c.multimeters.push_back(read_multimeter(*m.as_table(), k++, source_name, c));
  }
  top.finish([](const std::string&) {
    return std::string(
        "unknown key (the top level has name, description, [simulation], [[population]], [[projection]], "
        "[[multimeter]])");
  });
  validate_circuit(c);
  return c;
}

}  // namespace model

Circuit load_circuit_file(const std::filesystem::path& file) {
  // An ifstream opens a folder and reads it as an empty file.
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw CircuitError(fmt::format("{}: is a folder; expected a circuit .toml file", file.string()));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CircuitError(fmt::format("{}: cannot open the circuit file", file.string()));
  std::stringstream text;
  text << in.rdbuf();
  return parse_circuit_toml(text.str(), file.string());
}

}  // namespace micromeso
