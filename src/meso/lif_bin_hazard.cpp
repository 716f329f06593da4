#include "meso/lif_bin_hazard.hpp"

#include "meso/cpu_features.hpp"
#include "meso/lif_bin_lanes.hpp"
#include "meso/lif_bin_scalar_lanes.hpp"

namespace micromeso::meso {

void lif_bin_hazard_run(const LifBinConstants& c, const LifBinNoise& noise, double drive_mV, const LifBinRun& run) {
#ifdef MICROMESO_MESO_LIF_VECTOR
  if (cpu_has_avx512f()) return lif_bin_hazard_run_avx512(c, noise, drive_mV, run);
  if (cpu_has_avx2_and_fma()) return lif_bin_hazard_run_avx2(c, noise, drive_mV, run);
#endif
  lif_bin_hazard_run_scalar(c, noise, drive_mV, run);
}

void lif_bin_hazard_runs(const LifBinSegment* segments, std::size_t count) {
#ifdef MICROMESO_MESO_LIF_VECTOR
  if (cpu_has_avx512f()) return lif_bin_hazard_runs_avx512(segments, count);
  if (cpu_has_avx2_and_fma()) return lif_bin_hazard_runs_avx2(segments, count);
#endif
  lif_bin_hazard_runs_scalar(segments, count);
}

void lif_bin_hazard_runs_scalar(const LifBinSegment* segments, std::size_t count) {
  LifBinLanes<ScalarLanes>::runs(segments, count);
}

void lif_bin_hazard_run_scalar(const LifBinConstants& c, const LifBinNoise& noise, double drive_mV,
                               const LifBinRun& run) {
  LifBinLanes<ScalarLanes>::run(c, noise, drive_mV, run);
}

}  // namespace micromeso::meso
