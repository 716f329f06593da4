// The widest vector path a benchmark allows through an environment variable
// (avx512: no cap, avx2, scalar), so that the AVX2 or scalar path can be
// measured on an AVX-512 machine. Unset means no cap; any other value is
// refused with a message naming the variable. Shared by the mesoscopic
// engine's loops (MICROMESO_MESO_VECTOR) and the CPU engine's batched Philox
// (MICROMESO_PHILOX_VECTOR); each caller caches the answer once per process.
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace micromeso {

// 2: up to AVX-512, 1: up to AVX2, 0: scalar.
inline int vector_cap_from_environment(const char* variable) {
  const char* text = std::getenv(variable);
  if (text == nullptr) return 2;
  const std::string value(text);
  if (value == "avx512") return 2;
  if (value == "avx2") return 1;
  if (value == "scalar") return 0;
  throw std::invalid_argument("environment variable " + std::string(variable) + " is '" + value +
                              "', not one of avx512, avx2, scalar");
}

}  // namespace micromeso
