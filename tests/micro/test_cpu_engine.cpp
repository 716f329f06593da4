#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

#include "circuit_fixtures.hpp"
#include "spike_log.hpp"
#include "micro/cpu/cpu_backend.hpp"
#include "micro/population_setup.hpp"

using namespace micromeso;
using micromeso::testing::SpikeLog;

namespace {

SpikeLog simulate(const Circuit& c, int threads, std::uint64_t steps) {
  micro::CpuBackend backend(c, micro::build_network(c, threads), threads);
  SpikeLog log;
  EXPECT_EQ(backend.simulate(steps, log, nullptr), steps);
  return log;
}

}  // namespace

// Same seed: bit-identical spikes, run after run and for 1, 2 or 3 threads
// (counter-based random numbers and integer accumulation of inputs; with 3
// threads the owners of the event lists hold 3, 4 and 4 of its 11 blocks of
// 64 neurons).
TEST(CpuEngine, SameSeedSameSpikesAnyThreadCount) {
  const Circuit c = micromeso::testing::small_mixed_circuit(2024);
  const SpikeLog a = simulate(c, 1, 2500), b = simulate(c, 1, 2500), two = simulate(c, 2, 2500),
                 three = simulate(c, 3, 2500),
                 // more threads than cores
                 six = simulate(c, 6, 2500);
  ASSERT_GT(a.spikes.size(), 500u);  // the network is active: the comparison means something
  EXPECT_EQ(a.spikes, b.spikes);
  EXPECT_EQ(a.spikes, two.spikes);
  EXPECT_EQ(a.spikes, three.spikes);
  EXPECT_EQ(a.spikes, six.spikes);
  // every population fires
  std::vector<int> per_pop(3, 0);
  for (const auto& s : a.spikes) ++per_pop[s.second < 400 ? 0 : s.second < 500 ? 1 : 2];
  for (int n : per_pop) EXPECT_GT(n, 0);
}

TEST(CpuEngine, OtherSeedOtherSpikes) {
  const SpikeLog a = simulate(micromeso::testing::small_mixed_circuit(1), 2, 1000);
  const SpikeLog b = simulate(micromeso::testing::small_mixed_circuit(2), 2, 1000);
  EXPECT_NE(a.spikes, b.spikes);
}

TEST(CpuEngine, InitialPotentialsFollowTheirDistribution) {
  const Circuit c = micromeso::testing::small_mixed_circuit(5);
  micro::CpuBackend backend(c, micro::build_network(c, 1), 1);
  double s = 0, ss = 0;
  for (std::uint64_t gid = 0; gid < 400; ++gid) {
    const double v = backend.membrane_potential_mV(gid);
    s += v;
    ss += v * v;
  }
  const double mean = s / 400, sd = std::sqrt(ss / 400 - mean * mean);
  EXPECT_NEAR(mean, -58.0, 5.0 * 5.0 / std::sqrt(400.0));
  EXPECT_NEAR(sd, 5.0, 5.0 * 5.0 / std::sqrt(800.0));
  for (std::uint64_t gid = 500; gid < 700; ++gid) {
    EXPECT_GE(backend.membrane_potential_mV(gid), 0.0);
    EXPECT_LE(backend.membrane_potential_mV(gid), 10.0);
  }
}

// A spike reaches its targets after exactly its delay: one source neuron
// driven by DC fires at a known step; its target's PSP starts delay steps later.
TEST(CpuEngine, SpikeArrivesAfterItsDelay) {
  Circuit c;
  c.simulation.seed = 3;
  auto src = micromeso::testing::iaf_population("S", 1);
  src.dc_pA = 1000.0;  // fires at the first step where V >= 15 mV
  auto tgt = micromeso::testing::iaf_population("T", 1);
  c.populations = {src, tgt};
  auto pr = micromeso::testing::projection("S", "T", ConnectionRule::fixed_indegree, 87.8, 1.2);
  pr.indegree = 1;
  c.projections = {pr};
  micro::CpuBackend backend(c, micro::build_network(c, 1), 1);
  struct FirstSpike : micro::StepObserver {
    std::int64_t step = -1;
    void on_step(std::uint64_t s, const std::vector<std::uint32_t>& spikes) override {
      if (step < 0 && !spikes.empty()) step = static_cast<std::int64_t>(s);
    }
  } first;
  std::vector<double> v_target;
  for (int n = 0; n < 200; ++n) {
    backend.simulate(1, first, nullptr);  // the backend carries its step count on
    v_target.push_back(backend.membrane_potential_mV(1));
  }
  ASSERT_GE(first.step, 0);
  // delivered into the target's input at step spike + 12; it moves V one step later
  const int k = static_cast<int>(first.step);
  for (int n = 0; n <= k + 12; ++n) EXPECT_EQ(v_target[n], -65.0) << n;
  EXPECT_GT(v_target[k + 13], -65.0);
}

TEST(CpuEngine, StopsWhenInterrupted) {
  const Circuit c = micromeso::testing::small_mixed_circuit(9);
  micro::CpuBackend backend(c, micro::build_network(c, 2), 2);
  std::atomic<bool> stop{true};
  SpikeLog log;
  EXPECT_EQ(backend.simulate(1000, log, &stop), 1u);
}

