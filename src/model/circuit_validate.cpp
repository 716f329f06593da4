// Semantic checks of a complete circuit, from a file, a built-in or after
// command-line overrides. Each message names where the value came from, the
// key, the value with its unit, and what was expected.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "micromeso/circuit_io.hpp"
#include "model/origins.hpp"

namespace micromeso {
namespace {

constexpr std::size_t kMaxPopulationNameLength = 255;

// Population index by name, built once: a lookup per population or
// projection stays near-linear for circuits of 100,000s of populations.
using NameIndex = std::unordered_map<std::string_view, std::size_t>;

class Checker {
 public:
  explicit Checker(const Circuit& c) : c_(c) {}

  [[noreturn]] void fail(const std::string& key, const std::string& value_text, const std::string& expected) const {
    throw CircuitError(fmt::format("{}: {} = {}: {}", model::origin_of(c_, key), key, value_text, expected));
  }
  void finite(const std::string& key, double v, const char* unit) const {
    if (!std::isfinite(v)) fail(key, fmt::format("{}", v), fmt::format("expected a finite number ({})", unit));
  }
  void positive(const std::string& key, double v, const char* unit) const {
    finite(key, v, unit);
    if (!(v > 0.0)) fail(key, fmt::format("{} {}", v, unit), "expected a value > 0");
  }
  void non_negative(const std::string& key, double v, const char* unit) const {
    finite(key, v, unit);
    if (v < 0.0) fail(key, fmt::format("{} {}", v, unit), "expected a value >= 0");
  }
  // v must be a whole number of dt steps; the message names dt's origin too,
  // since either value may be the one to change.
  void multiple_of_dt(const std::string& key, double v) const {
    const double dt = c_.simulation.dt_ms;
    const double steps = v / dt;
    if (std::abs(steps - std::round(steps)) > 1e-9 * std::max(1.0, steps))
      fail(key, fmt::format("{} ms", v),
           fmt::format("expected a whole number of time steps, but dt = {} ms (from {}) does not divide it", dt,
                       model::origin_of(c_, "simulation.dt")));
  }

