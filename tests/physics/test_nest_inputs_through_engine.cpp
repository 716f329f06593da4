// NEST's single-neuron traces (tests/data/nest/) as circuits, through the
// engines (CPU and GPU emulator): each spike_generator of the NEST script is a
// spike_generator population, connected to the one neuron with the trace's
// weight and delay, so the inputs travel the engines' own path (projection,
// delay ring, fixed-point sums). The neuron fires at NEST's times exactly and
// its V_m (and, for the current-based models, I_syn_ex and I_syn_in) agrees
// with NEST at every recorded step within each model's bound (below). A
// multimeter on the neuron records the same values, and gif_psc_exp's E_sfa
// and iaf_cond_exp's conductances as NEST does.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "micro/backend_factory.hpp"
#include "micro/engine.hpp"
#include "micromeso/circuit_io.hpp"
#include "micromeso/devices.hpp"
#include "micromeso/physics/fixed_point.hpp"
#include "micromeso/physics/state_readout.hpp"
#include "model/engine_constants.hpp"
#include "nest_trace.hpp"

using namespace micromeso;
using micromeso::testing::load_nest_trace;
using micromeso::testing::nest_population;
using micromeso::testing::step_of_stamp;
using nlohmann::json;

namespace {

// One input of a NEST script: spike_generator times onto the neuron with a
// weight (pA; nS for iaf_cond_exp) and a delay.
struct NestInput {
  std::vector<double> times_ms;
  double weight = 0.0, delay_ms = 0.0;
};

// A NEST spike_generator fires a repeated time as one spike of multiplicity
// m; a micromeso generator neuron fires at most once per step, so the k-th
// repeat of a time goes to the population's k-th neuron (same weight, same
// target: the same summed input).
std::vector<std::vector<double>> trains_of(const std::vector<double>& times_ms) {
  std::vector<std::vector<double>> trains;
  std::map<double, std::size_t> seen;
  for (double t : times_ms) {
    const std::size_t k = seen[t]++;
    if (k == trains.size()) trains.emplace_back();
    trains[k].push_back(t);
  }
  for (auto& train : trains) std::sort(train.begin(), train.end());
  return trains;
}

// The neuron as population 0 (gid 0), then one generator population per input.
Circuit nest_circuit(const json& ref) {
  Circuit c;
  c.name = ref.at("case");
  c.simulation.dt_ms = ref.at("dt_ms");
  c.simulation.t_sim_ms = ref.at("t_sim_ms");
  c.simulation.seed = 1;
  c.populations = {nest_population("neuron", ref.at("model"), ref.at("params"))};
  std::size_t i = 0;
  for (const json& in : ref.at("inputs")) {
    Population g;
    g.name = "input" + std::to_string(i++);
    g.neuron.model = NeuronModel::spike_generator;
    g.neuron.spike_times_ms = trains_of(in.at("spike_times_ms").get<std::vector<double>>());
    g.size = g.neuron.spike_times_ms.size();
    Projection p;
    p.source = g.name;
    p.target = "neuron";
    p.rule = ConnectionRule::pairwise_bernoulli;
    p.probability = 1.0;
    p.weight_pA = in.at("weight");
    p.receptor = p.weight_pA >= 0.0 ? Receptor::excitatory : Receptor::inhibitory;
    p.delay_ms = in.at("delay_ms");
    c.populations.push_back(g);
    c.projections.push_back(p);
  }
  // A multimeter on the neuron, recording every variable its model has.
  Multimeter m;
  m.population = "neuron";
  m.neurons = {0};
  const int kind = static_cast<int>(model_kind(c.populations[0].neuron.model));
  for (int v = 0; v < physics::kStateVariables; ++v)
    if (physics::model_records(kind, v)) m.record_from.push_back(physics::state_variable_name(v));
  c.multimeters = {m};
  validate_circuit(c);
  return c;
}

// The multimeter's value of `variable` after the last step, or NaN when not recorded.
double recorded(const Circuit& c, const std::vector<double>& values, const std::string& variable) {
  const auto& names = c.multimeters[0].record_from;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == variable) return values.at(i);
  return std::nan("");
}

// How far the engine may be from NEST at a recorded step, per quantity.
struct Bound {
  double V_m_mV = 0.0, I_syn_pA = 0.0;
};

