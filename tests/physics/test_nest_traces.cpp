// micromeso against NEST 3.10, step by step (tests/data/nest/): the physics
// step functions, fed the traces' inputs, give NEST's V_m, synaptic currents
// and threshold (E_sfa) to 1e-9 relative at every step and its spike times
// exactly; the two-neuron chains do the same through the engines (CPU and the
// GPU emulator), where the weights travel as fixed-point integers (exact for
// the chains' 250 and 1400 pA).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "micro/backend_factory.hpp"
#include "micro/engine.hpp"
#include "micromeso/physics/gif_psc_exp.hpp"
#include "micromeso/physics/iaf_psc_exp.hpp"
#include "model/engine_constants.hpp"
#include "nest_trace.hpp"

using namespace micromeso;
using micromeso::testing::agrees_1e9;
using micromeso::testing::load_nest_trace;
using micromeso::testing::nest_population;
using micromeso::testing::step_of_stamp;
using nlohmann::json;

namespace {

// One neuron advanced by the physics step functions, through the constants
// every engine uses (engine_constants.hpp).
class Neuron {
 public:
  Neuron(const Population& pop, double dt_ms)
      : model_(pop.neuron.model), k_(neuron_constants(pop, dt_ms)), dt_ms_(dt_ms), theta_(k_.sfa_decay.size(), 0.0) {
    state_ = physics::MembraneState{pop.v_init.value_mV - k_.E_L_mV, 0.0, 0.0, 0};
  }
  // The threshold this step will use (NEST's E_sfa), mV.
  double threshold_mV() const { return physics::gif_threshold_rel_mV(theta_.data(), 1, gif()) + k_.E_L_mV; }
  // The escape draw is deterministic in these cases (Delta_V 0.001 mV: a
  // probability of 0 or 1), so any u in (0, 1) gives NEST's spikes.
  bool step(double arriving_ex_pA, double arriving_in_pA) {
    if (model_ == NeuronModel::iaf_psc_exp)
      return physics::iaf_psc_exp_step(state_, k_.model.iaf, arriving_ex_pA, arriving_in_pA);
    return physics::gif_psc_exp_step(state_, theta_.data(), 1, gif(), arriving_ex_pA, arriving_in_pA, 0.5, dt_ms_);
  }
  double V_mV() const { return state_.V_rel_mV + k_.E_L_mV; }
  const physics::MembraneState& state() const { return state_; }

 private:
  physics::GifConstants gif() const { return k_.with_arrays().gif; }
  NeuronModel model_;
  NeuronConstants k_;
  double dt_ms_;
  std::vector<double> theta_;
  physics::MembraneState state_{};
};

// What a neuron did at every step, in NEST's recorded quantities.
struct Trace {
  std::vector<double> V_m, I_syn_ex, I_syn_in, E_sfa, spike_times_ms;
  void record(const Neuron& n, double threshold_mV) {
    V_m.push_back(n.V_mV());
    I_syn_ex.push_back(n.state().I_ex_pA);
    I_syn_in.push_back(n.state().I_in_pA);
    E_sfa.push_back(threshold_mV);
  }
};

// Every recorded array of the reference against ours, at the steps NEST
// stamped; `compared` counts the values compared.
void expect_trace(const json& ref, const Trace& ours, double dt_ms, const std::string& name, std::size_t& compared) {
  const auto times = ref.at("times_ms").get<std::vector<double>>();
  compared = 0;
  for (const auto& [key, values] : std::vector<std::pair<std::string, const std::vector<double>*>>{
           {"V_m", &ours.V_m}, {"I_syn_ex", &ours.I_syn_ex}, {"I_syn_in", &ours.I_syn_in}, {"E_sfa", &ours.E_sfa}}) {
    if (!ref.contains(key)) continue;
    const auto expected = ref.at(key).get<std::vector<double>>();
    EXPECT_EQ(expected.size(), times.size());
    for (std::size_t i = 0; i < times.size(); ++i) {
      const long k = step_of_stamp(times[i], dt_ms);
      ASSERT_LT(static_cast<std::size_t>(k), values->size());
      ASSERT_TRUE(agrees_1e9((*values)[k], expected[i]))
          << name << ": " << key << " at " << times[i] << " ms: ours " << (*values)[k] << ", NEST " << expected[i];
      ++compared;
    }
  }
}

void expect_spike_times(const std::vector<double>& ours, const std::vector<double>& nest, const std::string& what) {
  ASSERT_EQ(ours.size(), nest.size()) << what << ": " << ::testing::PrintToString(ours) << " vs NEST "
                                      << ::testing::PrintToString(nest);
  for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_NEAR(ours[i], nest[i], 1e-9) << what << " spike " << i;
}

}  // namespace

