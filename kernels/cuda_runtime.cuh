// The CUDA runtime under EngineDriver (engine_driver.hpp): one non-blocking
// stream, every kernel body launched through run_body, whole chunks captured
// as CUDA graphs and replayed. nvcc only (cuda_engine.cu).
#pragma once

#include <cub/device/device_scan.cuh>

#include <cstdint>
#include <utility>

#include <cuda_runtime_api.h>

#include "kernels/cuda_check.cuh"
#include "kernels/device_buffer.hpp"
#include "kernels/device_engine.hpp"
#include "kernels/grid_index.hpp"
#include "kernels/step_bodies.hpp"

namespace micromeso::kernels {

// The one kernel wrapper: every body (step_bodies.hpp, build_bodies.hpp) runs
// as run_body<Body>. __grid_constant__: the body is read in place from the
// parameter space, also where it takes an address (no local copy).
// Launch bounds per body. UpdateNeurons instantiates every neuron model, and
// without a bound the largest (hh_psc_alpha's RK4) sets the registers of all:
// 188 per thread, one block of 256 per multiprocessor (12.5 % occupancy,
// measured on an H200, kernels/GPU_NOTES.md). Four blocks of at most 256
// threads per multiprocessor cap it at 64; the models that need more spill
// to local memory. Register allocation does not change the arithmetic.
template <class Body>
struct LaunchBounds {
  static constexpr int max_threads = 1024, min_blocks = 1;
};
template <>
struct LaunchBounds<UpdateNeurons> {
  static constexpr int max_threads = 256, min_blocks = 4;
};

template <class Body>
__global__ void __launch_bounds__(LaunchBounds<Body>::max_threads, LaunchBounds<Body>::min_blocks)
    run_body(const __grid_constant__ Body body) {
  body(ThreadIndex{blockIdx.x, threadIdx.x, blockDim.x, gridDim.x});
}

class CudaRuntime {
 public:
  template <class T>
  using Buffer = DeviceBuffer<T>;
  template <class T>
  using HostBuffer = PinnedBuffer<T>;
  // Synchronising after every launch (the debug mode of cuda_check.cuh) is
  // not allowed while a graph is being captured: plain launches instead.
#ifdef MICROMESO_CUDA_SYNC_LAUNCHES
  static constexpr bool kGraphs = false;
#else
  static constexpr bool kGraphs = true;
#endif

  explicit CudaRuntime(int device) : device_(device), props_(query_cuda_device(device)) {
    MICROMESO_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
  }
  ~CudaRuntime() {
    if (stream_) (void)cudaStreamDestroy(stream_);
  }
  CudaRuntime(const CudaRuntime&) = delete;
  CudaRuntime& operator=(const CudaRuntime&) = delete;

  // The current device is per host thread: a later call may come from another
  // thread, or after another engine made its own device current.
  void make_current() const { MICROMESO_CUDA_CHECK(cudaSetDevice(device_)); }
  const DeviceProperties& properties() const { return props_; }
  std::uint64_t free_bytes() const {
    std::size_t free_bytes = 0, total_bytes = 0;
    MICROMESO_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
    return free_bytes;
  }

