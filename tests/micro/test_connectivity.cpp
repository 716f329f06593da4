#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "circuit_fixtures.hpp"
#include "same_synapses.hpp"
#include "micro/network.hpp"

using namespace micromeso;
using micromeso::testing::iaf_population;
using micromeso::testing::projection;

namespace {

Circuit two_populations(std::uint64_t n_pre, std::uint64_t n_post, const Projection& pr) {
  return micromeso::testing::two_populations("conn", 12345, n_pre, n_post, pr);
}

struct Degrees {
  std::vector<double> in, out;
};

Degrees degrees(const micro::Network& net, std::uint64_t pre_first, std::uint64_t n_pre,
                std::uint64_t post_first, std::uint64_t n_post) {
  Degrees d{std::vector<double>(n_post, 0.0), std::vector<double>(n_pre, 0.0)};
  for (std::uint64_t s = pre_first; s < pre_first + n_pre; ++s)
    for (std::uint64_t j = net.synapse_offset[s]; j < net.synapse_offset[s + 1]; ++j) {
      d.out[s - pre_first] += 1.0;
      d.in[net.synapse_target[j] - post_first] += 1.0;
    }
  return d;
}

struct Stats {
  double mean, var;
};
Stats stats(const std::vector<double>& x) {
  double s = 0, ss = 0;
  for (double v : x) s += v;
  const double m = s / x.size();
  for (double v : x) ss += (v - m) * (v - m);
  return {m, ss / (x.size() - 1.0)};
}

// Sample variance of n near-normal values: standard error var sqrt(2/(n-1)).
void expect_variance(const Stats& st, double var, std::size_t n, const char* what) {
  EXPECT_NEAR(st.var, var, 5.0 * var * std::sqrt(2.0 / (n - 1.0))) << what;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
double normal_pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI); }

}  // namespace

// fixed_total_number (Potjans & Diesmann's rule): exactly K synapses, each
// target's in-degree Binomial(K, 1/N_post), each source's out-degree
// Binomial(K, 1/N_pre).
TEST(Connectivity, FixedTotalNumberDegrees) {
  auto pr = projection("A", "B", ConnectionRule::fixed_total_number, 10.0, 1.0);
  pr.n_synapses = 200000;
  const micro::Network net = micro::build_network(two_populations(1000, 500, pr), 2);
  ASSERT_EQ(net.n_synapses(), 200000u);
  const Degrees d = degrees(net, 0, 1000, 1000, 500);
  const Stats in = stats(d.in), out = stats(d.out);
  EXPECT_DOUBLE_EQ(in.mean, 400.0);
  EXPECT_DOUBLE_EQ(out.mean, 200.0);
  expect_variance(in, 200000 * (1.0 / 500) * (1 - 1.0 / 500), 500, "in-degree");
  expect_variance(out, 200000 * (1.0 / 1000) * (1 - 1.0 / 1000), 1000, "out-degree");
  for (std::uint64_t j = 0; j < net.n_synapses(); ++j) ASSERT_GE(net.synapse_target[j], 1000u);
}

// pairwise_bernoulli: total Binomial(N_pre N_post, p), in-degree Binomial(N_pre, p).
TEST(Connectivity, PairwiseBernoulliDegrees) {
  auto pr = projection("A", "B", ConnectionRule::pairwise_bernoulli, 10.0, 1.0);
  pr.probability = 0.1;
  const micro::Network net = micro::build_network(two_populations(800, 600, pr), 2);
  const double pairs = 800.0 * 600.0;
  EXPECT_NEAR(double(net.n_synapses()), 0.1 * pairs, 5.0 * std::sqrt(pairs * 0.1 * 0.9));
  const Degrees d = degrees(net, 0, 800, 800, 600);
  const Stats in = stats(d.in), out = stats(d.out);
  EXPECT_NEAR(in.mean, 80.0, 5.0 * std::sqrt(72.0 / 600));
  expect_variance(in, 72.0, 600, "in-degree");
  expect_variance(out, 60.0 * 0.9, 800, "out-degree");
  // at most one synapse per pair
  for (std::uint64_t s = 0; s < 800; ++s) {
    std::vector<std::uint32_t> t(net.synapse_target.data() + net.synapse_offset[s],
                                 net.synapse_target.data() + net.synapse_offset[s + 1]);
    std::sort(t.begin(), t.end());
    ASSERT_EQ(std::adjacent_find(t.begin(), t.end()), t.end());
  }
}

