// The Poisson background as the engines draw it (physics::poisson_count:
// four neighbouring neurons per Philox block, the count from the threshold
// table) at the means of the Potjans-Diesmann populations: the counts of
// every population pass a chi-square test against Poisson(mean).
#include <gtest/gtest.h>

#include <boost/math/distributions/chi_squared.hpp>

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <vector>

#include "micro/population_setup.hpp"
#include "micromeso/circuit_io.hpp"
#include "micromeso/physics/poisson.hpp"

namespace micromeso {
namespace {

TEST(PoissonInputCounts, PassChiSquareAtEveryPotjansMean) {
  const Circuit circuit = builtin_circuit("potjans2014");
  const std::vector<micro::PopulationSetup> pops = micro::make_population_setups(circuit);
  const std::uint64_t seed = 2024;
  // Neighbouring neurons share a Philox block and successive steps are
  // successive counters: 2,000 neurons x 100 steps of each population.
  const std::uint32_t neurons = 2000, steps = 100;
  const double n = double(neurons) * steps;
  for (std::size_t i_pop = 0; i_pop < pops.size(); ++i_pop) {
    const micro::PopulationSetup& pop = pops[i_pop];
    const physics::PoissonConstants& c = pop.poisson;
    ASSERT_EQ(c.chunks, 1u) << "the Potjans means are below one chunk";
    const double mean = c.chunk_mean;
    // Bins 0 .. K-1 with at least 20 expected counts each, and the tail >= K
    // (Cochran's rule asks for 5).
    std::vector<double> p;
    double pk = std::exp(-mean), left = 1.0;
    for (int k = 0; n * pk >= 20.0 && n * (left - pk) >= 20.0; ++k) {
      p.push_back(pk);
      left -= pk;
      pk *= mean / (k + 1);
    }
    p.push_back(left);
    std::vector<double> observed(p.size(), 0.0);
    for (std::uint32_t i = 0; i < neurons; ++i)
      for (std::uint64_t step = 0; step < steps; ++step) {
        const std::uint32_t k = physics::poisson_count(c, seed, static_cast<std::uint32_t>(pop.first) + i, step);
        observed[k < p.size() - 1 ? k : p.size() - 1] += 1.0;
      }
    double chi2 = 0.0;
    for (std::size_t k = 0; k < p.size(); ++k) chi2 += (observed[k] - n * p[k]) * (observed[k] - n * p[k]) / (n * p[k]);
    const double dof = static_cast<double>(p.size() - 1);
    // Eight populations: p = 0.001 each keeps a false alarm below 1 %.
    const double limit = boost::math::quantile(boost::math::chi_squared(dof), 0.999);
    std::printf("[ measured ] %s: mean %.3f per step, chi-square %.2f (limit %.2f, %zu bins)\n",
                circuit.populations[i_pop].name.c_str(), mean, chi2, limit, p.size());
    EXPECT_LT(chi2, limit) << "mean " << mean << " per step, " << p.size() << " bins";
    EXPECT_GT(p.size(), 5u);
  }
}

}  // namespace
}  // namespace micromeso