  // Through the stream, then waited for: a copy from pageable memory may
  // return before its DMA ends, and the stream's kernels must see it.
  template <class T>
  void upload(T* to, const T* from, std::size_t n) {
    if (n == 0) return;
    MICROMESO_CUDA_CHECK(cudaMemcpyAsync(to, from, n * sizeof(T), cudaMemcpyHostToDevice, stream_));
    synchronize();
  }
  template <class T>
  void download(T* to, const T* from, std::size_t n) {
    if (n == 0) return;
    MICROMESO_CUDA_CHECK(cudaMemcpyAsync(to, from, n * sizeof(T), cudaMemcpyDeviceToHost, stream_));
    synchronize();
  }
  template <class T>
  void copy_to_host_async(T* to, const T* from, std::size_t n) {
    if (n) MICROMESO_CUDA_CHECK(cudaMemcpyAsync(to, from, n * sizeof(T), cudaMemcpyDeviceToHost, stream_));
  }
  template <class T>
  void copy_on_device_async(T* to, const T* from, std::size_t n) {
    if (n) MICROMESO_CUDA_CHECK(cudaMemcpyAsync(to, from, n * sizeof(T), cudaMemcpyDeviceToDevice, stream_));
  }
  void zero_async(void* at, std::size_t bytes) {
    if (bytes) MICROMESO_CUDA_CHECK(cudaMemsetAsync(at, 0, bytes, stream_));
  }
  void synchronize() { MICROMESO_CUDA_CHECK(cudaStreamSynchronize(stream_)); }

  template <class Body>
  void launch(std::uint32_t grid, std::uint32_t block, const Body& body) {
    MICROMESO_CUDA_CHECK_LAUNCH(run_body<Body><<<grid, block, 0, stream_>>>(body));
  }
  // cudaFuncGetAttributes loads the kernel's module (CUDA loads lazily by
  // default since 12.2), so no first load happens inside a graph capture.
  template <class Body>
  void prepare() {
    cudaFuncAttributes attributes{};
    MICROMESO_CUDA_CHECK(cudaFuncGetAttributes(&attributes, run_body<Body>));
  }

  void exclusive_scan_async(const std::uint64_t* in, std::uint64_t* out, std::uint64_t n) {
    std::size_t temp_bytes = 0;
    MICROMESO_CUDA_CHECK(cub::DeviceScan::ExclusiveSum(nullptr, temp_bytes, in, out, n, stream_));
    // At least one byte: a null d_temp_storage would make the second call
    // another size query that scans nothing.
    DeviceBuffer<unsigned char> temp(temp_bytes > 0 ? temp_bytes : 1);
    MICROMESO_CUDA_CHECK(cub::DeviceScan::ExclusiveSum(temp.data(), temp_bytes, in, out, n, stream_));
    synchronize();  // before `temp` is freed
  }

  // An instantiated graph, destroyed with its handle.
  class Graph {
   public:
    Graph() = default;
    explicit Graph(cudaGraphExec_t exec) : exec_(exec) {}
    ~Graph() {
      if (exec_) (void)cudaGraphExecDestroy(exec_);
    }
    Graph(Graph&& o) noexcept : exec_(std::exchange(o.exec_, nullptr)) {}
    Graph& operator=(Graph&& o) noexcept {
      std::swap(exec_, o.exec_);
      return *this;
    }
    cudaGraphExec_t get() const { return exec_; }

   private:
    cudaGraphExec_t exec_ = nullptr;
  };

  template <class Enqueue>
  Graph capture(Enqueue&& enqueue) {
    cudaGraph_t graph = nullptr;
    MICROMESO_CUDA_CHECK(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal));
    try {
      enqueue();
    } catch (...) {
      (void)cudaStreamEndCapture(stream_, &graph);  // leave the stream usable
      if (graph) (void)cudaGraphDestroy(graph);
      (void)cudaGetLastError();  // an invalidated capture's error is not a later launch's
      throw;
    }
    MICROMESO_CUDA_CHECK(cudaStreamEndCapture(stream_, &graph));
    cudaGraphExec_t exec = nullptr;
    const cudaError_t code = cudaGraphInstantiate(&exec, graph, 0);
    (void)cudaGraphDestroy(graph);  // the executable graph keeps what it needs
    MICROMESO_CUDA_CHECK(code);
    return Graph(exec);
  }
  void replay(const Graph& graph) { MICROMESO_CUDA_CHECK(cudaGraphLaunch(graph.get(), stream_)); }

 private:
  int device_;
  DeviceProperties props_;
  cudaStream_t stream_ = nullptr;
};

}  // namespace micromeso::kernels
