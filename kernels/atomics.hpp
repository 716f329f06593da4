// The atomic additions of the kernel bodies: CUDA's atomicAdd on a device,
// the compiler's __atomic builtins on the host (the emulator may run blocks
// in parallel). Relaxed order: the bodies only need each addition whole.
#pragma once

#include <cstdint>

#include "micromeso/physics/host_device.hpp"

namespace micromeso::kernels {

// Returns the value before the addition.
MM_HD std::uint32_t atomic_add(std::uint32_t* at, std::uint32_t value) {
#if defined(__CUDA_ARCH__)
  return atomicAdd(at, value);
#else
  return __atomic_fetch_add(at, value, __ATOMIC_RELAXED);
#endif
}

MM_HD std::uint64_t atomic_add(std::uint64_t* at, std::uint64_t value) {
#if defined(__CUDA_ARCH__)
  static_assert(sizeof(unsigned long long) == sizeof(std::uint64_t));
  return atomicAdd(reinterpret_cast<unsigned long long*>(at), static_cast<unsigned long long>(value));
#else
  return __atomic_fetch_add(at, value, __ATOMIC_RELAXED);
#endif
}

// Wrapping signed addition (two's complement): adding the unsigned image of a
// negative value subtracts it, so the sum is exact whatever the order.
MM_HD void atomic_add_wrapping(std::int64_t* at, std::int64_t value) {
  (void)atomic_add(reinterpret_cast<std::uint64_t*>(at), static_cast<std::uint64_t>(value));
}

}  // namespace micromeso::kernels
