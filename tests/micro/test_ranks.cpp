// The microscopic engine over ranks, without an MPI launcher: the neuron
// partition, each rank's construction (exactly the single process's synapses
// onto its neurons), the minimum delay, and whole runs over 1, 2 and 3 ranks
// as threads of this process (thread_ranks.hpp) with the spike exchange: the
// same spikes as one process. The runs under mpirun are in
// tests/cli/test_cli_mpi.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "tests/temp_dir.hpp"

#include "circuit_fixtures.hpp"
#include "rank_circuits.hpp"
#include "spike_log.hpp"
#include "thread_ranks.hpp"
#include "micro/cpu/cpu_backend.hpp"
#include "micro/gpu/gpu_backend.hpp"
#include "micro/mpi/rank_checks.hpp"
#include "micro/mpi/spike_exchange.hpp"
#include "micro/network.hpp"
#include "micro/population_setup.hpp"
#include "micromeso/circuit_io.hpp"
#include "micromeso/errors.hpp"
#include "micromeso/output.hpp"
#include "micromeso/run.hpp"

using namespace micromeso;
using micromeso::testing::SpikeLog;
namespace fs = std::filesystem;

namespace {

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

using Synapse = std::tuple<std::uint32_t, std::int32_t, std::uint16_t>;  // global target, weight, delay

// Every synapse of `source` in `net`, with global target ids, sorted (the
// order within a segment is free).
void append_segment(const micro::Network& net, std::uint64_t source, std::vector<Synapse>& out) {
  for (std::uint64_t j = net.synapse_offset[source]; j < net.synapse_offset[source + 1]; ++j)
    out.emplace_back(static_cast<std::uint32_t>(net.synapse_target[j] + net.local.first), net.synapse_weight[j],
                     net.synapse_delay_steps[j]);
}

std::uint64_t total_steps(const Circuit& c) {
  return micro::steps_of(c.simulation.t_presim_ms + c.simulation.t_sim_ms, c.simulation.dt_ms);
}

SpikeLog one_process(const Circuit& c, std::uint64_t steps) {
  micro::CpuBackend backend(c, micro::build_network(c, 1), 1);
  SpikeLog log;
  EXPECT_EQ(backend.simulate(steps, log, nullptr), steps);
  return log;
}

// Each rank's view of a run over `ranks` ranks (threads), simulated in pieces
// of `piece` steps (exchanges also end where a piece ends).
std::vector<SpikeLog> over_ranks(const Circuit& c, int ranks, int threads_per_rank, std::uint64_t steps,
                                 std::uint64_t piece) {
  std::vector<SpikeLog> logs(ranks);
  micromeso::testing::run_ranks(ranks, [&](parallel::Communicator& comm) {
    const micro::NeuronRange local = micro::rank_neurons(c.total_neurons(), comm.rank(), comm.size());
    micro::CpuBackend backend(c, micro::build_network(c, threads_per_rank, {}, local), threads_per_rank,
                              std::make_unique<micro::SpikeExchange>(comm, micro::min_delay_steps(c)));
    SpikeLog& log = logs[comm.rank()];
    for (std::uint64_t done = 0; done < steps;) {
      const std::uint64_t n = std::min(piece, steps - done);
      EXPECT_EQ(backend.simulate(n, log, nullptr), n);
      done += n;
    }
  });
  return logs;
}

}  // namespace

TEST(RankNeurons, ContiguousAscendingBalancedCover) {
  for (std::uint64_t n : {1ull, 7ull, 77169ull})
    for (int ranks : {1, 2, 3, 7}) {
      if (n < static_cast<std::uint64_t>(ranks)) continue;
      std::uint64_t next = 0;
      for (int r = 0; r < ranks; ++r) {
        const micro::NeuronRange range = micro::rank_neurons(n, r, ranks);
        EXPECT_EQ(range.first, next) << n << " neurons, rank " << r << " of " << ranks;
        EXPECT_GE(range.size(), n / ranks);
        EXPECT_LE(range.size(), n / ranks + 1);
        next = range.last;
      }
      EXPECT_EQ(next, n);
    }
}