// fixed_indegree: every in-degree exactly K, out-degree Binomial(N_post K, 1/N_pre).
TEST(Connectivity, FixedIndegreeDegrees) {
  auto pr = projection("A", "B", ConnectionRule::fixed_indegree, 10.0, 1.0);
  pr.indegree = 50;
  const micro::Network net = micro::build_network(two_populations(1000, 400, pr), 2);
  const Degrees d = degrees(net, 0, 1000, 1000, 400);
  for (double k : d.in) ASSERT_EQ(k, 50.0);
  const Stats out = stats(d.out);
  EXPECT_DOUBLE_EQ(out.mean, 20.0);
  expect_variance(out, 20000 * (1.0 / 1000) * (1 - 1.0 / 1000), 1000, "out-degree");
}

TEST(Connectivity, AutapsesRefusedWhenAsked) {
  for (ConnectionRule rule : {ConnectionRule::fixed_total_number, ConnectionRule::pairwise_bernoulli,
                              ConnectionRule::fixed_indegree}) {
    Circuit c;
    c.populations = {iaf_population("A", 20)};
    auto pr = projection("A", "A", rule, 10.0, 1.0);
    pr.allow_autapses = false;
    pr.n_synapses = 4000;
    pr.probability = 0.5;
    pr.indegree = 15;
    c.projections = {pr};
    const micro::Network net = micro::build_network(c, 2);
    ASSERT_GT(net.n_synapses(), 0u);
    for (std::uint64_t s = 0; s < 20; ++s)
      for (std::uint64_t j = net.synapse_offset[s]; j < net.synapse_offset[s + 1]; ++j)
        ASSERT_NE(net.synapse_target[j], s) << to_string(rule);
  }
}

// Weights normal with the sign kept: redrawing gives the normal truncated at
// 0, mean mu + sigma phi(a) / (1 - Phi(a)) with a = -mu/sigma; clipping gives
// mean mu Phi(mu/sigma) + sigma phi(mu/sigma) and a fraction Phi(-mu/sigma) of zeros.
TEST(Connectivity, WeightDistributionKeepsTheSign) {
  const double mu = 100.0, sigma = 50.0, a = -mu / sigma;
  for (SignPolicy policy : {SignPolicy::redraw, SignPolicy::clip}) {
    auto pr = projection("A", "B", ConnectionRule::fixed_total_number, mu, 1.0);
    pr.n_synapses = 200000;
    pr.weight_rel_sd = 0.5;
    pr.weight_sign = policy;
    const micro::Network net = micro::build_network(two_populations(100, 100, pr), 1);
    double s = 0, zeros = 0;
    for (std::uint64_t j = 0; j < net.n_synapses(); ++j) {
      const double w = net.synapse_weight[j] / physics::kWeightUnitsPerPA;
      ASSERT_GE(w, 0.0);
      s += w;
      zeros += w == 0.0;
    }
    const double n = double(net.n_synapses());
    if (policy == SignPolicy::redraw) {
      EXPECT_NEAR(s / n, mu + sigma * normal_pdf(a) / (1 - normal_cdf(a)), 5.0 * sigma / std::sqrt(n));
      EXPECT_EQ(zeros, 0.0);
    } else {
      EXPECT_NEAR(s / n, mu * normal_cdf(-a) + sigma * normal_pdf(-a), 5.0 * sigma / std::sqrt(n));
      const double p0 = normal_cdf(a);
      EXPECT_NEAR(zeros / n, p0, 5.0 * std::sqrt(p0 * (1 - p0) / n));
    }
  }
  auto inh = projection("A", "B", ConnectionRule::fixed_total_number, -mu, 1.0);
  inh.n_synapses = 20000;
  inh.weight_rel_sd = 0.5;
  const micro::Network net = micro::build_network(two_populations(100, 100, inh), 1);
  for (std::uint64_t j = 0; j < net.n_synapses(); ++j) ASSERT_LE(net.synapse_weight[j], 0);
}

