// fixed_total_number drawn per block of targets (physics/total_number_blocks.hpp):
// the exact binomial from fair bits, the binomial tree that splits the pairs
// over the blocks, and the pairs themselves are the law of K pairs drawn
// uniformly with replacement (chi-square tests against the exact
// distributions); a rank's blocks give exactly the single process's synapses.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>
#include <vector>

#include "circuit_fixtures.hpp"
#include "micro/network.hpp"
#include "micromeso/physics/binomial_bits.hpp"
#include "micromeso/physics/total_number_blocks.hpp"

using namespace micromeso;
using micromeso::testing::iaf_population;
using micromeso::testing::projection;

namespace {

// Upper 0.1 % point of chi-square with `dof` degrees of freedom (Wilson &
// Hilferty 1931).
double chi2_upper(double dof) {
  const double z = 3.09, a = 2.0 / (9.0 * dof);
  return dof * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

double binomial_pmf(int n, int k, double p) {
  return std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) + k * std::log(p) +
                  (n - k) * std::log1p(-p));
}

// Pearson's statistic of counts against the pmf, cells with an expectation
// below 5 pooled into the tails; returns (statistic, degrees of freedom).
std::pair<double, int> pearson(const std::vector<double>& count, const std::vector<double>& expected) {
  std::vector<double> c, e;
  double cc = 0, ee = 0;
  for (std::size_t k = 0; k < count.size(); ++k) {
    cc += count[k];
    ee += expected[k];
    if (ee >= 5.0) {
      c.push_back(cc);
      e.push_back(ee);
      cc = ee = 0;
    }
  }
  if (!e.empty()) {
    c.back() += cc;
    e.back() += ee;
  }
  double x = 0;
  for (std::size_t k = 0; k < c.size(); ++k) x += (c[k] - e[k]) * (c[k] - e[k]) / e[k];
  return {x, static_cast<int>(c.size()) - 1};
}

physics::SynapseDrawParams draw_params(std::uint64_t seed, std::uint32_t n_pre, std::uint32_t n_post) {
  physics::SynapseDrawParams p{};
  p.seed = seed;
  p.stream = physics::kStreamConnectivity | 3u;
  p.n_pre = n_pre;
  p.n_post = n_post;
  return p;
}

using Synapse = std::tuple<std::uint32_t, std::int32_t, std::uint16_t>;  // global target, weight, delay

