// Zeroed host memory that the kernel is asked to back with transparent huge
// pages (madvise(MADV_HUGEPAGE); Linux's default THP mode only gives them on
// request). The delay ring is written at a random place (slot, target) per
// synaptic event: with 4-KiB pages almost every event misses the TLB, with
// 2-MiB pages the full-scale Potjans ring needs a few dozen entries. The
// synapse arrays (3 GB at full scale) are filled once: with 4-KiB pages that
// is 750,000 page faults, with 2-MiB pages 1,500.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace micromeso::micro {

template <typename T>
class HugePageBuffer {
  static_assert(std::is_trivially_copyable_v<T>, "raw memory: no constructors run");

 public:
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;

  HugePageBuffer() = default;
  explicit HugePageBuffer(std::size_t n) : size_(n) {
    if (n == 0) return;
    // One huge page more than needed, so that the data can start on a huge-page boundary.
    mapped_bytes_ = (n * sizeof(T) + kHugePage - 1) / kHugePage * kHugePage + kHugePage;
    void* p = mmap(nullptr, mapped_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    mapping_ = p;
    const auto address = reinterpret_cast<std::uintptr_t>(p);
    data_ = reinterpret_cast<T*>((address + kHugePage - 1) / kHugePage * kHugePage);
    madvise(data_, (n * sizeof(T) + kHugePage - 1) / kHugePage * kHugePage, MADV_HUGEPAGE);  // advice: may be refused
  }
  HugePageBuffer(const HugePageBuffer&) = delete;
  HugePageBuffer& operator=(const HugePageBuffer&) = delete;
  HugePageBuffer(HugePageBuffer&& o) noexcept { swap(o); }
  HugePageBuffer& operator=(HugePageBuffer&& o) noexcept {
    HugePageBuffer(std::move(o)).swap(*this);
    return *this;
  }
  ~HugePageBuffer() {
    if (mapping_ != nullptr) munmap(mapping_, mapped_bytes_);
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  std::size_t size() const { return size_; }
  std::size_t bytes() const { return size_ * sizeof(T); }

 private:
  void swap(HugePageBuffer& o) noexcept {
    std::swap(mapping_, o.mapping_);
    std::swap(mapped_bytes_, o.mapped_bytes_);
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
  }
  void* mapping_ = nullptr;  // anonymous mapping: zeroed by the kernel
  std::size_t mapped_bytes_ = 0;
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace micromeso::micro
