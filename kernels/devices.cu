// list_devices() for CUDA builds (the CPU-only one is in src/run/devices.cpp).
// Host code only; compiled here because only this library links the runtime.
#include <string>

#include <cuda_runtime_api.h>

#include "kernels/cuda_check.cuh"
#include "micromeso/devices.hpp"

namespace micromeso {

namespace {

std::string describe(cudaError_t code) {
  return std::string(cudaGetErrorString(code)) + " (" + cudaGetErrorName(code) + ")";
}

// Why cudaGetDeviceCount failed, in words a user can act on. The runtime calls
// a missing driver "insufficient", which misleads on a machine without one.
std::string count_failure_reason(cudaError_t code, int driver_version) {
  if (code == cudaErrorInsufficientDriver && driver_version == 0)
    return std::string("no NVIDIA driver is installed (libcuda.so not found, ") + cudaGetErrorName(code) + ")";
  return describe(code);
}

DeviceInfo query_device(int index) {
  cudaDeviceProp prop{};
  MICROMESO_CUDA_CHECK(cudaGetDeviceProperties(&prop, index));
  DeviceInfo d;
  d.index = index;
  d.name = prop.name;
  d.compute_major = prop.major;
  d.compute_minor = prop.minor;
  d.total_memory_bytes = prop.totalGlobalMem;
  d.multiprocessors = prop.multiProcessorCount;
  // Free memory needs a context on the device; failing to make one (device
  // busy in exclusive mode, out of memory) leaves the rest of the row valid.
  std::size_t free_bytes = 0, total_bytes = 0;
  cudaError_t code = cudaSetDevice(index);
  if (code == cudaSuccess) code = cudaMemGetInfo(&free_bytes, &total_bytes);
  if (code == cudaSuccess)
    d.free_memory_bytes = free_bytes;
  else
    d.free_memory_error = describe(code);
  return d;
}

// Puts back the caller's current device, also when a query throws.
struct CurrentDeviceGuard {
  int previous = 0;
  CurrentDeviceGuard() { MICROMESO_CUDA_CHECK(cudaGetDevice(&previous)); }
  ~CurrentDeviceGuard() {
    (void)cudaSetDevice(previous);
    (void)cudaGetLastError();  // the tolerated failures of query_device
  }
  CurrentDeviceGuard(const CurrentDeviceGuard&) = delete;
  CurrentDeviceGuard& operator=(const CurrentDeviceGuard&) = delete;
};

}  // namespace

DeviceReport list_devices() {
  DeviceReport r;
  r.built_with_cuda = true;
  // Both succeed without a driver (the driver version is then 0).
  MICROMESO_CUDA_CHECK(cudaDriverGetVersion(&r.driver_version));
  MICROMESO_CUDA_CHECK(cudaRuntimeGetVersion(&r.runtime_version));

  int count = 0;
  const cudaError_t code = cudaGetDeviceCount(&count);
  // A tolerated failure stays as the runtime's "last error"; clear it so a
  // later launch check does not blame its kernel for it.
  (void)cudaGetLastError();
  if (code != cudaSuccess) {
    r.reason = count_failure_reason(code, r.driver_version);
    return r;
  }
  if (count == 0) {
    r.reason = "the driver reports no CUDA devices";
    return r;
  }

  const CurrentDeviceGuard guard;
  for (int i = 0; i < count; ++i) r.devices.push_back(query_device(i));
  return r;
}

}  // namespace micromeso