// Current-based models: the physics matches NEST to 1e-9 relative
// (test_nest_traces.cpp), and the engines add one error: each weight is
// rounded to the fixed-point grid (2^-14 pA), off by |dw| <= 2^-15 pA. A
// current error dw decays as dw exp(-t / tau_syn); the potential it moves is
// at most its charge over the capacitance, dw tau_syn / C_m (the leak only
// shrinks it). So after inputs with rounding errors dw_i have arrived,
// |dI| <= sum |dw_i| and |dV| <= sum |dw_i| max(tau_syn) / C_m, on top of 1e-9.
// The other models are integrated numerically, and NEST's adaptive RKF45 sets
// the bound (their weights, 6, -20 nS and 500 pA, are exact in fixed point):
// iaf_cond_exp 5e-5 mV (kTolV_mV of test_iaf_cond_exp.cpp), hh_psc_alpha
// 2e-3 mV input-driven and 2e-4 mV under a constant current at dt 0.01 ms
// (kInputDrivenBounds, kConstantCurrentBounds of test_hh_psc_alpha.cpp), each
// derived there.
Bound bound_at(const json& ref, const Population& neuron, double t_ms, double V_mV, double I_pA) {
  const std::string model = ref.at("model");
  if (model == "iaf_cond_exp") return {5e-5, 0.0};
  if (model == "hh_psc_alpha") return {ref.at("inputs").empty() ? 2e-4 : 2e-3, 0.0};
  double rounding_pA = 0.0;  // sum of |dw| over the inputs arrived by t
  for (const json& in : ref.at("inputs")) {
    const double w = in.at("weight"), d = in.at("delay_ms");
    const double dw = std::abs(physics::fixed_to_pA(physics::pA_to_fixed(w)) - w);
    for (double t : in.at("spike_times_ms").get<std::vector<double>>())
      if (t + d <= t_ms + 1e-9) rounding_pA += dw;
  }
  const NeuronParams& n = neuron.neuron;
  const double tau_syn_ms = std::max(n.tau_syn_ex_ms, n.tau_syn_in_ms);
  return {1e-9 * std::max(std::abs(V_mV), 1.0) + rounding_pA * tau_syn_ms / n.C_m_pF,
          1e-9 * std::max(std::abs(I_pA), 1.0) + rounding_pA};
}

// The CPU engine, the GPU emulator, and a CUDA device where there is one.
class NestInputsThroughEngine : public ::testing::TestWithParam<BackendChoice> {
 protected:
  void SetUp() override {
    if (GetParam() != BackendChoice::gpu) return;
    const DeviceReport report = list_devices();
    if (report.devices.empty()) GTEST_SKIP() << no_device_message(report);
  }
};

