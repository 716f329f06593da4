// Sampling without replacement (physics/subset_draw.hpp): every K-subset of
// the candidates equally likely, partners distinct and ascending, the anchor
// left out when autapses are refused.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "micromeso/physics/subset_draw.hpp"

using namespace micromeso::physics;

namespace {

SynapseDrawParams params(std::uint64_t seed, bool same_population, bool allow_autapses) {
  SynapseDrawParams p{};
  p.seed = seed;
  p.stream = kStreamConnectivity | 3u;
  p.same_population = same_population;
  p.allow_autapses = allow_autapses;
  return p;
}

std::vector<std::uint32_t> subset(const SynapseDrawParams& p, std::uint32_t anchor, std::uint32_t n, std::uint32_t k) {
  std::vector<std::uint32_t> out;
  for_each_partner(p, anchor, n, k, false, n, [&](std::uint32_t partner, std::uint32_t j) {
    EXPECT_EQ(j, out.size());
    out.push_back(partner);
  });
  return out;
}

// Upper 0.1 % point of chi-square with `dof` degrees of freedom
// (Wilson & Hilferty 1931).
double chi2_critical(double dof) {
  const double z = 3.09, a = 2.0 / (9.0 * dof);
  return dof * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

}  // namespace

// n = 7, K = 3: 35 subsets, each with probability 1/35. The subsets of
// 35000 anchors (each its own counters) pass a chi-square test.
TEST(SubsetDraw, EverySubsetEquallyLikely) {
  const SynapseDrawParams p = params(17, false, true);
  const std::uint32_t n = 7, k = 3, draws = 35000;
  std::map<std::vector<std::uint32_t>, double> seen;
  for (std::uint32_t anchor = 0; anchor < draws; ++anchor) {
    const std::vector<std::uint32_t> s = subset(p, anchor, n, k);
    ASSERT_EQ(s.size(), k);
    for (std::size_t i = 1; i < s.size(); ++i) ASSERT_LT(s[i - 1], s[i]) << "ascending and distinct";
    ASSERT_LT(s.back(), n);
    seen[s] += 1.0;
  }
  ASSERT_EQ(seen.size(), 35u);
  const double expected = draws / 35.0;
  double chi2 = 0.0;
  for (const auto& [s, count] : seen) chi2 += (count - expected) * (count - expected) / expected;
  EXPECT_LT(chi2, chi2_critical(34.0));
}

// Without autapses the anchor is never chosen and the others are uniform:
// anchor a of a population of 6 choosing 2 of the other 5 (10 subsets).
TEST(SubsetDraw, AnchorLeftOutWithoutAutapses) {
  const std::uint32_t n = 6, k = 2, per_anchor = 4000;
  for (std::uint32_t anchor : {0u, 3u, 5u}) {
    std::map<std::vector<std::uint32_t>, double> seen;
    for (std::uint32_t i = 0; i < per_anchor; ++i) {
      // Distinct counters for the same anchor: the seed varies.
      const SynapseDrawParams q = params(1000 + i, true, false);
      const std::vector<std::uint32_t> s = subset(q, anchor, n, k);
      ASSERT_EQ(s.size(), k);
      for (std::uint32_t x : s) ASSERT_NE(x, anchor);
      seen[s] += 1.0;
    }
    ASSERT_EQ(seen.size(), 10u);
    double chi2 = 0.0;
    for (const auto& [s, count] : seen) chi2 += (count - per_anchor / 10.0) * (count - per_anchor / 10.0) / (per_anchor / 10.0);
    EXPECT_LT(chi2, chi2_critical(9.0)) << "anchor " << anchor;
  }
}

// All candidates (K = n, or n - 1 without autapses) and none (K = 0).
TEST(SubsetDraw, FullAndEmptySubsets) {
  const SynapseDrawParams p = params(9, true, false);
  EXPECT_EQ(subset(p, 4, 10, 9), (std::vector<std::uint32_t>{0, 1, 2, 3, 5, 6, 7, 8, 9}));
  EXPECT_TRUE(subset(p, 4, 10, 0).empty());
  const SynapseDrawParams q = params(9, false, true);
  EXPECT_EQ(subset(q, 4, 5, 5), (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
}

// The walk stops before the first partner >= stop, having given those below.
TEST(SubsetDraw, StopsAtTheWindowEnd) {
  const SynapseDrawParams p = params(21, false, true);
  const std::vector<std::uint32_t> all = subset(p, 11, 1000, 100);
  std::vector<std::uint32_t> below;
  for_each_partner(p, 11, 1000, 100, false, 500, [&](std::uint32_t partner, std::uint32_t) { below.push_back(partner); });
  std::vector<std::uint32_t> expected;
  for (std::uint32_t x : all)
    if (x < 500) expected.push_back(x);
  EXPECT_EQ(below, expected);
}
