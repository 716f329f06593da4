// Cost of the per-neuron, per-step physics the engines run 7.7e8 times per
// biological second of the Potjans-Diesmann circuit.
#include <benchmark/benchmark.h>

#include "micro/cpu/philox_batch.hpp"
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

// The network builder's batches: 64 first blocks of consecutive synapses
// (counters 64 apart), by path: 0 scalar (philox4x32_10), 1 AVX2, 2 AVX-512.
static void BM_PhiloxCounterBlocks(benchmark::State& state) {
  using micromeso::micro::PhiloxWords;
  const auto path = state.range(0);
  if ((path == 1 && !micromeso::micro::philox_avx2_available()) ||
      (path == 2 && !micromeso::micro::philox_avx512_available())) {
    state.SkipWithError("path not on this CPU");
    return;
  }
  const auto blocks = path == 2 ? micromeso::micro::philox_counter_blocks_avx512
                      : path == 1 ? micromeso::micro::philox_counter_blocks_avx2
                                  : micromeso::micro::philox_counter_blocks_scalar;
  PhiloxWords words;
  std::uint64_t key = synapse_key(7, 0);
  for (auto _ : state) {
    blocks(1, kStreamConnectivity, kIndexPair, first_block_counter(key), kBlocksPerSynapse,
           micromeso::micro::kPhiloxBatch, words);
    benchmark::DoNotOptimize(words);
    key += micromeso::micro::kPhiloxBatch;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(micromeso::micro::kPhiloxBatch));
}
BENCHMARK(BM_PhiloxCounterBlocks)->Arg(0)->Arg(1)->Arg(2);

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

// Weight and delay from a synapse's first block, L2/3e -> L2/3e: the
// builder's per-synapse work once its Philox blocks come in batches
// (src/micro/cpu/philox_batch.hpp).
static void BM_SynapseValuesFromFirstBlock(benchmark::State& state) {
  const SynapseDrawParams p{1, kStreamConnectivity, 20683, 20683, true, true, 87.8, 8.78, true, false, 1.5, 0.75, 0.1, 75};
  constexpr std::size_t kBlocks = 4096;
  static Random4 first[kBlocks];
  for (std::size_t k = 0; k < kBlocks; ++k) first[k] = synapse_first_block(p, synapse_key(7, k));
  std::uint64_t i = 0;
  for (auto _ : state) {
    const std::uint64_t k = i++ % kBlocks;
    benchmark::DoNotOptimize(draw_synapse_values(p, synapse_key(7, k), first[k]));
  }
}
BENCHMARK(BM_SynapseValuesFromFirstBlock);

BENCHMARK_MAIN();
