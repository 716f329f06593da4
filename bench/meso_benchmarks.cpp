// Cost of the mesoscopic engine per time step: against the history length K
// (one population; K set through the adaptation kernel) and against the
// number of all-to-all coupled populations (K = 100 each).
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>

#include "micromeso/meso.hpp"

namespace {

micromeso::Population gif_population(const std::string& name) {
  micromeso::Population p;
  p.name = name;
  p.size = 1000;
  auto& n = p.neuron;
  n.model = micromeso::NeuronModel::gif_psc_exp;
  n.C_m_pF = 250.0;
  n.tau_m_ms = 10.0;
  n.E_L_mV = n.V_reset_mV = 0.0;
  n.t_ref_ms = 2.0;
  n.tau_syn_ex_ms = n.tau_syn_in_ms = 0.5;
  n.V_T_star_mV = 15.0;
  n.Delta_V_mV = 2.0;
  n.lambda_0_per_s = 10.0;
  n.I_e_pA = 500.0;  // mu = 20 mV
  return p;
}

void run_steps(benchmark::State& state, const micromeso::Circuit& c,
               const micromeso::meso::MesoOptions& options = micromeso::meso::MesoOptions{}) {
  micromeso::meso::MesoSimulator sim(c, options);
  for (int k = 0; k < 2000; ++k) sim.step();
  for (auto _ : state) {
    sim.step();
    benchmark::DoNotOptimize(sim.spike_counts().data());
  }
  state.counters["history_K"] = double(sim.history_steps(0));
  // real-time factor at dt: seconds per step / dt
  state.counters["rtf"] = benchmark::Counter(1e-3 * c.simulation.dt_ms, benchmark::Counter::kIsIterationInvariantRate |
                                                                       benchmark::Counter::kInvert);
}

// K steps of history: the kernel q exp(-t / tau) with q = 0.2 e mV and
// tau = K dt stays above 0.1 Delta_V (0.2 mV) for exactly K dt. By default
// old ages are grouped in blocks (cost ~ sqrt K); with the exact history one
// bin per step (cost ~ K).
void history_steps(benchmark::State& state, const micromeso::meso::MesoOptions& options) {
  micromeso::Circuit c;
  c.name = "history";
  c.simulation.dt_ms = 0.5;
  auto p = gif_population("P");
  p.neuron.tau_sfa_ms = {double(state.range(0)) * c.simulation.dt_ms};
  p.neuron.q_sfa_mV = {0.2 * std::exp(1.0)};
  c.populations = {p};
  run_steps(state, c, options);
}
void BM_MesoHistory(benchmark::State& state) { history_steps(state, micromeso::meso::MesoOptions{}); }
void BM_MesoHistoryExact(benchmark::State& state) {
  micromeso::meso::MesoOptions exact;
  exact.block_kernel_change_Delta_V = 0.0;
  history_steps(state, exact);
}
BENCHMARK(BM_MesoHistory)->RangeMultiplier(4)->Range(128, 32768);
BENCHMARK(BM_MesoHistoryExact)->RangeMultiplier(4)->Range(128, 32768);

void BM_MesoPopulations(benchmark::State& state) {
  micromeso::Circuit c;
  c.name = "populations";
  c.simulation.dt_ms = 0.5;
  const int P = static_cast<int>(state.range(0));
  for (int i = 0; i < P; ++i) c.populations.push_back(gif_population("P" + std::to_string(i)));
  for (int i = 0; i < P; ++i)
    for (int j = 0; j < P; ++j) {
      micromeso::Projection pr;
      pr.source = "P" + std::to_string(j);
      pr.target = "P" + std::to_string(i);
      pr.rule = micromeso::ConnectionRule::fixed_indegree;
      pr.indegree = 50;
      pr.weight_pA = j % 2 ? -20.0 : 10.0;
      pr.receptor = j % 2 ? micromeso::Receptor::inhibitory : micromeso::Receptor::excitatory;
      pr.delay_ms = 1.5;
      c.projections.push_back(pr);
    }
  run_steps(state, c);
}
BENCHMARK(BM_MesoPopulations)->RangeMultiplier(2)->Range(1, 32);

}  // namespace
