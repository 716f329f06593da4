// Which vector path of the mesoscopic engine's loops this CPU can take
// (bin_update.cpp, lif_bin_hazard.cpp); asked once per process.
#pragma once

namespace micromeso::meso {

#if defined(__x86_64__)
inline bool cpu_has_avx512f() {
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  return avx512;
}

inline bool cpu_has_avx2_and_fma() {
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return avx2;
}
#endif

}  // namespace micromeso::meso