// Delays: normal(1.5 ms, 0.75 ms) redrawn below dt/2 and rounded to the grid
// (NEST's microcircuit): step k has probability proportional to the normal
// mass of [max((k - 1/2) dt, dt/2), (k + 1/2) dt).
TEST(Connectivity, DelayDistributionOnTheGrid) {
  const double dt = 0.1, mean = 1.5, sd = 0.75;
  auto pr = projection("A", "B", ConnectionRule::fixed_total_number, 10.0, mean);
  pr.n_synapses = 200000;
  pr.delay_rel_sd = sd / mean;
  Circuit c = two_populations(100, 100, pr);
  c.simulation.dt_ms = dt;
  const micro::Network net = micro::build_network(c, 2);
  std::vector<double> count(100, 0.0);
  for (std::uint64_t j = 0; j < net.n_synapses(); ++j) {
    ASSERT_GE(net.synapse_delay_steps[j], 1);
    ++count[std::min<int>(net.synapse_delay_steps[j], 99)];
  }
  const int k_max = static_cast<int>(std::floor((mean + 8 * sd) / dt + 0.5));
  std::vector<double> p(100, 0.0);
  double total = 0;
  for (int k = 1; k <= k_max && k < 100; ++k) {
    const double lo = std::max((k - 0.5) * dt, 0.5 * dt), hi = (k + 0.5) * dt;
    p[k] = normal_cdf((hi - mean) / sd) - normal_cdf((lo - mean) / sd);
    total += p[k];
  }
  double chi2 = 0;
  int dof = -1;
  const double n = double(net.n_synapses());
  for (int k = 1; k < 100; ++k) {
    const double e = n * p[k] / total;
    if (e < 20) continue;
    chi2 += (count[k] - e) * (count[k] - e) / e;
    ++dof;
  }
  ASSERT_GT(dof, 30);
  const double z = 3.09, a = 2.0 / (9.0 * dof);
  EXPECT_LT(chi2, dof * std::pow(1.0 - a + z * std::sqrt(a), 3.0));
}

// Thread count changes only the order of synapses within a source.
TEST(Connectivity, SameSynapsesForAnyThreadCount) {
  const Circuit c = micromeso::testing::small_mixed_circuit(77);
  const micro::Network one = micro::build_network(c, 1), two = micro::build_network(c, 2);
  micromeso::testing::expect_same_synapses_per_source(one, two);
}

TEST(Connectivity, MemoryEstimateRefusesWhatDoesNotFit) {
  const Circuit c = micromeso::testing::small_mixed_circuit(1);
  const micro::MemoryEstimate e = micro::estimate_cpu_memory(c, 2);
  EXPECT_GT(e.expected_synapses, 16000u);
  EXPECT_NO_THROW(micro::check_memory_fits(e, "small", "advice", e.total_bytes() * 2));
  try {
    micro::check_memory_fits(e, "circuit 'small'", micro::size_advice(c), e.total_bytes() / 2);
    FAIL() << "expected a refusal";
  } catch (const std::runtime_error& err) {
    EXPECT_NE(std::string(err.what()).find("circuit 'small' needs about"), std::string::npos) << err.what();
    EXPECT_NE(std::string(err.what()).find("available"), std::string::npos);
  }
}

// The advice must apply: circuit files refuse --scale and --k-scale.
TEST(Connectivity, MemoryAdviceFitsWhereTheCircuitCameFrom) {
  Circuit file = micromeso::testing::small_mixed_circuit(1);
  file.origins.clear();
  file.origins["name"] = "my.toml:1:1";
  EXPECT_EQ(micro::size_advice(file).find("reduce --scale"), std::string::npos) << micro::size_advice(file);
  EXPECT_NE(micro::size_advice(file).find("circuit file"), std::string::npos) << micro::size_advice(file);
  const Circuit builtin = micromeso::builtin_circuit("potjans2014", {0.01, 0.01});
  EXPECT_NE(micro::size_advice(builtin).find("--scale"), std::string::npos) << micro::size_advice(builtin);
}
