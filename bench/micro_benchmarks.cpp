// Cost of the per-neuron, per-step physics the engines run 7.7e8 times per
// biological second of the Potjans-Diesmann circuit.
#include <benchmark/benchmark.h>

#include "micromeso/physics/gif_psc_exp.hpp"
#include "micromeso/physics/iaf_psc_exp.hpp"
#include "micromeso/physics/poisson.hpp"
#include "micromeso/physics/random.hpp"
#include "micromeso/physics/synapse_draw.hpp"

using namespace micromeso::physics;

static void BM_Philox(benchmark::State& state) {
  std::uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(philox4x32_10(1, 2, 3, i++));
}
BENCHMARK(BM_Philox);

static void BM_PoissonBackground(benchmark::State& state) {
  const PoissonConstants c = make_poisson_constants(2100 * 8.0 * 1e-4);  // L4E
  std::uint64_t step = 0;
  for (auto _ : state) benchmark::DoNotOptimize(poisson_count(c, 1, 7, step++));
}
BENCHMARK(BM_PoissonBackground);

static void BM_IafStep(benchmark::State& state) {
  const IafConstants c{make_exp_synapse_propagators(250, 10, 0.5, 0.5, 0.1), 15.0, 0.0, 300.0, 20};
  MembraneState s{0, 0, 0, 0};
  for (auto _ : state) benchmark::DoNotOptimize(iaf_psc_exp_step(s, c, 1.0, -1.0));
}
BENCHMARK(BM_IafStep);

static void BM_SynapseDraw(benchmark::State& state) {
  SynapseDrawParams p{1, kStreamConnectivity, 20683, 20683, true, true, 87.8, 8.78, true, false, 1.5, 0.75, 0.1, 75};
  std::uint64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(draw_partner(p, 7, synapse_key(7, i), p.n_post));
    benchmark::DoNotOptimize(draw_synapse_values(p, synapse_key(7, i++)));
  }
}
BENCHMARK(BM_SynapseDraw);

BENCHMARK_MAIN();
