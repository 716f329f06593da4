// The device engine on a CUDA device: EngineDriver over CudaRuntime. The
// kernels are instantiated here, one run_body<Body> per body.
#include <memory>

#include "kernels/cuda_check.cuh"
#include "kernels/cuda_runtime.cuh"
#include "kernels/engine_driver.hpp"

namespace micromeso::kernels {

DeviceProperties query_cuda_device(int device) {
  MICROMESO_CUDA_CHECK(cudaSetDevice(device));
  cudaDeviceProp prop{};
  MICROMESO_CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  std::size_t free_bytes = 0, total_bytes = 0;
  MICROMESO_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  return DeviceProperties{prop.name, free_bytes, total_bytes, prop.multiProcessorCount};
}

std::unique_ptr<DeviceEngine> make_cuda_engine(const EngineConfig& config, int device) {
  return std::make_unique<EngineDriver<CudaRuntime>>(config, device);
}

}  // namespace micromeso::kernels