// The pending events are lists by arrival slot until they would outgrow the
// dense delay ring, which then takes them for the rest of the run: the lists
// throughout, the ring throughout (limit 0) and a switch in the middle, with
// events in flight, give the same spikes for 1, 2 or 3 threads (integer sums
// in another order).
TEST(CpuEngine, EventListsAndDenseRingGiveTheSameSpikes) {
  const Circuit c = micromeso::testing::small_mixed_circuit(77);
  for (int threads : {1, 2, 3}) {
    SpikeLog lists, ring, switched, round_trip;
    {
      micro::CpuBackend backend(c, micro::build_network(c, threads), threads);
      EXPECT_EQ(backend.simulate(2000, lists, nullptr), 2000u);
      EXPECT_TRUE(backend.uses_event_lists());
    }
    {
      micro::CpuBackend backend(c, micro::build_network(c, threads), threads);
      backend.limit_event_lists(0);
      EXPECT_EQ(backend.simulate(2000, ring, nullptr), 2000u);
      EXPECT_FALSE(backend.uses_event_lists());
    }
    {
      micro::CpuBackend backend(c, micro::build_network(c, threads), threads);
      EXPECT_EQ(backend.simulate(900, switched, nullptr), 900u);
      EXPECT_TRUE(backend.uses_event_lists());
      backend.limit_event_lists(1);  // the events in flight go into the ring at the next delivery
      EXPECT_EQ(backend.simulate(1100, switched, nullptr), 1100u);
      EXPECT_FALSE(backend.uses_event_lists());
    }
    {  // lists, the ring during a "burst", and back to lists once the events in flight are few again
      micro::CpuBackend backend(c, micro::build_network(c, threads), threads);
      const std::uint64_t limit = backend.event_list_limit();
      EXPECT_EQ(backend.simulate(600, round_trip, nullptr), 600u);
      backend.limit_event_lists(1);
      EXPECT_EQ(backend.simulate(600, round_trip, nullptr), 600u);
      EXPECT_FALSE(backend.uses_event_lists());
      backend.limit_event_lists(limit);
      EXPECT_EQ(backend.simulate(800, round_trip, nullptr), 800u);
      EXPECT_TRUE(backend.uses_event_lists());
    }
    ASSERT_GT(lists.spikes.size(), 500u) << threads;  // the network is active: the comparison means something
    EXPECT_EQ(lists.spikes, ring.spikes) << threads;
    EXPECT_EQ(lists.spikes, switched.spikes) << threads;
    EXPECT_EQ(lists.spikes, round_trip.spikes) << threads;
  }
}

// Back from the ring to lists with an event in flight whose cell sums more
// than one weight can hold (3 x 100 nA onto one neuron, beyond the int32
// range of 131 nA): it goes as several events, and the target's potential
// is the same as with lists or the ring throughout.
TEST(CpuEngine, BackToListsKeepsLargeSumsInFlight) {
  Circuit c;
  c.simulation.seed = 4;
  auto src = micromeso::testing::iaf_population("S", 3);
  src.dc_pA = 1000.0;  // all three fire at the same step
  auto tgt = micromeso::testing::iaf_population("T", 1);
  c.populations = {src, tgt};
  auto pr = micromeso::testing::projection("S", "T", ConnectionRule::fixed_indegree, 100000.0, 1.5);
  pr.indegree = 3;  // three events of 100 nA per step of the sources
  c.projections = {pr};
  struct FirstSpike : micro::StepObserver {
    std::int64_t step = -1;
    void on_step(std::uint64_t s, const std::vector<std::uint32_t>& spikes) override {
      if (step < 0 && spikes.size() == 3) step = static_cast<std::int64_t>(s);
    }
  };
  // mode 0: lists; 1: the ring; 2: the ring until two steps after the spikes,
  // then lists (the events arrive 15 steps after the spikes).
  const auto trace = [&](int mode, bool& switched_back) {
    micro::CpuBackend backend(c, micro::build_network(c, 1), 1);
    const std::uint64_t limit = backend.event_list_limit();
    if (mode != 0) backend.limit_event_lists(0);
    FirstSpike first;
    std::vector<double> v;
    for (int n = 0; n < 300; ++n) {
      backend.simulate(1, first, nullptr);
      v.push_back(backend.membrane_potential_mV(3));
      if (mode == 2 && first.step >= 0 && n == first.step + 2) backend.limit_event_lists(limit);
    }
    EXPECT_GE(first.step, 0) << mode;
    switched_back = backend.uses_event_lists();
    return v;
  };
  bool lists_at_end = false, ring_at_end = true, back_at_end = false;
  const std::vector<double> lists = trace(0, lists_at_end), ring = trace(1, ring_at_end), back = trace(2, back_at_end);
  EXPECT_TRUE(lists_at_end);
  EXPECT_FALSE(ring_at_end);
  EXPECT_TRUE(back_at_end);
  EXPECT_EQ(lists, ring);
  EXPECT_EQ(lists, back);
  EXPECT_GT(*std::max_element(lists.begin(), lists.end()), -65.0);  // the input arrived
}

// The memory estimate's share for the pending events covers what the lists
// hold, room included, in a network whose activity fluctuates.
TEST(CpuEngine, PendingEventsStayWithinTheirEstimate) {
  const Circuit c = micromeso::testing::small_mixed_circuit(78);
  for (int threads : {1, 2}) {
    micro::CpuBackend backend(c, micro::build_network(c, threads), threads);
    const std::uint64_t estimate = micro::cpu_pending_event_bytes(backend.ring_slots(), c.total_neurons());
    std::uint64_t largest = 0;
    for (int chunk = 0; chunk < 20; ++chunk) {
      micromeso::testing::SpikeLog log;
      backend.simulate(100, log, nullptr);
      largest = std::max(largest, backend.pending_event_bytes());
    }
    EXPECT_TRUE(backend.uses_event_lists());
    EXPECT_GT(largest, 0u);
    EXPECT_LE(largest, estimate) << threads;
  }
}