TEST(MinDelay, FixedDelaysGiveTheShortestNormalDelaysOneStep) {
  const Circuit gif = micromeso::testing::gif_rules_circuit();
  EXPECT_EQ(micro::min_delay_steps(gif), 10u);  // 1.0 ms at dt 0.1 ms
  Circuit c = gif;
  c.projections[2].delay_ms = 0.2;  // 2 steps
  EXPECT_EQ(micro::min_delay_steps(c), 2u);
  c.projections[1].delay_rel_sd = 0.1;  // a normal delay may be drawn down to dt/2: one step
  EXPECT_EQ(micro::min_delay_steps(c), 1u);
  c.projections.clear();
  EXPECT_EQ(micro::min_delay_steps(c), 1u);
  EXPECT_EQ(micro::min_delay_steps(builtin_circuit("potjans2014", BuiltinOptions{0.02, 1.0})), 1u);
}

// Each rank draws only the synapses onto its neurons, from the same counters:
// together the ranks hold exactly the single process's synapses, each source's
// segment split by target.
TEST(RankConstruction, RanksHoldExactlyTheSingleProcessSynapses) {
  const std::vector<Circuit> circuits = {micromeso::testing::small_mixed_circuit(77),
                                         micromeso::testing::gif_rules_circuit(),
                                         micromeso::testing::gif_degree_rules_circuit(),
                                         micromeso::testing::every_model_circuit()};
  for (const Circuit& c : circuits) {
    const micro::Network whole = micro::build_network(c, 2);
    ASSERT_EQ(whole.local.first, 0u);
    ASSERT_EQ(whole.local.last, whole.n_neurons());
    for (int ranks : {2, 3, 5}) {
      std::vector<micro::Network> parts;
      std::uint64_t synapses = 0;
      for (int r = 0; r < ranks; ++r) {
        parts.push_back(micro::build_network(c, 1 + r % 2, {}, micro::rank_neurons(whole.n_neurons(), r, ranks)));
        const micro::Network& part = parts.back();
        synapses += part.n_synapses();
        for (std::uint64_t j = 0; j < part.n_synapses(); ++j)
          ASSERT_LT(part.synapse_target[j], part.local.size()) << c.name << ": rank " << r << " holds a foreign target";
      }
      ASSERT_EQ(synapses, whole.n_synapses()) << c.name << " over " << ranks << " ranks";
      for (std::uint64_t s = 0; s < whole.n_neurons(); ++s) {
        std::vector<Synapse> expected, got;
        append_segment(whole, s, expected);
        for (const micro::Network& part : parts) append_segment(part, s, got);
        std::sort(expected.begin(), expected.end());
        std::sort(got.begin(), got.end());
        ASSERT_EQ(got, expected) << c.name << ": source " << s << " over " << ranks << " ranks";
      }
    }
  }
}

// The memory printed and checked per rank: its share of the synapses and of
// the delay ring; the shares add up to the whole network's synapses.
TEST(RankConstruction, MemoryEstimateIsTheRanksShare) {
  const Circuit c = builtin_circuit("potjans2014", BuiltinOptions{0.1, 1.0});
  const micro::MemoryEstimate whole = micro::estimate_cpu_memory(c, 1);
  for (int ranks : {2, 3, 8}) {
    std::uint64_t synapses = 0, largest = 0;
    for (int r = 0; r < ranks; ++r) {
      const micro::MemoryEstimate e =
          micro::estimate_cpu_memory(c, 1, micro::rank_neurons(c.total_neurons(), r, ranks));
      synapses += e.expected_synapses;
      largest = std::max(largest, e.connectivity_bytes);
    }
    // Each share is rounded down once per rank.
    EXPECT_LE(synapses, whole.expected_synapses);
    EXPECT_GE(synapses + ranks, whole.expected_synapses);
    // Synapses of a rank are about 1 / ranks of the whole (populations differ
    // in in-degree, so a contiguous share is not exactly 1 / ranks).
    EXPECT_LT(static_cast<double>(largest), 2.0 * static_cast<double>(whole.connectivity_bytes) / ranks) << ranks;
  }
}

// One rank with the exchange (the single-process communicator) and intervals
// of 1 and 10 steps: deferred delivery gives the same spikes.
TEST(SpikeExchangeEngine, OneRankWithExchangeSameSpikes) {
  const Circuit c = micromeso::testing::gif_rules_circuit();
  const std::uint64_t steps = total_steps(c);
  const SpikeLog reference = one_process(c, steps);
  ASSERT_GT(reference.spikes.size(), 300u);
  for (std::uint32_t interval : {1u, 10u}) {
    const auto comm = parallel::make_single_process_communicator();
    micro::CpuBackend backend(c, micro::build_network(c, 1), 1,
                              std::make_unique<micro::SpikeExchange>(*comm, interval));
    SpikeLog log;
    EXPECT_EQ(backend.simulate(1234, log, nullptr), 1234u);  // ends inside an interval
    EXPECT_EQ(backend.simulate(steps - 1234, log, nullptr), steps - 1234);
    EXPECT_EQ(log.spikes, reference.spikes) << "interval " << interval;
  }
}

