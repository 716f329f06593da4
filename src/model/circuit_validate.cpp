// Semantic checks of a complete circuit, from a file, a built-in or after
// command-line overrides. Each message names where the value came from, the
// key, the value with its unit, and what was expected.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "micromeso/circuit_io.hpp"
#include "micromeso/physics/state_readout.hpp"
#include "model/engine_constants.hpp"
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
    if (off_grid(v))
      fail(key, fmt::format("{} ms", v),
           fmt::format("expected a whole number of time steps, but dt = {} ms (from {}) does not divide it", dt,
                       model::origin_of(c_, "simulation.dt")));
  }
  // A time that must fall on the grid (spike and schedule times); `what`
  // names it in the message.
  void on_grid(const std::string& key, const std::string& what, double t_ms) const {
    if (off_grid(t_ms)) fail(key, what, fmt::format("expected a time on the grid of dt = {} ms", c_.simulation.dt_ms));
  }
  // The times of a schedule (a rate or a current from each time on): >= 0,
  // below 9e15 steps, on the grid, in ascending steps.
  void schedule_times(const std::string& key, const std::vector<double>& times) const {
    const double dt = c_.simulation.dt_ms;
    for (std::size_t j = 0; j < times.size(); ++j) {
      const std::string what = fmt::format("time {} at {} ms", j, times[j]);
      non_negative(key, times[j], "ms");
      if (times[j] / dt > 9e15) fail(key, what, "expected a time below 9e15 steps");
      on_grid(key, what, times[j]);
      if (j > 0 && !(std::llround(times[j] / dt) > std::llround(times[j - 1] / dt)))
        fail(key, what, fmt::format("expected times in ascending order (after {} ms)", times[j - 1]));
    }
  }

 private:
  // Whether v (ms) is not a whole number of steps, to rounding.
  bool off_grid(double v_ms) const {
    const double steps = v_ms / c_.simulation.dt_ms;
    return std::abs(steps - std::round(steps)) > 1e-9 * std::max(1.0, steps);
  }
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

// A spike_generator's trains: one for all neurons or one per neuron; each
// time on the grid, at least dt (the first step ends at dt) and strictly
// ascending, since a neuron fires at most once per step.
void check_spike_trains(const Circuit& c, const Population& p, const std::string& key, const Checker& ck) {
  const auto& trains = p.neuron.spike_times_ms;
  if (trains.size() != 1 && trains.size() != p.size)
    ck.fail(key, fmt::format("{} arrays", trains.size()),
            fmt::format("expected one array of times for every neuron, or one per neuron ({})", p.size));
  const double dt = c.simulation.dt_ms;
  for (std::size_t j = 0; j < trains.size(); ++j) {
    const std::string train = trains.size() == 1 ? std::string() : fmt::format(" (neuron {})", j);
    for (std::size_t m = 0; m < trains[j].size(); ++m) {
      const double t = trains[j][m];
      const std::string what = fmt::format("spike {}{} at {} ms", m, train, t);
      if (!std::isfinite(t) || t < dt * (1.0 - 1e-9) || t / dt > 9e15)
        ck.fail(key, what, fmt::format("expected a time of at least dt = {} ms (a spike ends a step) and finite", dt));
      ck.on_grid(key, what, t);  // NEST's spike_generator refuses off-grid times too
      if (m > 0 && !(std::llround(t / dt) > std::llround(trains[j][m - 1] / dt)))
        ck.fail(key, what,
                fmt::format("expected times in ascending order, at most one per step (after {} ms); give a repeated "
                            "spike to another neuron of the population",
                            trains[j][m - 1]));
    }
  }
}

// A Poisson generator's rate schedule: times on the grid, >= 0 and
// ascending; rates >= 0 with at most 0.1 spikes per step (the one-spike-per-
// step train stays within 10 % of a Poisson train's variance:
// physics/spike_generator.hpp).
void check_rates(const Circuit& c, const Population& p, const std::string& at, const Checker& ck) {
  const NeuronParams& n = p.neuron;
  const double dt = c.simulation.dt_ms;
  const bool windowed = n.model == NeuronModel::poisson_generator;
  const std::vector<double> times = windowed ? std::vector<double>{n.start_ms} : n.rate_times_ms;
  const std::vector<double> rates = windowed ? std::vector<double>{n.rate_Hz} : n.rate_values_Hz;
  const std::string times_key = at + (windowed ? ".start" : ".rate_times");
  const std::string rates_key = at + (windowed ? ".rate" : ".rate_values");
  if (rates.size() != times.size())
    ck.fail(rates_key, fmt::format("{} values", rates.size()),
            fmt::format("expected one rate per time of rate_times ({})", times.size()));
  ck.schedule_times(times_key, times);
  for (double rate : rates) {
    ck.non_negative(rates_key, rate, "Hz");
    if (rate * dt * 1e-3 > 0.1)
      ck.fail(rates_key, fmt::format("{} Hz", rate),
              fmt::format("expected at most 0.1 spikes per step: a rate of at most {} Hz at dt = {} ms (each neuron "
                          "fires at most once per step)",
                          0.1 / (dt * 1e-3), dt));
  }
  if (windowed) {
    if (!(n.stop_ms > n.start_ms))
      ck.fail(at + ".stop", fmt::format("{} ms", n.stop_ms), fmt::format("expected a time after start = {} ms", n.start_ms));
    if (n.stop_ms < 1e299) ck.on_grid(at + ".stop", fmt::format("{} ms", n.stop_ms), n.stop_ms);
  }
}

