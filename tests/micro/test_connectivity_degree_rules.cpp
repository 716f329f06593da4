// The rules one_to_one and fixed_outdegree, and fixed_indegree /
// fixed_outdegree without multapses (NEST's allow_multapses = false): exact
// degrees, distinct partners, the chosen partners' frequencies uniform
// (chi-square), the same synapses for any thread count, and bad values refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "circuit_fixtures.hpp"
#include "same_synapses.hpp"
#include "micro/network.hpp"
#include "micromeso/circuit_io.hpp"

using namespace micromeso;
using micromeso::testing::iaf_population;
using micromeso::testing::projection;

namespace {

Circuit two_populations(std::uint64_t n_pre, std::uint64_t n_post, const Projection& pr) {
  Circuit c = micromeso::testing::two_populations("degree_rules", 4242, n_pre, n_post, pr);
  validate_circuit(c);
  return c;
}

// (source, target) of every synapse, population-relative.
std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs(const micro::Network& net, std::uint64_t pre_first,
                                                           std::uint64_t n_pre, std::uint64_t post_first) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (std::uint64_t s = pre_first; s < pre_first + n_pre; ++s)
    for (std::uint64_t j = net.synapse_offset[s]; j < net.synapse_offset[s + 1]; ++j)
      out.emplace_back(static_cast<std::uint32_t>(s - pre_first),
                       static_cast<std::uint32_t>(net.synapse_target[j] - post_first));
  return out;
}

