// The figures `micromeso bench` reports, from a run summary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "micromeso/bench.hpp"

using namespace micromeso;

namespace {

RunSummary summary() {
  RunSummary s;
  s.neurons = 1000;
  s.synapses = 2000000;  // out-degree 2000
  s.t_sim_ms = 2000.0;
  s.t_presim_ms = 500.0;
  s.sim_time_s = 5.0;
  PopulationSummary a, b;
  a.spikes = 6000;
  b.spikes = 4000;  // 10,000 spikes in 2 s: 5,000 per biological second
  s.populations = {a, b};
  return s;
}

}  // namespace

// 5,000 spikes per biological second reach 2,000 targets each: 1e7 events
// per biological second; 2.5 biological seconds in 5 s of wall time: 5e6/s.
TEST(BenchReport, SynapticEventsPerWallSecond) {
  EXPECT_DOUBLE_EQ(synaptic_events_per_wall_s(summary()), 5e6);
  RunSummary meso = summary();
  meso.synapses = 0;
  EXPECT_EQ(synaptic_events_per_wall_s(meso), 0.0);
  RunSummary nothing_ran = summary();
  nothing_ran.sim_time_s = 0.0;
  EXPECT_EQ(synaptic_events_per_wall_s(nothing_ran), 0.0);
}

TEST(BenchReport, JsonNamesTheGpuOnlyForGpuRuns) {
  BenchReport r;
  r.circuit = "potjans2014";
  r.engine = "micro";
  r.records = {BenchRecord{1.0, summary()}};
  auto j = nlohmann::json::parse(bench_to_json(r));
  EXPECT_TRUE(j["machine"]["gpu"].is_null());
  EXPECT_DOUBLE_EQ(j["runs"][0]["synaptic_events_per_s"].get<double>(), 5e6);
  r.gpu_name = "NVIDIA H100 80GB HBM3";
  r.cuda_driver = "13.0";
  r.cuda_runtime = "13.0";
  j = nlohmann::json::parse(bench_to_json(r));
  EXPECT_EQ(j["machine"]["gpu"]["name"], "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(j["machine"]["gpu"]["cuda_driver"], "13.0");
}