// Times >= 0, on the grid, ascending; one finite amplitude per time.
void check_step_current(const Population& p, const std::string& at, const Checker& ck) {
  const StepCurrent& sc = p.step_current;
  if (sc.amplitude_values_pA.size() != sc.amplitude_times_ms.size())
    ck.fail(at + ".amplitude_values", fmt::format("{} values", sc.amplitude_values_pA.size()),
            fmt::format("expected one amplitude per time of amplitude_times ({})", sc.amplitude_times_ms.size()));
  ck.schedule_times(at + ".amplitude_times", sc.amplitude_times_ms);
  for (double amplitude : sc.amplitude_values_pA) ck.finite(at + ".amplitude_values", amplitude, "pA");
}

// A stimulus population: its own keys, and no input.
void check_stimulus(const Circuit& c, const Population& p, const std::string& at, const Checker& ck) {
  if (p.neuron.model == NeuronModel::spike_generator)
    check_spike_trains(c, p, at + ".spike_times", ck);
  else
    check_rates(c, p, at, ck);
  const std::string expected = fmt::format("expected none: a {} takes no input", to_string(p.neuron.model));
  if (p.poisson.indegree > 0 && p.poisson.rate_hz > 0.0) ck.fail(at + ".poisson", "given", expected);
  if (p.dc_pA != 0.0) ck.fail(at + ".dc", fmt::format("{} pA", p.dc_pA), expected);
  if (!p.step_current.amplitude_times_ms.empty()) ck.fail(at + ".step_current", "given", expected);
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
  if (is_stimulus(p.neuron.model)) return check_stimulus(c, p, at, ck);
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
    case NeuronModel::spike_generator:
    case NeuronModel::poisson_generator:
    case NeuronModel::inhomogeneous_poisson_generator: break;  // check_stimulus
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
  check_step_current(p, at + ".step_current", ck);
}

// one_to_one, fixed_outdegree, and fixed_indegree without multapses: the
// partners each neuron can have.
void check_degree_rule(const Circuit& c, std::size_t k, std::size_t src, std::size_t tgt, const Checker& ck) {
  const Projection& pr = c.projections[k];
  const std::string at = fmt::format("projection[{}]", k);
  const bool self = src == tgt;
  const std::uint64_t n_src = c.populations[src].size, n_tgt = c.populations[tgt].size;
  if (pr.rule == ConnectionRule::one_to_one) {
    if (n_src != n_tgt)
      ck.fail(at + ".rule", "\"one_to_one\"",
              fmt::format("expected populations of equal size: '{}' has {} neurons, '{}' has {}", pr.source, n_src,
                          pr.target, n_tgt));
    if (self && !pr.allow_autapses)
      ck.fail(at + ".allow_autapses", "false",
              fmt::format("one_to_one from '{}' onto itself connects each neuron to itself only: without autapses "
                          "it makes no synapse",
                          pr.source));
    return;
  }
  const bool outdegree = pr.rule == ConnectionRule::fixed_outdegree;
  const std::uint64_t degree = outdegree ? pr.outdegree : pr.indegree;
  if (degree == 0) return;
  // Candidates of one neuron: the other side's population, less itself without autapses.
  const std::uint64_t candidates = (outdegree ? n_tgt : n_src) - (self && !pr.allow_autapses ? 1 : 0);
  const char* count_key = outdegree ? "outdegree" : "indegree";
  const char* others = outdegree ? "target" : "source";
  if (candidates == 0)
    ck.fail(at + ".allow_autapses", "false",
            fmt::format("population '{}' has one neuron: without autapses it has no partner", pr.source));
  if (!pr.allow_multapses && degree > candidates)
    ck.fail(at + "." + count_key, fmt::format("{}", degree),
            fmt::format("expected at most {} without multapses (allow_multapses = false): the {} population '{}' "
                        "has {} neurons{}",
                        candidates, others, outdegree ? pr.target : pr.source, outdegree ? n_tgt : n_src,
                        self && !pr.allow_autapses ? ", less the neuron itself (allow_autapses = false)" : ""));
}

