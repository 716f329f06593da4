// The vector path of bin_update.cpp (x86-64 builds only).
#pragma once

#include <cstddef>

#include "meso/bin_update.hpp"

namespace micromeso::meso {

#if defined(__x86_64__)
#define MICROMESO_MESO_AVX2 1
// Four bins at a time, the last 1 to 3 in masked lanes; call only where the
// CPU has AVX2 and FMA (bin_update_avx2.cpp is compiled with -mavx2 -mfma).
BinSums age_bin_run_avx2(const BinConstants& c, double drive_mV, const BinThresholds& threshold, double* u_mV,
                         double* m, double* v, std::size_t count);
#endif

}  // namespace micromeso::meso