// 1, 2 and 3 ranks (threads, 1 or 2 OpenMP threads each): every rank sees the
// single process's spikes, bit for bit, on an escape-noise circuit with every
// connection rule (exchange every 10 steps) and on the reduced
// Potjans-Diesmann circuit (every step).
TEST(SpikeExchangeEngine, SameSpikesForOneTwoThreeRanks) {
  Circuit pd = builtin_circuit("potjans2014", BuiltinOptions{0.02, 1.0});
  pd.simulation.t_presim_ms = 0.0;
  pd.simulation.t_sim_ms = 100.0;
  for (const Circuit& c : {micromeso::testing::gif_rules_circuit(), micromeso::testing::gif_degree_rules_circuit(), pd}) {
    const std::uint64_t steps = total_steps(c);
    const SpikeLog reference = one_process(c, steps);
    ASSERT_GT(reference.spikes.size(), 200u) << c.name;
    for (int ranks : {1, 2, 3}) {
      const std::vector<SpikeLog> logs = over_ranks(c, ranks, 1 + ranks % 2, steps, steps / 3 + 7);
      for (int r = 0; r < ranks; ++r)
        EXPECT_EQ(logs[r].spikes, reference.spikes) << c.name << ": rank " << r << " of " << ranks;
    }
  }
}

// The GPU engine's driver and kernels over ranks, on the emulator: 1, 2 and 3
// ranks (blocks in shuffled order) give the CPU engine's single-process
// spikes, and each rank's device holds exactly the single process's synapses
// onto its neurons.
TEST(SpikeExchangeEngine, GpuEmulatorSameSpikesForOneTwoThreeRanks) {
  Circuit pd = builtin_circuit("potjans2014", BuiltinOptions{0.02, 1.0});
  pd.simulation.t_presim_ms = 0.0;
  pd.simulation.t_sim_ms = 40.0;
  for (const Circuit& c : {micromeso::testing::gif_rules_circuit(), micromeso::testing::gif_degree_rules_circuit(), pd}) {
    const std::uint64_t steps = total_steps(c);
    const SpikeLog reference = one_process(c, steps);
    const micro::Network whole = micro::build_network(c, 1);
    ASSERT_GT(reference.spikes.size(), 100u) << c.name;
    for (int ranks : {1, 2, 3}) {
      std::vector<SpikeLog> logs(ranks);
      std::vector<std::uint64_t> synapses(ranks);
      micromeso::testing::run_ranks(ranks, [&](parallel::Communicator& comm) {
        const micro::NeuronRange local = micro::rank_neurons(c.total_neurons(), comm.rank(), comm.size());
        kernels::EmulatorOptions emulator;
        emulator.order = kernels::BlockOrder::shuffled;
        emulator.shuffle_seed = 7 + comm.rank();
        micro::GpuBackend backend(c, micro::DeviceTarget::emulated(emulator), {},
                                  std::make_unique<micro::SpikeExchange>(comm, micro::min_delay_steps(c)), local);
        const micro::Network mine = backend.download_network();
        synapses[comm.rank()] = mine.n_synapses();
        for (std::uint64_t s = 0; s < whole.n_neurons(); s += 7) {  // every 7th source's segment
          std::vector<Synapse> expected, got;
          for (std::uint64_t j = whole.synapse_offset[s]; j < whole.synapse_offset[s + 1]; ++j)
            if (local.contains(whole.synapse_target[j]))
              expected.emplace_back(whole.synapse_target[j], whole.synapse_weight[j], whole.synapse_delay_steps[j]);
          append_segment(mine, s, got);
          std::sort(expected.begin(), expected.end());
          std::sort(got.begin(), got.end());
          EXPECT_EQ(got, expected) << c.name << ": source " << s << ", rank " << comm.rank() << " of " << ranks;
        }
        EXPECT_EQ(backend.simulate(steps / 2, logs[comm.rank()], nullptr), steps / 2);
        EXPECT_EQ(backend.simulate(steps - steps / 2, logs[comm.rank()], nullptr), steps - steps / 2);
      });
      std::uint64_t total = 0;
      for (std::uint64_t n : synapses) total += n;
      EXPECT_EQ(total, whole.n_synapses()) << c.name << " over " << ranks << " ranks";
      for (int r = 0; r < ranks; ++r)
        EXPECT_EQ(logs[r].spikes, reference.spikes) << c.name << ": rank " << r << " of " << ranks;
    }
  }
}