double chi2_critical(double dof) {  // upper 0.1 % point (Wilson & Hilferty 1931)
  const double z = 3.09, a = 2.0 / (9.0 * dof);
  return dof * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

// Chi-square of partner frequencies: `anchors` anchors each choose `k` of `n`
// candidates. Drawn with replacement the counts are multinomial (statistic
// sum (O - E)^2 / E, n - 1 dof); without, a sum of uniform k-subsets whose
// indicator covariance is p (1 - p) n / (n - 1) (I - 1 1^T / n), p = k / n,
// so the statistic is divided by (1 - p) n / (n - 1).
double frequency_chi2(const std::vector<double>& counts, double anchors, double k, bool multapses) {
  const double n = static_cast<double>(counts.size()), expected = anchors * k / n;
  double chi2 = 0.0;
  for (double c : counts) chi2 += (c - expected) * (c - expected) / expected;
  if (!multapses) chi2 /= (1.0 - k / n) * n / (n - 1.0);
  return chi2;
}

std::string refusal(const Circuit& c) {
  try {
    validate_circuit(c);
  } catch (const CircuitError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// one_to_one: source i onto target i, once each.
TEST(DegreeRules, OneToOnePairs) {
  const auto pr = projection("A", "B", ConnectionRule::one_to_one, 10.0, 1.0);
  const micro::Network net = micro::build_network(two_populations(300, 300, pr), 2);
  const auto got = pairs(net, 0, 300, 300);
  ASSERT_EQ(got.size(), 300u);
  for (const auto& [s, t] : got) ASSERT_EQ(s, t);
}

// fixed_outdegree and fixed_indegree, with and without multapses: exact
// degrees on the anchor side, distinct partners without multapses, uniform
// frequencies of the chosen partners on the other side.
TEST(DegreeRules, ExactDegreesAndUniformPartners) {
  for (ConnectionRule rule : {ConnectionRule::fixed_outdegree, ConnectionRule::fixed_indegree})
    for (bool multapses : {true, false}) {
      const std::uint32_t n_pre = 400, n_post = 150, k = 60;
      auto pr = projection("A", "B", rule, 10.0, 1.0);
      pr.outdegree = pr.indegree = k;
      pr.allow_multapses = multapses;
      const micro::Network net = micro::build_network(two_populations(n_pre, n_post, pr), 2);
      const bool out = rule == ConnectionRule::fixed_outdegree;
      const std::uint32_t anchors = out ? n_pre : n_post, candidates = out ? n_post : n_pre;
      std::vector<std::vector<std::uint32_t>> partners(anchors);
      std::vector<double> frequency(candidates, 0.0);
      for (const auto& [s, t] : pairs(net, 0, n_pre, n_pre)) {
        partners[out ? s : t].push_back(out ? t : s);
        frequency[out ? t : s] += 1.0;
      }
      const std::string what = std::string(to_string(rule)) + (multapses ? " with" : " without") + " multapses";
      std::size_t repeats = 0;
      for (auto& p : partners) {
        ASSERT_EQ(p.size(), k) << what;
        std::sort(p.begin(), p.end());
        for (std::size_t i = 1; i < p.size(); ++i) repeats += p[i] == p[i - 1];
      }
      if (!multapses) EXPECT_EQ(repeats, 0u) << what;
      else EXPECT_GT(repeats, 0u) << what << ": 60 draws of 150 (or 400) repeat with probability near 1";
      EXPECT_LT(frequency_chi2(frequency, anchors, k, multapses), chi2_critical(candidates - 1.0)) << what;
    }
}

// Within one population without autapses, fixed_outdegree and fixed_indegree
// without multapses reach every other neuron when the degree is n - 1.
TEST(DegreeRules, AllOthersWithoutAutapses) {
  for (ConnectionRule rule : {ConnectionRule::fixed_outdegree, ConnectionRule::fixed_indegree}) {
    Circuit c;
    c.name = "all_others";
    c.populations = {iaf_population("A", 30)};
    auto pr = projection("A", "A", rule, 10.0, 1.0);
    pr.outdegree = pr.indegree = 29;
    pr.allow_multapses = pr.allow_autapses = false;
    c.projections = {pr};
    validate_circuit(c);
    const micro::Network net = micro::build_network(c, 2);
    auto got = pairs(net, 0, 30, 0);
    ASSERT_EQ(got.size(), 30u * 29u) << to_string(rule);
    std::sort(got.begin(), got.end());
    ASSERT_EQ(std::adjacent_find(got.begin(), got.end()), got.end()) << to_string(rule);
    for (const auto& [s, t] : got) ASSERT_NE(s, t) << to_string(rule);
  }
}

// Thread count changes only the order of synapses within a source.
TEST(DegreeRules, SameSynapsesForAnyThreadCount) {
  Circuit c;
  c.name = "threads";
  c.simulation.seed = 8;
  c.populations = {iaf_population("A", 200), iaf_population("B", 200)};
  auto a = projection("A", "B", ConnectionRule::one_to_one, 10.0, 1.0);
  auto b = projection("A", "B", ConnectionRule::fixed_outdegree, 20.0, 1.5);
  b.outdegree = 30;
  b.allow_multapses = false;
  b.weight_rel_sd = 0.2;
  auto d = projection("B", "A", ConnectionRule::fixed_indegree, -20.0, 1.0);
  d.indegree = 40;
  d.allow_multapses = false;
  d.delay_rel_sd = 0.3;
  auto e = projection("B", "B", ConnectionRule::fixed_outdegree, 5.0, 2.0);
  e.outdegree = 10;
  e.allow_autapses = false;
  c.projections = {a, b, d, e};
  validate_circuit(c);
  const micro::Network one = micro::build_network(c, 1), two = micro::build_network(c, 2);
  ASSERT_EQ(one.n_synapses(), 200u + 6000u + 8000u + 2000u);
  micromeso::testing::expect_same_synapses_per_source(one, two);
}

// Impossible degrees and sizes are refused, naming the key and the reason.
TEST(DegreeRules, BadValuesRefused) {
  auto o2o = projection("A", "B", ConnectionRule::one_to_one, 10.0, 1.0);
  Circuit c;
  c.name = "bad";
  c.populations = {iaf_population("A", 10), iaf_population("B", 12)};
  c.projections = {o2o};
  EXPECT_NE(refusal(c).find("projection[0].rule = \"one_to_one\": expected populations of equal size: 'A' has 10 "
                            "neurons, 'B' has 12"),
            std::string::npos)
      << refusal(c);
  c.projections[0].target = "A";
  c.projections[0].allow_autapses = false;
  EXPECT_NE(refusal(c).find("projection[0].allow_autapses = false: one_to_one from 'A' onto itself"), std::string::npos)
      << refusal(c);
  auto out = projection("A", "B", ConnectionRule::fixed_outdegree, 10.0, 1.0);
  out.outdegree = 13;
  out.allow_multapses = false;
  c.projections = {out};
  EXPECT_NE(refusal(c).find("projection[0].outdegree = 13: expected at most 12 without multapses"), std::string::npos)
      << refusal(c);
  c.projections[0].allow_multapses = true;
  EXPECT_EQ(refusal(c), "");
  auto in = projection("A", "A", ConnectionRule::fixed_indegree, 10.0, 1.0);
  in.indegree = 10;
  in.allow_multapses = in.allow_autapses = false;
  c.projections = {in};
  EXPECT_NE(refusal(c).find("projection[0].indegree = 10: expected at most 9 without multapses (allow_multapses = "
                            "false): the source population 'A' has 10 neurons, less the neuron itself"),
            std::string::npos)
      << refusal(c);
}

// The circuit file: the new rules and keys read, written back, refused where
// they do not belong.
TEST(DegreeRules, CircuitFileKeys) {
  const std::string head = R"(name = "t"
[[population]]
name = "A"
size = 20
model = "iaf_psc_exp"
[[population]]
name = "B"
size = 20
model = "iaf_psc_exp"
)";
  const Circuit c = parse_circuit_toml(head + R"([[projection]]
source = "A"
target = "B"
rule = "fixed_outdegree"
outdegree = 5
allow_multapses = false
weight = 10.0
[[projection]]
source = "A"
target = "B"
rule = "one_to_one"
weight = 10.0
)",
                                       "t.toml");
  ASSERT_EQ(c.projections.size(), 2u);
  EXPECT_EQ(c.projections[0].rule, ConnectionRule::fixed_outdegree);
  EXPECT_EQ(c.projections[0].outdegree, 5u);
  EXPECT_FALSE(c.projections[0].allow_multapses);
  EXPECT_EQ(c.projections[1].rule, ConnectionRule::one_to_one);
  const Circuit again = parse_circuit_toml(circuit_to_toml(c), "again.toml");
  EXPECT_EQ(again.projections[0].outdegree, 5u);
  EXPECT_FALSE(again.projections[0].allow_multapses);
  EXPECT_EQ(again.projections[1].rule, ConnectionRule::one_to_one);
  const auto refused = [&](const std::string& projection) {
    try {
      parse_circuit_toml(head + projection, "t.toml");
    } catch (const CircuitError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(refused("[[projection]]\nsource = \"A\"\ntarget = \"B\"\nrule = \"one_to_one\"\nweight = 1.0\n"
                    "allow_multapses = false\n")
                .find("allow_multapses does not belong to rule one_to_one"),
            std::string::npos);
  EXPECT_NE(refused("[[projection]]\nsource = \"A\"\ntarget = \"B\"\nrule = \"one_to_one\"\nweight = 1.0\n"
                    "outdegree = 3\n")
                .find("outdegree does not belong to rule one_to_one"),
            std::string::npos);
  EXPECT_NE(refused("[[projection]]\nsource = \"A\"\ntarget = \"B\"\nrule = \"fixed_outdegree\"\nweight = 1.0\n")
                .find("outdegree"),
            std::string::npos);
}