 private:
  const Circuit& c_;
};

void check_simulation(const Circuit& c, const Checker& ck) {
  const SimulationSpec& s = c.simulation;
  ck.positive("simulation.dt", s.dt_ms, "ms");
  ck.positive("simulation.t_sim", s.t_sim_ms, "ms");
  ck.non_negative("simulation.t_presim", s.t_presim_ms, "ms");
  ck.multiple_of_dt("simulation.t_sim", s.t_sim_ms);
  ck.multiple_of_dt("simulation.t_presim", s.t_presim_ms);
  ck.non_negative("simulation.activity_bin", s.record.activity_bin_ms, "ms");
  if (s.record.activity_bin_ms > 0.0) {
    if (s.record.activity_bin_ms < s.dt_ms * (1.0 - 1e-12))
      ck.fail("simulation.activity_bin", fmt::format("{} ms", s.record.activity_bin_ms),
              fmt::format("expected 0 (one bin per step) or at least dt = {} ms", s.dt_ms));
    ck.multiple_of_dt("simulation.activity_bin", s.record.activity_bin_ms);
  }
  // Steps are counted in 64 bits and times are step x dt in double: past 2^52
  // steps for each phase neither is exact (and the run would take ages).
  constexpr double kMaxSteps = 4503599627370496.0;  // 2^52
  for (const auto& [key, ms] : {std::pair{"simulation.t_sim", s.t_sim_ms}, std::pair{"simulation.t_presim", s.t_presim_ms}})
    if (ms / s.dt_ms > kMaxSteps)
      ck.fail(key, fmt::format("{} ms", ms),
              fmt::format("expected at most 2^52 steps of dt = {} ms ({:.3g} ms)", s.dt_ms, kMaxSteps * s.dt_ms));
  // The population activity is held in memory until it is written.
  constexpr double kMaxActivityValues = 2147483648.0;  // 2^31 float64: 16 GiB
  const double bin_ms = s.record.activity_bin_ms > 0.0 ? s.record.activity_bin_ms : s.dt_ms;
  const double values = std::ceil(s.t_sim_ms / bin_ms) * double(std::max<std::size_t>(1, c.populations.size()));
  if (values > kMaxActivityValues)
    ck.fail("simulation.t_sim", fmt::format("{} ms", s.t_sim_ms),
            fmt::format("expected at most {:.6g} ms: the activity of {} population(s) in bins of {} ms would hold "
                        "{:.3g} values, more than 2^31 (16 GiB); choose a larger activity bin (--activity-bin) or a "
                        "shorter run",
                        kMaxActivityValues / values * s.t_sim_ms, c.populations.size(), bin_ms, values));
}

void check_population(const Circuit& c, std::size_t i, const Checker& ck) {
  const Population& p = c.populations[i];
  const std::string at = fmt::format("population[{}]", i);
  const auto key = [&](const char* k) { return at + "." + k; };
  if (p.name.empty()) ck.fail(key("name"), "\"\"", "expected a non-empty name");
  // Names become HDF5 group names and table columns; a long one fails there.
  if (p.name.size() > kMaxPopulationNameLength)
    ck.fail(key("name"), fmt::format("\"{}...\" ({} characters)", p.name.substr(0, 16), p.name.size()),
            fmt::format("expected at most {} characters", kMaxPopulationNameLength));
  for (char ch : p.name)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'))
      ck.fail(key("name"), "\"" + p.name + "\"", "expected letters, digits and '_' only");
  if (p.size < 1) ck.fail(key("size"), "0", "expected an integer >= 1");
  const NeuronParams& n = p.neuron;
  const bool leak_as_g_L = n.model == NeuronModel::iaf_cond_exp || n.model == NeuronModel::hh_psc_alpha;
  ck.positive(key("C_m"), n.C_m_pF, "pF");
  ck.positive(key(leak_as_g_L ? "g_L" : "tau_m"), n.tau_m_ms, leak_as_g_L ? "ms (C_m / g_L)" : "ms");
  ck.finite(key("I_e"), n.I_e_pA, "pA");
  if (n.model != NeuronModel::pp_psc_delta) {
    ck.positive(key("tau_syn_ex"), n.tau_syn_ex_ms, "ms");
    ck.positive(key("tau_syn_in"), n.tau_syn_in_ms, "ms");
    ck.non_negative(key("t_ref"), n.t_ref_ms, "ms");
    ck.multiple_of_dt(key("t_ref"), n.t_ref_ms);
    ck.finite(key("E_L"), n.E_L_mV, "mV");
    ck.finite(key("V_reset"), n.V_reset_mV, "mV");
  }
  const auto check_adaptation = [&] {
    if (n.tau_sfa_ms.size() != n.q_sfa_mV.size())
      ck.fail(key("q_sfa"), fmt::format("{} values", n.q_sfa_mV.size()),
              fmt::format("expected as many values as tau_sfa ({})", n.tau_sfa_ms.size()));
    for (double tau : n.tau_sfa_ms) ck.positive(key("tau_sfa"), tau, "ms");
    for (double q : n.q_sfa_mV) ck.finite(key("q_sfa"), q, "mV");
  };
  switch (n.model) {
    case NeuronModel::iaf_psc_exp:
    case NeuronModel::iaf_cond_exp:
      ck.finite(key("V_th"), n.V_th_mV, "mV");
      if (!(n.V_reset_mV < n.V_th_mV))
        ck.fail(key("V_reset"), fmt::format("{} mV", n.V_reset_mV),
                fmt::format("expected a value below V_th = {} mV", n.V_th_mV));
      if (n.model == NeuronModel::iaf_cond_exp) {
        ck.finite(key("E_ex"), n.E_ex_mV, "mV");
        ck.finite(key("E_in"), n.E_in_mV, "mV");
      }
      break;
    case NeuronModel::gif_psc_exp:
      ck.finite(key("V_T_star"), n.V_T_star_mV, "mV");
      ck.positive(key("Delta_V"), n.Delta_V_mV, "mV");
      ck.positive(key("lambda_0"), n.lambda_0_per_s, "1/s");
      check_adaptation();
      break;
    case NeuronModel::hh_psc_alpha:
      ck.non_negative(key("g_Na"), n.g_Na_nS, "nS");
      ck.non_negative(key("g_K"), n.g_K_nS, "nS");
      ck.finite(key("E_Na"), n.E_Na_mV, "mV");
      ck.finite(key("E_K"), n.E_K_mV, "mV");
      break;
    case NeuronModel::pp_psc_delta:
      // One spike per neuron and step at most (the engines' spike record):
      // NEST draws a Poisson number of spikes when the dead time is 0.
      if (!(n.dead_time_ms >= c.simulation.dt_ms))
        ck.fail(key("dead_time"), fmt::format("{} ms", n.dead_time_ms),
                fmt::format("expected a dead time of at least dt = {} ms (micromeso emits at most one spike per "
                            "neuron and step)",
                            c.simulation.dt_ms));
      ck.multiple_of_dt(key("dead_time"), n.dead_time_ms);
      ck.finite(key("c_1"), n.c_1_Hz_per_mV, "Hz/mV");
      ck.non_negative(key("c_2"), n.c_2_Hz, "Hz");
      ck.non_negative(key("c_3"), n.c_3_per_mV, "1/mV");  // NEST refuses c_3 < 0
      check_adaptation();
      break;
  }
  const InitialPotential& v = p.v_init;
  switch (v.distribution) {
    case InitDistribution::fixed: ck.finite(key("V_m"), v.value_mV, "mV"); break;
    case InitDistribution::normal:
      ck.finite(key("V_m"), v.mean_mV, "mV");
      ck.non_negative(key("V_m"), v.sd_mV, "mV (sd)");
      break;
    case InitDistribution::uniform:
      ck.finite(key("V_m"), v.low_mV, "mV");
      ck.finite(key("V_m"), v.high_mV, "mV");
      if (v.low_mV > v.high_mV)
        ck.fail(key("V_m"), fmt::format("uniform in [{}, {}] mV", v.low_mV, v.high_mV), "expected low <= high");
      break;
  }
  ck.non_negative(key("poisson"), p.poisson.rate_hz, "Hz (rate)");
  ck.finite(key("poisson"), p.poisson.weight_pA, "pA (weight)");
  ck.finite(key("dc"), p.dc_pA, "pA");
}

void check_projection(const Circuit& c, std::size_t k, const NameIndex& index, const Checker& ck) {
  const Projection& pr = c.projections[k];
  const std::string at = fmt::format("projection[{}]", k);
  const auto key = [&](const char* name) { return at + "." + name; };
  const auto src_at = index.find(pr.source), tgt_at = index.find(pr.target);
  if (src_at == index.end()) ck.fail(key("source"), "\"" + pr.source + "\"", "expected the name of a population");
  if (tgt_at == index.end()) ck.fail(key("target"), "\"" + pr.target + "\"", "expected the name of a population");
  const std::size_t src = src_at->second, tgt = tgt_at->second;
  const bool self = src == tgt;
  if (pr.rule == ConnectionRule::pairwise_bernoulli) {
    if (!(pr.probability >= 0.0 && pr.probability <= 1.0))
      ck.fail(key("probability"), fmt::format("{}", pr.probability), "expected a probability in [0, 1]");
  } else if (self && !pr.allow_autapses && c.populations[src].size < 2 &&
             (pr.rule == ConnectionRule::fixed_indegree ? pr.indegree : pr.n_synapses) > 0) {
    ck.fail(key("allow_autapses"), "false",
            fmt::format("population '{}' has one neuron: without autapses it has no partner", pr.source));
  }
  ck.finite(key("weight"), pr.weight_pA, "pA");
  if (pr.receptor == Receptor::excitatory ? pr.weight_pA < 0.0 : pr.weight_pA > 0.0)
    ck.fail(key("weight"), fmt::format("{} pA", pr.weight_pA),
            fmt::format("expected a weight {} 0 for an {} receptor", pr.receptor == Receptor::excitatory ? ">=" : "<=",
                        to_string(pr.receptor)));
  ck.non_negative(key("weight_rel_sd"), pr.weight_rel_sd, "(relative)");
  ck.non_negative(key("delay_rel_sd"), pr.delay_rel_sd, "(relative)");
  ck.finite(key("delay"), pr.delay_ms, "ms");
  const double dt = c.simulation.dt_ms;
  if (pr.delay_ms < dt * (1.0 - 1e-9))
    ck.fail(key("delay"), fmt::format("{} ms", pr.delay_ms),
            fmt::format("expected a mean delay of at least one time step, dt = {} ms (from {})", dt,
                        model::origin_of(c, "simulation.dt")));
  if (pr.delay_ms / dt > 65535.0)
    ck.fail(key("delay"), fmt::format("{} ms", pr.delay_ms),
            fmt::format("expected at most 65535 steps of dt = {} ms", dt));
}

}  // namespace

void validate_circuit(const Circuit& c) {
  const Checker ck(c);
  if (c.name.empty()) ck.fail("name", "\"\"", "expected a non-empty circuit name");
  check_simulation(c, ck);
  if (c.populations.empty()) ck.fail("population", "[]", "expected at least one [[population]]");
  NameIndex index;
  index.reserve(c.populations.size());
  for (std::size_t i = 0; i < c.populations.size(); ++i) {
    check_population(c, i, ck);
    const Population& p = c.populations[i];
    if (const auto [at, added] = index.emplace(p.name, i); !added)
      ck.fail(fmt::format("population[{}].name", i), "\"" + p.name + "\"",
              fmt::format("the name is already used by population[{}]", at->second));
  }
  for (std::size_t k = 0; k < c.projections.size(); ++k) check_projection(c, k, index, ck);
}

}  // namespace micromeso