// A stop asked for on one rank (Ctrl-C seen there, a failed write on rank 0)
// stops every rank after the same exchange.
TEST(SpikeExchangeEngine, StopOnOneRankStopsAllAtTheSameStep) {
  const Circuit c = micromeso::testing::gif_rules_circuit();
  std::vector<std::uint64_t> done(3);
  std::atomic<bool> stop_rank1{true}, no_stop{false};
  micromeso::testing::run_ranks(3, [&](parallel::Communicator& comm) {
    const micro::NeuronRange local = micro::rank_neurons(c.total_neurons(), comm.rank(), comm.size());
    micro::CpuBackend backend(c, micro::build_network(c, 1, {}, local), 1,
                              std::make_unique<micro::SpikeExchange>(comm, micro::min_delay_steps(c)));
    SpikeLog log;
    done[comm.rank()] = backend.simulate(1000, log, comm.rank() == 1 ? &stop_rank1 : &no_stop);
  });
  EXPECT_EQ(done, std::vector<std::uint64_t>(3, 10));  // the first exchange, after 10 steps
}

TEST(RankChecks, DifferentConfigurationsAreNamed) {
  try {
    micromeso::testing::run_ranks(3, [&](parallel::Communicator& comm) {
      parallel::check_same_configuration(comm, comm.rank() == 2 ? "seed 2" : "seed 1");
    });
    FAIL() << "different configurations were accepted";
  } catch (const parallel::AgreedFailure& e) {
    EXPECT_EQ(e.exit_code(), 2);
    EXPECT_NE(std::string(e.what()).find("rank 2 started with another micromeso"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(micromeso::testing::run_ranks(
      3, [&](parallel::Communicator& comm) { parallel::check_same_configuration(comm, "same"); }));
  EXPECT_NE(parallel::fnv1a_64("a"), parallel::fnv1a_64("b"));
  EXPECT_EQ(parallel::fnv1a_64(""), 14695981039346656037ull);  // FNV-1a's offset basis
}

TEST(RankChecks, RootsRefusalReachesEveryRank) {
  std::vector<std::string> messages(3);
  micromeso::testing::run_ranks(3, [&](parallel::Communicator& comm) {
    try {
      parallel::check_on_root(comm, [] { throw InputError("--out x: already holds a finished run"); });
    } catch (const parallel::AgreedFailure& e) {
      EXPECT_EQ(e.exit_code(), 2);
      messages[comm.rank()] = e.what();
    }
  });
  for (const std::string& m : messages) EXPECT_EQ(m, "invalid input: --out x: already holds a finished run");
}

// --replicas: N copies (populations NAME_k) with their own projections, plus
// 1 % of each projection from replica k to k + 1; an in-degree that rounds to
// zero adds no coupling.
TEST(Replicas, CopiesCoupledSparsely) {
  const Circuit c = micromeso::testing::gif_rules_circuit();
  EXPECT_EQ(replicate_circuit(c, 1).populations.size(), c.populations.size());
  const Circuit r = replicate_circuit(c, 3);
  ASSERT_EQ(r.populations.size(), 6u);
  EXPECT_EQ(r.populations[0].name, "E_0");
  EXPECT_EQ(r.populations[5].name, "I_2");
  EXPECT_EQ(r.total_neurons(), 3 * c.total_neurons());
  ASSERT_EQ(r.projections.size(), 15u + 3u * 3u);  // the two fixed_indegree projections round to 0
  const Projection& coupling = r.projections[15];  // E_0 -> E_1, 1 % of 4000 pairs
  EXPECT_EQ(coupling.source, "E_0");
  EXPECT_EQ(coupling.target, "E_1");
  EXPECT_EQ(coupling.n_synapses, 40u);
  EXPECT_EQ(r.projections[22].source, "E_2");  // the ring closes: E_2 -> I_0
  EXPECT_EQ(r.projections[22].target, "I_0");
  EXPECT_DOUBLE_EQ(r.projections[22].probability, 0.001);
  EXPECT_THROW(replicate_circuit(c, 0), CircuitError);
}

// summary.json keeps the ranks' record through a write and a read.
TEST(RankSummaryJson, RoundTrip) {
  RunSummary s;
  s.ranks = 2;
  s.mpi = "Open MPI v4.1.4";
  s.min_delay_ms = 0.1;
  s.exchanges = 1200;
  s.per_rank = {RankSummary{772, 3359770, 1, 2.87, 4.81, 1.5, 2.5, 0.75, 0.125, 0.5},
                RankSummary{772, 2617850, 2, 2.5, 5.21, 3.25, 1.5, 0.25, 0.0625, 0.0}};
  const RunSummary r = summary_from_json(summary_to_json(s));
  EXPECT_EQ(r.ranks, 2);
  EXPECT_EQ(r.mpi, s.mpi);
  EXPECT_EQ(r.min_delay_ms, 0.1);
  EXPECT_EQ(r.exchanges, 1200u);
  ASSERT_EQ(r.per_rank.size(), 2u);
  EXPECT_EQ(r.per_rank[1].synapses, 2617850u);
  EXPECT_EQ(r.per_rank[1].threads, 2);
  EXPECT_EQ(r.per_rank[1].exchange_wait_s, 3.25);
  EXPECT_EQ(r.per_rank[0].exchange_transfer_s, 2.5);
  EXPECT_EQ(r.per_rank[0].output_s, 0.75);
  EXPECT_EQ(r.per_rank[0].output_gather_s, 0.125);
  EXPECT_EQ(r.per_rank[0].output_write_s, 0.5);
  EXPECT_EQ(r.per_rank[1].output_gather_s, 0.0625);
}

// Multimeters over ranks (threads), through run_micro as the CLI calls it:
// each rank records its own neurons, rank 0 gathers them, and state.h5 holds
// the single process's reports, bit for bit, and is the same file; on the
// CPU engine and the GPU emulator. The neurons lie on every rank of 2 and 3.
TEST(RankMultimeters, StateFileOverOneTwoThreeRanksIsTheSingleProcesss) {
  Circuit c = micromeso::testing::gif_rules_circuit();
  c.simulation.t_sim_ms = 60.0;
  c.simulation.t_presim_ms = 10.0;
  c.multimeters.push_back(Multimeter{"E", {239, 3, 150, 160, 0, 104, 210}, {"V_m", "E_sfa"}, 0.0});
  c.multimeters.push_back(Multimeter{"I", {69, 0, 30}, {"I_syn_ex"}, 0.5});
  const fs::path dir = micromeso::testing::unique_temp_dir("micromeso-rank-multimeters");
  fs::remove_all(dir);
  for (const BackendChoice backend : {BackendChoice::cpu, BackendChoice::gpu_emulator}) {
    RunOptions o;
    o.backend = backend;
    o.threads = 1;
    o.out_dir = dir / "single";
    ASSERT_TRUE(run_micro(c, o).complete);
    const std::vector<StateReport> reference = read_state_reports(o.out_dir / "state.h5");
    ASSERT_EQ(reference.size(), 3u);
    ASSERT_EQ(reference[0].n_times(), 600u);
    ASSERT_EQ(reference[2].n_times(), 120u);
    const std::string reference_bytes = file_bytes(o.out_dir / "state.h5");
    for (int ranks : {1, 2, 3}) {
      const fs::path out = dir / ("ranks" + std::to_string(ranks));
      std::vector<RunSummary> summaries(ranks);
      micromeso::testing::run_ranks(ranks, [&](parallel::Communicator& comm) {
        RunOptions mine = o;
        mine.out_dir = out;
        mine.communicator = &comm;
        summaries[comm.rank()] = run_micro(c, mine);
      });
      const std::vector<StateReport> got = read_state_reports(out / "state.h5");
      ASSERT_EQ(got.size(), reference.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].node_ids, reference[i].node_ids);
        EXPECT_EQ(got[i].t_start_ms, reference[i].t_start_ms);
        EXPECT_EQ(got[i].data, reference[i].data) << "report " << i << " over " << ranks << " ranks";
      }
      EXPECT_TRUE(file_bytes(out / "state.h5") == reference_bytes) << ranks << " ranks";
      for (const RunSummary& s : summaries) {
        ASSERT_EQ(s.per_rank.size(), static_cast<std::size_t>(ranks));
        for (const RankSummary& r : s.per_rank) {
          EXPECT_GT(r.output_s, 0.0);
          EXPECT_LE(r.output_gather_s + r.output_write_s, r.output_s);
          if (ranks > 1) {
            EXPECT_GT(r.output_gather_s, 0.0);
          }
        }
      }
      fs::remove_all(out);
    }
    fs::remove_all(dir / "single");
  }
  fs::remove_all(dir);
}
