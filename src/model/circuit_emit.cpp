// A circuit as a TOML file that reads back to the same circuit: every key,
// defaults included, each with its unit.
#include <cmath>

#include <fmt/format.h>

#include "micromeso/circuit_io.hpp"

namespace micromeso {
namespace {

// Shortest text that reads back to the same double, always a TOML float.
std::string num(double v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += fmt::format("\\u{:04X}", static_cast<unsigned>(static_cast<unsigned char>(c)));  // TOML escape
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string num_array(const std::vector<double>& values) {
  std::string s = "[";
  for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + num(values[i]);
  return s + "]";
}

void line(std::string& out, const std::string& key, const std::string& value, const char* unit = nullptr) {
  out += fmt::format("{} = {}", key, value);
  if (unit) out += fmt::format("  # {}", unit);
  out += "\n";
}

void emit_population(std::string& out, const Population& p) {
  const NeuronParams& n = p.neuron;
  out += "\n[[population]]\n";
  line(out, "name", quoted(p.name));
  line(out, "size", fmt::format("{}", p.size), "neurons");
  line(out, "model", quoted(to_string(n.model)));
  if (n.model == NeuronModel::spike_generator) {  // a stimulus: its trains only
    std::string trains;
    for (const auto& train : n.spike_times_ms) trains += (trains.empty() ? "" : ", ") + num_array(train);
    line(out, "spike_times", n.spike_times_ms.size() == 1 ? trains : "[" + trains + "]",
         n.spike_times_ms.size() == 1 ? "ms, every neuron" : "ms, one array per neuron");
    return;
  }
  if (n.model == NeuronModel::poisson_generator) {
    line(out, "rate", num(n.rate_Hz), "Hz, each neuron an independent train");
    line(out, "start", num(n.start_ms), "ms");
    if (n.stop_ms < 1e299) line(out, "stop", num(n.stop_ms), "ms");
    return;
  }
  if (n.model == NeuronModel::inhomogeneous_poisson_generator) {
    line(out, "rate_times", num_array(n.rate_times_ms), "ms");
    line(out, "rate_values", num_array(n.rate_values_Hz), "Hz, from each rate_time on");
    return;
  }
  // Each model's own keys (circuit_toml.cpp reads exactly these).
  line(out, "C_m", num(n.C_m_pF), "pF");
  const auto adaptation = [&] {
    line(out, "tau_sfa", num_array(n.tau_sfa_ms), "ms");
    line(out, "q_sfa", num_array(n.q_sfa_mV), "mV");
  };
  if (n.model == NeuronModel::pp_psc_delta) {
    line(out, "tau_m", num(n.tau_m_ms), "ms");
    line(out, "dead_time", num(n.dead_time_ms), "ms");
    line(out, "with_reset", n.with_reset ? "true" : "false");
    line(out, "c_1", num(n.c_1_Hz_per_mV), "Hz/mV");
    line(out, "c_2", num(n.c_2_Hz), "Hz");
    line(out, "c_3", num(n.c_3_per_mV), "1/mV");
    line(out, "I_e", num(n.I_e_pA), "pA");
    adaptation();
  } else {
    if (n.model == NeuronModel::iaf_cond_exp || n.model == NeuronModel::hh_psc_alpha)
      line(out, "g_L", num(n.C_m_pF / n.tau_m_ms), "nS");
    else
      line(out, "tau_m", num(n.tau_m_ms), "ms");
    line(out, "E_L", num(n.E_L_mV), "mV");
    if (n.model == NeuronModel::iaf_psc_exp || n.model == NeuronModel::iaf_cond_exp)
      line(out, "V_th", num(n.V_th_mV), "mV");
    if (n.model != NeuronModel::hh_psc_alpha) line(out, "V_reset", num(n.V_reset_mV), "mV");
    line(out, "t_ref", num(n.t_ref_ms), "ms");
    line(out, "tau_syn_ex", num(n.tau_syn_ex_ms), "ms");
    line(out, "tau_syn_in", num(n.tau_syn_in_ms), "ms");
    line(out, "I_e", num(n.I_e_pA), "pA");
  }
  if (n.model == NeuronModel::gif_psc_exp) {
    line(out, "V_T_star", num(n.V_T_star_mV), "mV");
    line(out, "Delta_V", num(n.Delta_V_mV), "mV");
    line(out, "lambda_0", num(n.lambda_0_per_s), "1/s");
    adaptation();
  }
  if (n.model == NeuronModel::iaf_cond_exp) {
    line(out, "E_ex", num(n.E_ex_mV), "mV");
    line(out, "E_in", num(n.E_in_mV), "mV");
  }
  if (n.model == NeuronModel::hh_psc_alpha) {
    line(out, "g_Na", num(n.g_Na_nS), "nS");
    line(out, "g_K", num(n.g_K_nS), "nS");
    line(out, "E_Na", num(n.E_Na_mV), "mV");
    line(out, "E_K", num(n.E_K_mV), "mV");
  }
  const InitialPotential& v = p.v_init;
  switch (v.distribution) {
    case InitDistribution::fixed: line(out, "V_m", num(v.value_mV), "mV"); break;
    case InitDistribution::normal:
      line(out, "V_m", fmt::format("{{ distribution = \"normal\", mean = {}, sd = {} }}", num(v.mean_mV), num(v.sd_mV)),
           "mV");
      break;
    case InitDistribution::uniform:
      line(out, "V_m",
           fmt::format("{{ distribution = \"uniform\", low = {}, high = {} }}", num(v.low_mV), num(v.high_mV)), "mV");
      break;
  }
  if (p.poisson.indegree > 0 || p.poisson.rate_hz != 0.0 || p.poisson.weight_pA != 0.0)
    line(out, "poisson",
         fmt::format("{{ indegree = {}, rate = {}, weight = {} }}", p.poisson.indegree, num(p.poisson.rate_hz),
                     num(p.poisson.weight_pA)),
         "indegree: sources per neuron, rate: Hz per source, weight: pA");
  line(out, "dc", num(p.dc_pA), "pA");
  if (!p.step_current.amplitude_times_ms.empty())
    line(out, "step_current",
         fmt::format("{{ amplitude_times = {}, amplitude_values = {} }}", num_array(p.step_current.amplitude_times_ms),
                     num_array(p.step_current.amplitude_values_pA)),
         "ms, pA: each amplitude from its time on");
}

void emit_projection(std::string& out, const Projection& pr) {
  out += "\n[[projection]]\n";
  line(out, "source", quoted(pr.source));
  line(out, "target", quoted(pr.target));
  line(out, "rule", quoted(to_string(pr.rule)));
  switch (pr.rule) {
    case ConnectionRule::fixed_total_number: line(out, "n_synapses", fmt::format("{}", pr.n_synapses), "synapses"); break;
    case ConnectionRule::pairwise_bernoulli: line(out, "probability", num(pr.probability)); break;
    case ConnectionRule::fixed_indegree: line(out, "indegree", fmt::format("{}", pr.indegree), "sources per target"); break;
    case ConnectionRule::fixed_outdegree: line(out, "outdegree", fmt::format("{}", pr.outdegree), "targets per source"); break;
    case ConnectionRule::one_to_one: break;
  }
  if (pr.rule == ConnectionRule::fixed_indegree || pr.rule == ConnectionRule::fixed_outdegree)
    line(out, "allow_multapses", pr.allow_multapses ? "true" : "false");
  line(out, "allow_autapses", pr.allow_autapses ? "true" : "false");
  line(out, "receptor", quoted(to_string(pr.receptor)));
  line(out, "weight", num(pr.weight_pA), "pA");
  line(out, "weight_rel_sd", num(pr.weight_rel_sd), "sd / |mean|");
  line(out, "weight_sign", quoted(to_string(pr.weight_sign)), "wrong-signed draws: redraw or clip to 0");
  line(out, "delay", num(pr.delay_ms), "ms");
  line(out, "delay_rel_sd", num(pr.delay_rel_sd), "sd / mean; draws below dt/2 are redrawn");
}

void emit_multimeter(std::string& out, const Multimeter& m) {
  out += "\n[[multimeter]]\n";
  line(out, "population", quoted(m.population));
  std::string neurons = "[", names = "[";
  for (std::size_t i = 0; i < m.neurons.size(); ++i) neurons += (i ? ", " : "") + std::to_string(m.neurons[i]);
  for (std::size_t i = 0; i < m.record_from.size(); ++i) names += (i ? ", " : "") + quoted(m.record_from[i]);
  line(out, "neurons", neurons + "]", "indices within the population");
  line(out, "record_from", names + "]");
  line(out, "interval", num(m.interval_ms), "ms; 0 = dt");
}

}  // namespace

std::string circuit_to_toml(const Circuit& c) {
  std::string out = fmt::format(
      "# micromeso circuit file: {}\n# Units as in NEST: ms, mV, pA, pF, Hz. Run it with `micromeso run FILE`;\n"
      "# the keys are described in docs/circuit-file.md (\"Circuit file reference\").\n\n",
      c.name);
  line(out, "name", quoted(c.name));
  line(out, "description", quoted(c.description));
  const SimulationSpec& s = c.simulation;
  out += "\n[simulation]\n";
  line(out, "dt", num(s.dt_ms), "ms");
  line(out, "t_sim", num(s.t_sim_ms), "ms, recorded");
  line(out, "t_presim", num(s.t_presim_ms), "ms, transient, not recorded");
  line(out, "seed", fmt::format("{}", s.seed));
  line(out, "record_spikes", s.record.spikes ? "true" : "false");
  line(out, "activity_bin", num(s.record.activity_bin_ms), "ms; 0 = dt");
  for (const Population& p : c.populations) emit_population(out, p);
  for (const Projection& pr : c.projections) emit_projection(out, pr);
  for (const Multimeter& m : c.multimeters) emit_multimeter(out, m);
  return out;
}

}  // namespace micromeso