std::vector<Synapse> segment(const micro::Network& net, std::uint64_t source) {
  std::vector<Synapse> out;
  for (std::uint64_t j = net.synapse_offset[source]; j < net.synapse_offset[source + 1]; ++j)
    out.emplace_back(static_cast<std::uint32_t>(net.synapse_target[j] + net.local.first), net.synapse_weight[j],
                     net.synapse_delay_steps[j]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

// binomial_bits draws Binomial(n, num/den) exactly: a dyadic p, p's that never
// end in binary, and p's near 0 and 1.
TEST(BinomialBits, ChiSquareAgainstTheBinomialPmf) {
  struct Case {
    int n;
    std::uint64_t num, den;
  };
  for (const Case cs : {Case{40, 1, 2}, Case{40, 3, 7}, Case{300, 1000, 1024 + 1000}, Case{25, 1, 97},
                        Case{25, 96, 97}, Case{1, 2, 3}}) {
    const double p = double(cs.num) / double(cs.den);
    const int draws = 40000;
    std::vector<double> count(cs.n + 1, 0.0), expected(cs.n + 1, 0.0);
    double mean = 0;
    for (int i = 0; i < draws; ++i) {
      physics::FairBits bits{99, physics::kStreamConnectivity, physics::kIndexSplit, std::uint64_t(i) << 32};
      const std::uint64_t k = physics::binomial_bits(cs.n, cs.num, cs.den, bits);
      ASSERT_LE(k, std::uint64_t(cs.n));
      count[k] += 1;
      mean += double(k) / draws;
    }
    for (int k = 0; k <= cs.n; ++k) expected[k] = draws * binomial_pmf(cs.n, k, p);
    const auto [x, dof] = pearson(count, expected);
    ASSERT_GT(dof, 0) << cs.n << " " << p;
    EXPECT_LT(x, chi2_upper(dof)) << "n " << cs.n << " p " << p;
    EXPECT_NEAR(mean, cs.n * p, 5.0 * std::sqrt(cs.n * p * (1 - p) / draws)) << cs.n << " " << p;
  }
}

// The tree's block counts are a multinomial sample: over many seeds the sum of
// each sample's Pearson statistic is chi-square with seeds x (blocks - 1)
// degrees of freedom; any part of the tree gives the whole tree's counts.
TEST(TotalNumberSplit, BlockCountsAreMultinomial) {
  const std::uint32_t n_post = 5000;  // 4 blocks of 1024 and one of 904
  const std::uint32_t nb = physics::total_number_blocks(n_post);
  ASSERT_EQ(nb, 5u);
  for (const std::uint64_t total : {std::uint64_t{20}, std::uint64_t{10000}}) {
    const int seeds = 2000;
    double x = 0;
    for (int seed = 0; seed < seeds; ++seed) {
      const physics::SynapseDrawParams p = draw_params(1000 + seed, 50, n_post);
      std::vector<std::uint64_t> k(nb, 0);
      physics::split_total_number(p, total, 0, nb, k.data());
      std::uint64_t sum = 0;
      for (std::uint32_t b = 0; b < nb; ++b) {
        sum += k[b];
        const double e = double(total) * physics::target_block(n_post, b).size / n_post;
        x += (double(k[b]) - e) * (double(k[b]) - e) / e;
      }
      ASSERT_EQ(sum, total);
      std::vector<std::uint64_t> part(2, 0);
      physics::split_total_number(p, total, 2, 4, part.data());
      ASSERT_EQ(part[0], k[2]);
      ASSERT_EQ(part[1], k[3]);
    }
    // With 20 pairs the statistic is still the sum of seeds independent terms
    // of mean blocks - 1: the normal bound of its sum holds.
    const double dof = double(seeds) * (nb - 1);
    EXPECT_LT(x, chi2_upper(dof)) << total;
    EXPECT_GT(x, dof - 5.0 * std::sqrt(2.0 * dof)) << total;
  }
}

// Every (source, target) pair equally often, over a target population of
// several blocks: Pearson's statistic over all pairs (mean pairs - 1,
// variance 2 (pairs - 1) for uniform cells) within 5 standard deviations.
// Without autapses in one population, every pair but the autapses.
TEST(TotalNumberSplit, PairsAreUniformWithReplacement) {
  struct Case {
    std::uint32_t n_pre, n_post;
    bool same;
  };
  for (const Case cs : {Case{37, 2100, false}, Case{1030, 1030, true}}) {
    Circuit c;
    c.name = "pairs";
    c.simulation.seed = 4242;
    c.populations = {iaf_population("A", cs.n_pre)};
    if (!cs.same) c.populations.push_back(iaf_population("B", cs.n_post));
    auto pr = projection("A", cs.same ? "A" : "B", ConnectionRule::fixed_total_number, 10.0, 1.0);
    pr.allow_autapses = !cs.same;
    const double cells = double(cs.n_pre) * cs.n_post - (cs.same ? cs.n_pre : 0);
    pr.n_synapses = static_cast<std::uint64_t>(2.0 * cells);
    c.projections = {pr};
    const micro::Network net = micro::build_network(c, 2);
    ASSERT_EQ(net.n_synapses(), pr.n_synapses);
    const std::uint64_t post_first = cs.same ? 0 : cs.n_pre;
    std::vector<std::uint32_t> count(std::uint64_t{cs.n_pre} * cs.n_post, 0);
    for (std::uint64_t s = 0; s < cs.n_pre; ++s)
      for (std::uint64_t j = net.synapse_offset[s]; j < net.synapse_offset[s + 1]; ++j) {
        const std::uint64_t t = net.synapse_target[j] - post_first;
        ASSERT_LT(t, cs.n_post);
        if (cs.same) {
          ASSERT_NE(t, s) << "an autapse";
        }
        ++count[s * cs.n_post + t];
      }
    const double e = double(pr.n_synapses) / cells;
    double x = 0;
    for (std::uint64_t s = 0; s < cs.n_pre; ++s)
      for (std::uint64_t t = 0; t < cs.n_post; ++t)
        if (!cs.same || s != t) x += (count[s * cs.n_post + t] - e) * (count[s * cs.n_post + t] - e) / e;
    EXPECT_NEAR(x, cells - 1.0, 5.0 * std::sqrt(2.0 * (cells - 1.0))) << cs.n_pre << " x " << cs.n_post;
  }
}

// Windows that cut blocks anywhere: the ranks hold exactly the single
// process's synapses, and a rank counts only the pairs of its blocks.
TEST(TotalNumberSplit, RanksOverSeveralBlocksHoldTheSingleProcessSynapses) {
  const Circuit c = micromeso::testing::multi_block_circuit();
  const micro::Network whole = micro::build_network(c, 2);
  ASSERT_EQ(whole.n_synapses(), 135000u);
  for (int ranks : {2, 3, 5, 7, 16}) {
    std::vector<micro::Network> parts;
    std::uint64_t synapses = 0;
    for (int r = 0; r < ranks; ++r) {
      parts.push_back(micro::build_network(c, 1 + r % 2, {}, micro::rank_neurons(whole.n_neurons(), r, ranks)));
      synapses += parts.back().n_synapses();
    }
    ASSERT_EQ(synapses, whole.n_synapses()) << ranks;
    for (std::uint64_t s = 0; s < whole.n_neurons(); ++s) {
      std::vector<Synapse> expected = segment(whole, s), got;
      for (const micro::Network& part : parts) {
        const std::vector<Synapse> seg = segment(part, s);
        got.insert(got.end(), seg.begin(), seg.end());
      }
      std::sort(got.begin(), got.end());
      ASSERT_EQ(got, expected) << "source " << s << " over " << ranks << " ranks";
    }
  }
}
