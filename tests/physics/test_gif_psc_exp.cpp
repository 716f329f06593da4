#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "micromeso/physics/gif_psc_exp.hpp"
#include "micromeso/physics/random.hpp"

using namespace micromeso::physics;

namespace {

// An escape-noise neuron under constant drive, potentials relative to E_L:
// mu = R I_e = 16 mV, V_reset = 0, V_T_star = 15 mV, Delta_V = 2 mV,
// lambda_0 = 10/s, t_ref = 4 ms, tau_m = 20 ms, C_m = 250 pF.
constexpr double kH = 0.5, kTauM = 20.0, kC = 250.0, kIe = 200.0;
constexpr int kRefSteps = 8;

GifConstants renewal_neuron() {
  GifConstants g{};
  g.prop = make_exp_synapse_propagators(kC, kTauM, 2.0, 2.0, kH);
  g.reset_rel_mV = 0.0;
  g.V_T_star_rel_mV = 15.0;
  g.Delta_V_mV = 2.0;
  g.lambda_0_per_ms = 10.0 / 1000.0;
  g.I_const_pA = kIe;
  g.refractory_steps = kRefSteps;
  g.n_sfa = 0;
  return g;
}

// Renewal theory on the grid: m steps after the refractory period the free
// membrane is V_m = mu (1 - exp(-m h / tau_m)), the step's spike probability
// p_m = 1 - exp(-lambda(V_m) h), and the interval R + m has probability
// P(m) = p_m prod_{j<m} (1 - p_j), the discrete form of P(t) = lambda(t) S(t).
std::vector<double> isi_distribution(int max_steps) {
  const double mu = kTauM / kC * kIe;
  std::vector<double> P(max_steps + 1, 0.0);
  double survival = 1.0;
  for (int m = 1; kRefSteps + m <= max_steps; ++m) {
    const double V = mu * (1.0 - std::exp(-m * kH / kTauM));
    const double p = -std::expm1(-0.01 * std::exp((V - 15.0) / 2.0) * kH);
    P[kRefSteps + m] = survival * p;
    survival *= 1.0 - p;
  }
  return P;
}

}  // namespace

TEST(GifPscExp, IsiDensityAndRateFollowRenewalTheory) {
  const GifConstants c = renewal_neuron();
  const int neurons = 400, steps = 20000;  // 10 s each
  const int max_isi = 1200;
  std::vector<long> histogram(max_isi + 1, 0);
  long n_isi = 0;
  double isi_sum = 0.0;
  for (int i = 0; i < neurons; ++i) {
    MembraneState s{0.0, 0.0, 0.0, kRefSteps};  // as right after a spike
    int last = -1;                              // the spike "at step -1"
    for (int n = 0; n < steps; ++n) {
      const double u = uniform_open(philox4x32_10(3, kStreamEscape, i, n).v[0]);
      if (gif_psc_exp_step(s, nullptr, 0, c, 0.0, 0.0, u, kH)) {
        const int isi = n - last;
        ++histogram[std::min(isi, max_isi)];
        ++n_isi;
        isi_sum += isi;
        last = n;
      }
    }
  }
  const std::vector<double> P = isi_distribution(max_isi);
  double mean_theory = 0.0, second_theory = 0.0;
  for (int k = 0; k <= max_isi; ++k) {
    mean_theory += k * P[k];
    second_theory += double(k) * k * P[k];
  }
  // Rate: mean interval within 4 standard errors (sd / sqrt(n)).
  const double sd = std::sqrt(second_theory - mean_theory * mean_theory);
  EXPECT_NEAR(isi_sum / n_isi, mean_theory, 4.0 * sd / std::sqrt(double(n_isi)));
  ASSERT_GT(n_isi, 20000);  // the test is meaningful: many intervals
  // Density: chi-square over bins with >= 20 expected counts, tail merged.
  double chi2 = 0.0, expected_tail = n_isi, observed_tail = n_isi;
  int dof = 0;
  for (int k = 0; k < max_isi; ++k) {
    const double e = n_isi * P[k];
    if (e < 20.0) continue;
    chi2 += (histogram[k] - e) * (histogram[k] - e) / e;
    expected_tail -= e;
    observed_tail -= histogram[k];
    ++dof;
  }
  chi2 += (observed_tail - expected_tail) * (observed_tail - expected_tail) / expected_tail;
  ASSERT_GT(dof, 20);
  // p = 0.001 quantile of chi-square with dof degrees of freedom, from the
  // Wilson-Hilferty approximation (z = 3.09).
  const double z = 3.09, a = 2.0 / (9.0 * dof);
  const double chi2_crit = dof * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
  EXPECT_LT(chi2, chi2_crit) << "dof " << dof;
}

// Adaptation kernel convention (see gif_psc_exp.hpp): after a spike in step k
// the threshold of step k + a holds q exp(-(a - 1) h / tau).
TEST(GifPscExp, ThresholdJumpsByQAndDecaysWithTauSfa) {
  GifConstants c = renewal_neuron();
  const double decay[1] = {std::exp(-kH / 100.0)}, q[1] = {3.0};
  c.n_sfa = 1;
  c.sfa_decay = decay;
  c.q_sfa_mV = q;
  double theta = 0.0;
  MembraneState s{0.0, 0.0, 0.0, 0};
  ASSERT_TRUE(gif_psc_exp_step(s, &theta, 1, c, 0.0, 0.0, 0.0, kH));  // u = 0: certain spike
  EXPECT_EQ(theta, 3.0);
  for (int a = 1; a <= 50; ++a) {
    // the step uses theta before decaying it: the value seen in step k + a
    EXPECT_NEAR(theta, 3.0 * std::exp(-(a - 1) * kH / 100.0), 1e-12);
    gif_psc_exp_step(s, &theta, 1, c, 0.0, 0.0, 1.0, kH);  // u = 1: never spikes
  }
}

TEST(GifPscExp, HazardIsLambda0AtThreshold) {
  EXPECT_DOUBLE_EQ(escape_hazard_per_ms(15.0, 15.0, 0.01, 2.0), 0.01);
  EXPECT_NEAR(escape_hazard_per_ms(17.0, 15.0, 0.01, 2.0), 0.01 * std::exp(1.0), 1e-15);
  EXPECT_NEAR(escape_probability(0.01, 0.5), 1.0 - std::exp(-0.005), 1e-15);
}