TEST_P(NestInputsThroughEngine, MatchesEveryNeuronTrace) {
  for (const std::string file : {"iaf_psc_exp_pd.json", "gif_psc_exp_det_dt0.5.json", "gif_psc_exp_det_dt0.1.json",
                                 "iaf_cond_exp.json", "hh_psc_alpha.json", "hh_psc_alpha_step.json"}) {
    const json ref = load_nest_trace(file);
    const Circuit c = nest_circuit(ref);
    micro::BackendOptions o;
    o.choice = GetParam();
    o.threads = 1;
    const auto backend = micro::make_backend(c, o);
    struct Spikes : micro::StepObserver {
      double dt = 0.0;
      std::vector<double> neuron;  // spike times of gid 0
      std::size_t inputs = 0;      // generator spikes
      std::vector<double> state;   // the multimeter's values after the last step
      void on_state(std::uint64_t, const std::vector<double>& values) override { state = values; }
      void on_step(std::uint64_t step, const std::vector<std::uint32_t>& s) override {
        for (std::uint32_t gid : s) gid == 0 ? neuron.push_back(double(step + 1) * dt) : void(++inputs);
      }
    } spikes;
    spikes.dt = c.simulation.dt_ms;

    const auto times = ref.at("times_ms").get<std::vector<double>>();
    const auto V_m = ref.at("V_m").get<std::vector<double>>();
    const bool currents = ref.contains("I_syn_in");  // the current-based models record both
    double worst_V = 0.0, worst_I = 0.0;
    long done = 0;  // steps simulated
    for (std::size_t i = 0; i < times.size(); ++i) {
      const long k = step_of_stamp(times[i], c.simulation.dt_ms);  // the state at the end of step k
      const auto steps = static_cast<std::uint64_t>(k + 1 - done);
      ASSERT_EQ(backend->simulate(steps, spikes, nullptr), steps);
      done = k + 1;
      const micro::NeuronReading r = backend->read_neuron(0);
      const double I_ex = currents ? ref.at("I_syn_ex")[i].get<double>() : 0.0;
      const double I_in = currents ? ref.at("I_syn_in")[i].get<double>() : 0.0;
      const Bound b = bound_at(ref, c.populations[0], times[i], V_m[i], std::max(std::abs(I_ex), std::abs(I_in)));
      ASSERT_LE(std::abs(r.V_m_mV - V_m[i]), b.V_m_mV) << file << ": V_m at " << times[i] << " ms";
      worst_V = std::max(worst_V, std::abs(r.V_m_mV - V_m[i]));
      // The multimeter reads the same state (RecordState on the emulator).
      ASSERT_EQ(recorded(c, spikes.state, "V_m"), r.V_m_mV) << file << " at " << times[i] << " ms";
      if (currents) {
        ASSERT_EQ(recorded(c, spikes.state, "I_syn_ex"), r.I_syn_ex_pA) << file;
        ASSERT_EQ(recorded(c, spikes.state, "I_syn_in"), r.I_syn_in_pA) << file;
      }
      // E_sfa recorded at t is the threshold of the next step, which NEST
      // stamps t + dt (physics/state_readout.hpp).
      if (ref.contains("E_sfa") && i + 1 < times.size() && step_of_stamp(times[i + 1], c.simulation.dt_ms) == k + 1) {
        ASSERT_TRUE(micromeso::testing::agrees_1e9(recorded(c, spikes.state, "E_sfa"), ref.at("E_sfa")[i + 1].get<double>()))
            << file << ": E_sfa at " << times[i] << " ms: " << recorded(c, spikes.state, "E_sfa") << " vs NEST's at "
            << times[i + 1] << " ms " << ref.at("E_sfa")[i + 1];
      }
      // iaf_cond_exp's conductances: within the bounds of test_iaf_cond_exp.cpp (kTolGex_nS, kTolGin_nS).
      if (ref.contains("g_ex")) {
        ASSERT_LE(std::abs(recorded(c, spikes.state, "g_ex") - ref.at("g_ex")[i].get<double>()), 1e-3) << file;
        ASSERT_LE(std::abs(recorded(c, spikes.state, "g_in") - ref.at("g_in")[i].get<double>()), 1e-8) << file;
      }
      if (currents) {
        ASSERT_LE(std::abs(r.I_syn_ex_pA - I_ex), b.I_syn_pA) << file << ": I_syn_ex at " << times[i] << " ms";
        ASSERT_LE(std::abs(r.I_syn_in_pA - I_in), b.I_syn_pA) << file << ": I_syn_in at " << times[i] << " ms";
        worst_I = std::max({worst_I, std::abs(r.I_syn_ex_pA - I_ex), std::abs(r.I_syn_in_pA - I_in)});
      }
    }
    // The multimeter's last stamp is t_sim - dt; spikes are recorded up to t_sim.
    const long total = std::lround(c.simulation.t_sim_ms / c.simulation.dt_ms);
    ASSERT_EQ(backend->simulate(static_cast<std::uint64_t>(total - done), spikes, nullptr),
              static_cast<std::uint64_t>(total - done));
    std::size_t sent = 0;
    for (const json& in : ref.at("inputs")) sent += in.at("spike_times_ms").size();
    EXPECT_EQ(spikes.inputs, sent) << file << ": every generator spike is emitted once";
    const auto nest = ref.at("spike_times_ms").get<std::vector<double>>();
    ASSERT_EQ(spikes.neuron.size(), nest.size()) << file;
    for (std::size_t i = 0; i < nest.size(); ++i) EXPECT_NEAR(spikes.neuron[i], nest[i], 1e-9) << file << " spike " << i;
    std::printf("[ measured ] %s: %zu steps compared, max |V_m - NEST| %.2e mV", file.c_str(), times.size(), worst_V);
    std::printf(currents ? ", max |I_syn - NEST| %.2e pA\n" : "\n", worst_I);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, NestInputsThroughEngine,
                         ::testing::Values(BackendChoice::cpu, BackendChoice::gpu_emulator, BackendChoice::gpu),
                         [](const ::testing::TestParamInfo<BackendChoice>& info) {
                           return std::string(info.param == BackendChoice::cpu            ? "Cpu"
                                              : info.param == BackendChoice::gpu_emulator ? "GpuEmulator"
                                                                                          : "Gpu");
                         });

}  // namespace
