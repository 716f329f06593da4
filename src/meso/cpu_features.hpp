// Which vector path of the mesoscopic engine's loops this CPU can take
// (bin_update.cpp, lif_bin_hazard.cpp); asked once per process.
//
// The environment variable MICROMESO_MESO_VECTOR=avx2 or =scalar caps the
// path below what the CPU has (avx512: no cap), so that a benchmark can
// measure the AVX2 or scalar path on an AVX-512 machine (docs/meso-lif.md,
// section 8).
// Any other value is refused when the engine first asks.
#pragma once

#include "cpu/vector_cap.hpp"

namespace micromeso::meso {

#if defined(__x86_64__)
// 2: up to AVX-512, 1: up to AVX2, 0: scalar.
inline int meso_vector_cap() {
  static const int cap = vector_cap_from_environment("MICROMESO_MESO_VECTOR");
  return cap;
}

inline bool cpu_has_avx512f() {
  static const bool avx512 = __builtin_cpu_supports("avx512f") && meso_vector_cap() >= 2;
  return avx512;
}

inline bool cpu_has_avx2_and_fma() {
  static const bool avx2 =
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && meso_vector_cap() >= 1;
  return avx2;
}
#endif

}  // namespace micromeso::meso
