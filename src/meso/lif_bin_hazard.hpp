// The inner loop of the hard-threshold LIF population equation
// (lif_population.hpp): per firing age bin, one step of its mean membrane
// potential, its distance T to the threshold in standard deviations, ln
// P_below(T) and the step's escape probability (lif_hazard.hpp, docs/meso-lif.md
// section 2). This is where that engine spends its time: an exp, an erfc, a
// log and an expm1 per bin and step, so the loop runs through SLEEF's
// vectorised functions (exp, log, expm1 within 1 ulp, erfc within 1.5 ulp),
// eight bins at a time where the CPU has AVX-512F, four where it has AVX2 and
// FMA, else one at a time through SLEEF's scalar functions; the last bins of a
// run that fill no vector go through the scalar functions too. The arithmetic
// is written once (lif_bin_lanes.hpp) for all three.
//
// Against the closed forms of lif_hazard.hpp (libm) the results differ by
// rounding, plus where ln P_below is above -1e-12 (T > 5): there
// lif_hazard.hpp's log1p keeps its relative accuracy and the loop's log its
// absolute accuracy (2^-53), which is what the hazard, a difference of two
// such logs, needs. tests/meso/test_meso_lif_bin_hazard.cpp checks both.
#pragma once

#include <cstddef>

namespace micromeso::meso {

struct LifBinConstants {
  double P22 = 0.0;               // exp(-dt / tau_m)
  double h_over_tau_m = 0.0;      // dt / tau_m
  double threshold_rel_mV = 0.0;  // V_th - E_L
};

// The step's white-equivalent input variances (mV^2) and Fourcaud-Brunel
// threshold shift (mV) of the population (lif_population.hpp, Noise).
struct LifBinNoise {
  double ex_mV2 = 0.0, in_mV2 = 0.0, quenched_mV2 = 0.0, shift_mV = 0.0;
};

// A run of `count` firing bins, oldest first. Index i of every array is the
// run's bin i; the per-age arrays are laid out from the oldest age down, so
// that bin i of the run reads element i of each.
struct LifBinRun {
  double* u_mV = nullptr;                   // mean potentials, advanced in place
  const double* built_ex = nullptr;         // variance built since the reset, f(a), excitatory
  const double* built_in = nullptr;         // ... inhibitory
  const double* built_quenched = nullptr;   // ... quenched offset
  const double* built_mean = nullptr;       // 1 - exp(-a_free / tau_m), carries the threshold shift
  // Blocks of ages (lif_population.hpp): the variance of their members' mean
  // potentials, added to each one's variance; null for single-age bins.
  const double* spread_mV2 = nullptr;
  const double* T_start = nullptr;          // T of each bin at the step's start
  const double* log_below_start = nullptr;  // ln P_below(T_start)
  double* T_end = nullptr;                  // out: T at the step's end
  double* log_below_end = nullptr;          // out: ln P_below(T_end)
  double* escape_probability = nullptr;     // out: 1 - exp(-integrated hazard)
  // Blocks' survivor tilt (lif_population.hpp, LifBinLanes::step; null for
  // single-age bins): d ln P_below / dT at the step's start (in) and end
  // (out); the spread after the step's escapes (out, where spread_mV2 is
  // given); T_end, ln P_below and u are then those of the survivors.
  const double* slope_below_start = nullptr;
  double* slope_below_end = nullptr;
  double* spread_end_mV2 = nullptr;
  std::size_t count = 0;
};

// A run with its population's constants and this step's noise and mean
// drive (mV): one of the runs of a step (LifPopulationEquation::begin_step).
struct LifBinSegment {
  LifBinConstants constants;
  LifBinNoise noise;
  double drive_mV = 0.0;
  LifBinRun run;
};

// One step of the run: takes the widest path the CPU has.
void lif_bin_hazard_run(const LifBinConstants& c, const LifBinNoise& noise, double drive_mV, const LifBinRun& run);

// One step of several runs, one after the other in one call: every
// population's bins and blocks of a step. Each run's results are those of
// lif_bin_hazard_run alone (no lane reads another run's values); in one call
// the CPU overlaps the runs' long chains of square roots and divisions, which
// a population's few vectors alone leave waiting (docs/meso-lif.md, section 8).
void lif_bin_hazard_runs(const LifBinSegment* segments, std::size_t count);

// The same on every CPU, one bin at a time: the reference the vector paths are
// tested against.
void lif_bin_hazard_run_scalar(const LifBinConstants& c, const LifBinNoise& noise, double drive_mV,
                               const LifBinRun& run);
void lif_bin_hazard_runs_scalar(const LifBinSegment* segments, std::size_t count);

#if defined(__x86_64__)
#define MICROMESO_MESO_LIF_VECTOR 1
// Call only where the CPU has AVX2 and FMA (lif_bin_hazard_avx2.cpp is
// compiled with -mavx2 -mfma), respectively AVX-512F (lif_bin_hazard_avx512.cpp,
// -mavx512f).
void lif_bin_hazard_run_avx2(const LifBinConstants& c, const LifBinNoise& noise, double drive_mV,
                             const LifBinRun& run);
void lif_bin_hazard_run_avx512(const LifBinConstants& c, const LifBinNoise& noise, double drive_mV,
                               const LifBinRun& run);
void lif_bin_hazard_runs_avx2(const LifBinSegment* segments, std::size_t count);
void lif_bin_hazard_runs_avx512(const LifBinSegment* segments, std::size_t count);
#endif

}  // namespace micromeso::meso
