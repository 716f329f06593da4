// `analyze` on a synthetic run folder whose activity has a known spectrum,
// and on folders it must refuse.
#include <gtest/gtest.h>

#include "tests/temp_dir.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "micromeso/analyze_run.hpp"
#include "micromeso/output.hpp"

namespace fs = std::filesystem;

namespace {

class AnalyzeRun : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = micromeso::testing::unique_temp_dir(
        "micromeso-analyze-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Independent Poisson neurons: counts per 0.1 ms bin ~ Poisson(r N dt).
  void write_poisson_run(double rate_hz, std::uint64_t n, double t_ms) {
    micromeso::PopulationActivity a;
    a.names = {"P"};
    a.sizes = {n};
    a.bin_ms = 0.1;
    a.t_start_ms = 100.0;
    std::mt19937_64 rng(17);
    std::poisson_distribution<int> counts(rate_hz * n * 1e-4);
    a.counts.resize(1);
    for (int k = 0; k < int(t_ms / 0.1); ++k) a.counts[0].push_back(counts(rng));
    micromeso::write_activity(dir_ / "activity.h5", a);
    std::ofstream(dir_ / "summary.json") << R"({"engine": "micro"})";
  }
  fs::path dir_;
};

}  // namespace

// The spectrum of Poisson activity is flat at r/N (see analysis.hpp); the
// mean over M interior frequencies of K-segment estimates has relative sd
// about sqrt(1.5/(K M)).
TEST_F(AnalyzeRun, PoissonActivityGivesItsRateAndFlatSpectrum) {
  const double rate = 5.0, t_ms = 20000.0;
  const std::uint64_t n = 1000;
  write_poisson_run(rate, n, t_ms);
  micromeso::AnalyzeOptions o;
  o.bin_ms = 1.0;
  o.segment_ms = 500.0;
  const micromeso::RunAnalysis a = micromeso::analyze_run(dir_, o);
  ASSERT_EQ(a.populations.size(), 1u);
  const auto& p = a.populations[0];
  // rate: total count ~ Poisson(r N T)
  EXPECT_NEAR(p.rate_hz, rate, 4.0 * std::sqrt(rate * n * t_ms * 1e-3) / (n * t_ms * 1e-3));
  // variance of A at 1 ms bins: r / (N * 1 ms)
  const double var = rate / (n * 1e-3);
  EXPECT_NEAR(p.activity_variance_hz2, var, 4.0 * var * std::sqrt(2.0 / (t_ms - 1)));
  EXPECT_EQ(p.spectrum.segments, 40u);
  double sum = 0;
  std::size_t m = 0;
  for (std::size_t k = 2; k + 1 < p.spectrum.power.size(); ++k, ++m) sum += p.spectrum.power[k];
  EXPECT_NEAR(sum / m, rate / n, 4.0 * rate / n * std::sqrt(1.5 / (40.0 * m)));
  micromeso::write_run_analysis(a);
  EXPECT_TRUE(fs::exists(dir_ / "analysis.h5"));
  const auto j = nlohmann::json::parse(std::ifstream(dir_ / "analysis.json"));
  EXPECT_EQ(j["populations"][0]["name"], "P");
  EXPECT_TRUE(j["populations"][0]["cv_isi"].is_null());  // no spikes.h5
}

TEST(AnalysisGrid, DefaultBinIsTheRecordedBinsMultipleNearestOneMs) {
  const micromeso::AnalyzeOptions automatic;  // bin_ms 0
  struct Case {
    double recorded_ms, bin_ms;
    std::size_t factor;
  };
  for (const Case c : {Case{0.1, 1.0, 10}, Case{0.3, 0.9, 3}, Case{0.25, 1.0, 4}, Case{0.45, 0.9, 2}, Case{0.4, 1.2, 3} /* a tie rounds up */, Case{2.0, 2.0, 1}}) {
    const micromeso::AnalysisGrid g = micromeso::analysis_grid(c.recorded_ms, 10000.0, automatic);
    EXPECT_EQ(g.rebin_factor, c.factor) << c.recorded_ms;
    EXPECT_DOUBLE_EQ(g.bin_ms, c.bin_ms) << c.recorded_ms;
  }
  micromeso::AnalyzeOptions explicit_bin;
  explicit_bin.bin_ms = 0.6;
  EXPECT_EQ(micromeso::analysis_grid(0.3, 10000.0, explicit_bin).rebin_factor, 2u);
  explicit_bin.bin_ms = 1.0;  // explicit bins must still be a multiple
  EXPECT_THROW(micromeso::analysis_grid(0.3, 10000.0, explicit_bin), std::invalid_argument);
}

TEST_F(AnalyzeRun, RefusesUnfinishedRunsAndOptionsThatDoNotFit) {
  write_poisson_run(5.0, 100, 1000.0);
  micromeso::AnalyzeOptions o;
  o.bin_ms = 0.25;  // not a multiple of 0.1 ms
  EXPECT_THROW(micromeso::analyze_run(dir_, o), std::invalid_argument);
  o.bin_ms = 1.0;
  o.segment_ms = 600.0;  // fewer than two segments in 1000 ms
  EXPECT_THROW(micromeso::analyze_run(dir_, o), std::invalid_argument);
  fs::remove(dir_ / "summary.json");
  try {
    micromeso::analyze_run(dir_, micromeso::AnalyzeOptions{});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("summary.json"), std::string::npos);
  }
}
