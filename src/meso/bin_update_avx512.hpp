// The AVX-512 path of bin_update.cpp (x86-64 builds only).
#pragma once

#include <cstddef>

#include "meso/bin_update.hpp"

namespace micromeso::meso {

#if defined(__x86_64__)
#define MICROMESO_MESO_AVX512 1
// Eight bins at a time, the last 1 to 7 in masked lanes; call only where the
// CPU has AVX-512F (bin_update_avx512.cpp is compiled with -mavx512f).
BinSums age_bin_run_avx512(const BinConstants& c, double drive_mV, const BinThresholds& threshold, double* u_mV,
                           double* m, double* v, std::size_t count);
#endif

}  // namespace micromeso::meso
