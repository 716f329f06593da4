// The emulated runtime under EngineDriver (engine_driver.hpp): device memory
// is host memory, a launch runs its body over the emulated grid (grid.hpp),
// and a captured graph is the list of the chunk's launches, recorded once and
// replayed as they are, with the parameters they had at capture (as a CUDA
// graph replays them). No CUDA header on this path.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include "kernels/device_engine.hpp"
#include "kernels/emulator/grid.hpp"

namespace micromeso::kernels {

// Emulated device memory: filled with 0xA5 bytes, not zeros, like memory a
// device hands out uninitialised, so that a body reading what nothing wrote
// gives garbage here too instead of a lucky zero.
template <class T>
class HostArray {
 public:
  HostArray() = default;
  explicit HostArray(std::size_t n) : data_(n ? std::make_unique_for_overwrite<T[]>(n) : nullptr), size_(n) {
    if (n) std::memset(static_cast<void*>(data_.get()), 0xA5, n * sizeof(T));
  }
  T* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  std::size_t bytes() const { return size_ * sizeof(T); }

 private:
  std::unique_ptr<T[]> data_;
  std::size_t size_ = 0;
};

class EmulatedRuntime {
 public:
  template <class T>
  using Buffer = HostArray<T>;
  template <class T>
  using HostBuffer = HostArray<T>;
  using Graph = std::vector<std::function<void()>>;
  static constexpr bool kGraphs = true;

  explicit EmulatedRuntime(const EmulatorOptions& options) : options_(options) {
    if (options.threads < 1) throw std::invalid_argument("GPU emulator: threads must be at least 1");
    if (options.multiprocessors < 1) throw std::invalid_argument("GPU emulator: multiprocessors must be at least 1");
    props_ = emulated_device_properties(options);
  }

  void make_current() const {}
  const DeviceProperties& properties() const { return props_; }
  std::uint64_t free_bytes() const { return options_.free_bytes; }

  // Copies and memsets are stream work: not allowed while capturing (the
  // driver never does), as in a capture they would become graph nodes.
  template <class T>
  void upload(T* to, const T* from, std::size_t n) { copy(to, from, n); }
  template <class T>
  void download(T* to, const T* from, std::size_t n) { copy(to, from, n); }
  template <class T>
  void copy_to_host_async(T* to, const T* from, std::size_t n) { copy(to, from, n); }
  template <class T>
  void copy_on_device_async(T* to, const T* from, std::size_t n) { copy(to, from, n); }
  void zero_async(void* at, std::size_t bytes) {
    not_capturing("memset");
    if (bytes) std::memset(at, 0, bytes);
  }
  void synchronize() { not_capturing("synchronize"); }

  template <class Body>
  void launch(std::uint32_t grid, std::uint32_t block, const Body& body) {
    check_launch(grid, block);
    if (capturing_) {
      graph_.push_back([this, grid, block, body] { run_grid(grid, block, body, options_, launches_++); });
      return;
    }
    run_grid(grid, block, body, options_, launches_++);
  }
  template <class Body>
  void prepare() {}

  void exclusive_scan_async(const std::uint64_t* in, std::uint64_t* out, std::uint64_t n) {
    not_capturing("scan");
    std::exclusive_scan(in, in + n, out, std::uint64_t{0});
  }

  template <class Enqueue>
  Graph capture(Enqueue&& enqueue) {
    capturing_ = true;
    graph_.clear();
    try {
      enqueue();
    } catch (...) {
      capturing_ = false;
      graph_.clear();
      throw;
    }
    capturing_ = false;
    return std::exchange(graph_, {});
  }
  void replay(const Graph& graph) {
    for (const auto& launch : graph) launch();
  }

 private:
  void not_capturing(const char* what) const {
    if (capturing_) throw std::logic_error(std::string("GPU emulator: ") + what + " during a graph capture");
  }
  template <class T>
  void copy(T* to, const T* from, std::size_t n) {
    not_capturing("copy");
    if (n) std::memcpy(static_cast<void*>(to), static_cast<const void*>(from), n * sizeof(T));
  }

  EmulatorOptions options_;
  DeviceProperties props_;
  bool capturing_ = false;
  Graph graph_;
  std::uint64_t launches_ = 0;
};

}  // namespace micromeso::kernels
