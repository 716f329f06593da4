// The inner loop of the population equation: one step of ageing for a run of
// contiguous age bins (reference meso-algorithm.md 3.2 step 7), the part of
// the mesoscopic engine whose cost grows with the history length K.
//
// Per bin: the membrane advances with the exact propagator, u <- u P22 +
// drive; the step's hazard is H = h lambda_0 exp((u - threshold) / Delta_V),
// its escape probability p = 1 - exp(-H) and survival factor q = 1 - p
// (physics/gif_psc_exp.hpp: escape_hazard_per_ms and escape_probability, the
// micro engine's rule). Below H = 1/16, nearly every bin, p is the Taylor
// series of escape_series.hpp (within 2e-15 relative, no second
// exponential); above, q = exp(-H) and p = 1 - q (an error of 2^-52
// absolute, at most 2^-52 N spikes in the expected count);
// the survivors m and their variance v age as v <- q^2 v + p m, m <- q m
// (NEST's and Schwalger's update, the discrete form of dv/dt = -2 lambda v +
// lambda m, reference 3.6). It returns W = sum p m, Y = sum p v and Z = sum v
// (before the update), which make the expected count and the Lambda
// correction, and M = sum m, the survivors they account for.
//
// The exponential per bin dominates the cost, so the loop runs through
// SLEEF's vectorised exp (1-ulp accuracy): eight bins at a time where the CPU
// has AVX-512F (bin_update_avx512.cpp, the last 1 to 7 in masked lanes), else
// four at a time where it has AVX2 and FMA (bin_update_avx2.cpp, the last 1
// to 3 masked), else one at a time through SLEEF's scalar exp of the same
// accuracy. A run is a pure function of its inputs on one machine; machines
// that take different paths may differ in the last bits (the lane sums are
// added in another order, and the scalar exp rounds on its own).
#pragma once

#include <cstddef>

namespace micromeso::meso {

struct BinConstants {
  double P22 = 0.0;              // exp(-dt / tau_m)
  double h_lambda_0 = 0.0;       // dt lambda_0 (hazard at threshold times the step)
  double inverse_Delta_V = 0.0;  // 1 / Delta_V (1/mV)
};

struct BinSums {
  double W = 0.0;  // sum p m: expected spikes of the bins
  double Y = 0.0;  // sum p v
  double Z = 0.0;  // sum v (before the update)
  double M = 0.0;  // sum m (before the update): the bins' survivors
};

// The quasi-renewal threshold (mV, relative to E_L) of each bin this step:
// per_bin_mV[i] for bin i, or, where per_bin_mV is null, common_mV for all
// (a population without adaptation, whose bins all see the free threshold).
struct BinThresholds {
  const double* per_bin_mV = nullptr;
  double common_mV = 0.0;
};

// Ages `count` contiguous bins: u, m, v are updated in place. Takes the
// widest path the CPU has.
BinSums age_bin_run(const BinConstants& c, double drive_mV, const BinThresholds& threshold, double* u_mV, double* m,
                    double* v, std::size_t count);

// The same, one bin at a time on every CPU: the reference the vector paths
// are tested against (tests/meso/test_bin_update.cpp).
BinSums age_bin_run_scalar(const BinConstants& c, double drive_mV, const BinThresholds& threshold, double* u_mV,
                           double* m, double* v, std::size_t count);

}  // namespace micromeso::meso