void check_projection(const Circuit& c, std::size_t k, const NameIndex& index, const Checker& ck) {
  const Projection& pr = c.projections[k];
  const std::string at = fmt::format("projection[{}]", k);
  const auto key = [&](const char* name) { return at + "." + name; };
  const auto src_at = index.find(pr.source), tgt_at = index.find(pr.target);
  if (src_at == index.end()) ck.fail(key("source"), "\"" + pr.source + "\"", "expected the name of a population");
  if (tgt_at == index.end()) ck.fail(key("target"), "\"" + pr.target + "\"", "expected the name of a population");
  const std::size_t src = src_at->second, tgt = tgt_at->second;
  if (is_stimulus(c.populations[tgt].neuron.model))
    ck.fail(key("target"), "\"" + pr.target + "\"",
            fmt::format("expected a population of neurons: {} is a {}, which takes no input, it only sends spikes",
                        pr.target, to_string(c.populations[tgt].neuron.model)));
  const bool self = src == tgt;
  if (pr.rule == ConnectionRule::pairwise_bernoulli) {
    if (!(pr.probability >= 0.0 && pr.probability <= 1.0))
      ck.fail(key("probability"), fmt::format("{}", pr.probability), "expected a probability in [0, 1]");
  } else if (pr.rule == ConnectionRule::one_to_one || pr.rule == ConnectionRule::fixed_outdegree ||
             (pr.rule == ConnectionRule::fixed_indegree && !pr.allow_multapses)) {
    check_degree_rule(c, k, src, tgt, ck);
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

// Existing neurons, each once; variables the population's model has, each
// once; an interval of whole steps.
void check_multimeter(const Circuit& c, std::size_t k, const Checker& ck) {
  const Multimeter& m = c.multimeters[k];
  const std::string at = fmt::format("multimeter[{}]", k);
  const auto key = [&](const char* name) { return at + "." + name; };
  const int p = c.population_index(m.population);
  if (p < 0) ck.fail(key("population"), "\"" + m.population + "\"", "expected the name of a population");
  const Population& pop = c.populations[static_cast<std::size_t>(p)];
  if (m.neurons.empty()) ck.fail(key("neurons"), "[]", "expected at least one neuron index");
  std::set<std::uint64_t> seen;
  for (std::uint64_t i : m.neurons) {
    if (i >= pop.size)
      ck.fail(key("neurons"), fmt::format("{}", i),
              fmt::format("expected an index below the size of population '{}' ({})", pop.name, pop.size));
    if (!seen.insert(i).second) ck.fail(key("neurons"), fmt::format("{}", i), "expected each neuron once");
  }
  if (m.record_from.empty()) ck.fail(key("record_from"), "[]", "expected at least one variable");
  const int kind = static_cast<int>(model_kind(pop.neuron.model));
  std::string has;  // the model's variables, for the message
  for (int v = 0; v < physics::kStateVariables; ++v)
    if (physics::model_records(kind, v)) has += std::string(has.empty() ? "" : ", ") + physics::state_variable_name(v);
  std::set<std::string> named;
  for (const std::string& name : m.record_from) {
    int v = 0;
    while (v < physics::kStateVariables && name != physics::state_variable_name(v)) ++v;
    if (v == physics::kStateVariables || !physics::model_records(kind, v))
      ck.fail(key("record_from"), "\"" + name + "\"",
              fmt::format("expected a variable of {} (population '{}'): {}", to_string(pop.neuron.model), pop.name,
                          has.empty() ? "it has none" : has));
    if (!named.insert(name).second) ck.fail(key("record_from"), "\"" + name + "\"", "expected each variable once");
    for (std::size_t j = 0; j < k; ++j)  // one report per population and variable (state.h5)
      for (const std::string& other : c.multimeters[j].record_from)
        if (c.multimeters[j].population == m.population && other == name)
          ck.fail(key("record_from"), "\"" + name + "\"",
                  fmt::format("expected a variable not recorded from population '{}' by multimeter[{}] already",
                              m.population, j));
  }
  ck.non_negative(key("interval"), m.interval_ms, "ms");
  if (m.interval_ms > 0.0) {
    if (m.interval_ms < c.simulation.dt_ms * (1.0 - 1e-12))
      ck.fail(key("interval"), fmt::format("{} ms", m.interval_ms),
              fmt::format("expected 0 (every step) or at least dt = {} ms", c.simulation.dt_ms));
    ck.multiple_of_dt(key("interval"), m.interval_ms);
  }
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
  for (std::size_t k = 0; k < c.multimeters.size(); ++k) check_multimeter(c, k, ck);
}

}  // namespace micromeso