// Spike-generator inputs onto one neuron; an input sent at t with delay d
// arrives in the step stamped t + d.
TEST(NestTraces, SingleNeuronsStepByStep) {
  for (const std::string file : {"iaf_psc_exp_pd.json", "gif_psc_exp_det_dt0.5.json", "gif_psc_exp_det_dt0.1.json"}) {
    const json ref = load_nest_trace(file);
    const double dt = ref.at("dt_ms");
    const long steps = std::lround(ref.at("t_sim_ms").get<double>() / dt);
    std::vector<double> ex(steps, 0.0), in(steps, 0.0);
    for (const json& input : ref.at("inputs")) {
      const double w = input.at("weight"), d = input.at("delay_ms");
      for (double t : input.at("spike_times_ms").get<std::vector<double>>()) {
        const long k = step_of_stamp(t + d, dt);
        if (k < steps) (w >= 0 ? ex : in)[k] += w;
      }
    }
    Neuron n(nest_population("n", ref.at("model"), ref.at("params")), dt);
    Trace ours;
    for (long k = 0; k < steps; ++k) {
      const double threshold = n.threshold_mV();
      if (n.step(ex[k], in[k])) ours.spike_times_ms.push_back(double(k + 1) * dt);
      ours.record(n, threshold);
    }
    std::size_t compared = 0;
    expect_trace(ref, ours, dt, file, compared);
    EXPECT_GT(compared, 1000u) << file;
    expect_spike_times(ours.spike_times_ms, ref.at("spike_times_ms").get<std::vector<double>>(), file);
  }
}

// A source neuron drives a target through one synapse: a spike of the source
// in step k arrives at the target in step k + delay / dt.
TEST(NestTraces, ChainsStepByStep) {
  for (const std::string file : {"chain_iaf_psc_exp.json", "chain_gif_psc_exp_dt0.5.json"}) {
    const json ref = load_nest_trace(file);
    const double dt = ref.at("dt_ms"), w = ref.at("weight");
    const long steps = std::lround(ref.at("t_sim_ms").get<double>() / dt);
    const long delay = std::lround(ref.at("delay_ms").get<double>() / dt);
    Neuron source(nest_population("source", ref.at("model"), ref.at("source_params")), dt);
    Neuron target(nest_population("target", ref.at("model"), ref.at("target_params")), dt);
    std::vector<double> arriving(steps + delay, 0.0);
    Trace ours;
    std::vector<double> source_spikes;
    for (long k = 0; k < steps; ++k) {
      if (source.step(0.0, 0.0)) {
        source_spikes.push_back(double(k + 1) * dt);
        arriving[k + delay] += w;
      }
      const double threshold = target.threshold_mV();
      if (target.step(arriving[k], 0.0)) ours.spike_times_ms.push_back(double(k + 1) * dt);
      ours.record(target, threshold);
    }
    expect_spike_times(source_spikes, ref.at("source_spike_times_ms").get<std::vector<double>>(), file + " source");
    expect_spike_times(ours.spike_times_ms, ref.at("target_spike_times_ms").get<std::vector<double>>(),
                       file + " target");
    std::size_t compared = 0;
    expect_trace(ref, ours, dt, file, compared);
    EXPECT_GT(compared, 1500u) << file;
  }
}

// The chains as circuits of two one-neuron populations, through the engines:
// same spike times as NEST, and the target's V_m at every step.
class NestChainThroughEngine : public ::testing::TestWithParam<BackendChoice> {};

TEST_P(NestChainThroughEngine, FiresAtNestsTimes) {
  for (const std::string file : {"chain_iaf_psc_exp.json", "chain_gif_psc_exp_dt0.5.json"}) {
    const json ref = load_nest_trace(file);
    Circuit c;
    c.name = "nest_chain";
    c.simulation.dt_ms = ref.at("dt_ms");
    c.simulation.seed = 1;
    c.populations = {nest_population("source", ref.at("model"), ref.at("source_params")),
                     nest_population("target", ref.at("model"), ref.at("target_params"))};
    Projection link;
    link.source = "source";
    link.target = "target";
    link.rule = ConnectionRule::fixed_total_number;
    link.n_synapses = 1;
    link.weight_pA = ref.at("weight");
    link.delay_ms = ref.at("delay_ms");
    c.projections = {link};
    micro::BackendOptions o;
    o.choice = GetParam();
    o.threads = 1;
    const auto backend = micro::make_backend(c, o);

    struct Spikes : micro::StepObserver {
      double dt;
      std::vector<double> source, target;
      void on_step(std::uint64_t step, const std::vector<std::uint32_t>& s) override {
        for (std::uint32_t gid : s) (gid == 0 ? source : target).push_back(double(step + 1) * dt);
      }
    } spikes;
    spikes.dt = c.simulation.dt_ms;
    const auto times = ref.at("times_ms").get<std::vector<double>>();
    const auto V_m = ref.at("V_m").get<std::vector<double>>();
    std::size_t next = 0;
    const long steps = std::lround(ref.at("t_sim_ms").get<double>() / c.simulation.dt_ms);
    for (long k = 0; k < steps; ++k) {
      ASSERT_EQ(backend->simulate(1, spikes, nullptr), 1u);
      if (next < times.size() && step_of_stamp(times[next], c.simulation.dt_ms) == k) {
        const double V = backend->membrane_potential_mV(1);
        ASSERT_TRUE(agrees_1e9(V, V_m[next])) << file << ": V_m at " << times[next] << " ms: " << V << " vs NEST "
                                              << V_m[next];
        ++next;
      }
    }
    EXPECT_EQ(next, times.size());
    expect_spike_times(spikes.source, ref.at("source_spike_times_ms").get<std::vector<double>>(), file + " source");
    expect_spike_times(spikes.target, ref.at("target_spike_times_ms").get<std::vector<double>>(), file + " target");
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, NestChainThroughEngine,
                         ::testing::Values(BackendChoice::cpu, BackendChoice::gpu_emulator),
                         [](const ::testing::TestParamInfo<BackendChoice>& info) {
                           return std::string(info.param == BackendChoice::cpu ? "Cpu" : "GpuEmulator");
                         });
