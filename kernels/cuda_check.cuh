// Checked CUDA runtime calls: every failure becomes a host-side CudaError that
// names the call, where it was made and what the runtime said. Host code only:
// exceptions never cross a kernel (DESIGN.md), and calling these from device
// code fails to compile because cuda_check is a host function.
//
//   MICROMESO_CUDA_CHECK(cudaMalloc(&p, bytes));
//   MICROMESO_CUDA_CHECK_LAUNCH(update<<<grid, block, 0, stream>>>(args));
//
// Kernel launches return nothing, so their configuration errors are read back
// with cudaGetLastError. Faults inside a kernel surface only at the next
// synchronising call; define MICROMESO_CUDA_SYNC_LAUNCHES to synchronise after
// every launch so such a fault is blamed on the launch that caused it (debug).
#pragma once

#include <stdexcept>
#include <string>

#include <cuda_runtime_api.h>

namespace micromeso {

class CudaError : public std::runtime_error {
 public:
  CudaError(cudaError_t code, const std::string& message) : std::runtime_error(message), code_(code) {}
  cudaError_t code() const noexcept { return code_; }

 private:
  cudaError_t code_;
};

namespace detail {

// "cudaMalloc(&p, n) at kernels/x.cu:12: out of memory (cudaErrorMemoryAllocation)"
inline std::string cuda_error_message(cudaError_t code, const char* call, const char* file, int line) {
  return std::string(call) + " at " + file + ":" + std::to_string(line) + ": " + cudaGetErrorString(code) +
         " (" + cudaGetErrorName(code) + ")";
}

inline void cuda_check(cudaError_t code, const char* call, const char* file, int line) {
  if (code != cudaSuccess) {
    // A failed runtime call also stays behind as the runtime's "last error";
    // left there, the next MICROMESO_CUDA_CHECK_LAUNCH (cudaGetLastError)
    // would blame an innocent kernel for it (e.g. the first launch of a new
    // engine after an earlier one ran out of memory). Clear it: this error is
    // reported by the throw. Sticky errors (a faulted kernel) stay regardless.
    (void)cudaGetLastError();
    throw CudaError(code, cuda_error_message(code, call, file, line));
  }
}

}  // namespace detail
}  // namespace micromeso

#define MICROMESO_CUDA_CHECK(call) ::micromeso::detail::cuda_check((call), #call, __FILE__, __LINE__)

// Variadic because the <<<grid, block>>> of a launch holds commas.
#ifdef MICROMESO_CUDA_SYNC_LAUNCHES
#define MICROMESO_CUDA_CHECK_LAUNCH(...)                                                              \
  do {                                                                                                \
    __VA_ARGS__;                                                                                      \
    ::micromeso::detail::cuda_check(cudaGetLastError(), #__VA_ARGS__, __FILE__, __LINE__);            \
    ::micromeso::detail::cuda_check(cudaDeviceSynchronize(), #__VA_ARGS__, __FILE__, __LINE__);       \
  } while (0)
#else
#define MICROMESO_CUDA_CHECK_LAUNCH(...)                                                   \
  do {                                                                                     \
    __VA_ARGS__;                                                                           \
    ::micromeso::detail::cuda_check(cudaGetLastError(), #__VA_ARGS__, __FILE__, __LINE__); \
  } while (0)
#endif
