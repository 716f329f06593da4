// The CPU engine's synaptic events in flight, kept as lists by arrival slot
// instead of as a dense delay ring. A dense ring of S slots x N neurons x two
// receptors (94 MB for full-scale Potjans-Diesmann) is far larger than the
// caches, so every event's addition there is a cache miss on a line that is
// read and written back to memory: about 128 bytes of memory traffic per
// 8-byte addition. Here a delivery appends the event (target, weight: 8
// bytes) to the list of its arrival slot, sequentially, and the owner of the
// target adds the slot's events into one dense slot of its own neurons just
// before it updates them, a slot small enough for the core's cache. The sums
// are the same integers in another order (physics/fixed_point.hpp), so the
// spikes are the same bit for bit.
//
// Lists are kept per (slot, owner, writer): a delivering thread (writer)
// appends only to its own lists, and the thread that updates the target
// (owner) alone reads and clears them, so no addition is atomic. Each
// writer's list headers lie together, a cache line apart from the next
// writer's: headers of two writers in one line made every append move that
// line between the cores (2.3 times slower than the dense ring with 2
// threads on an idle machine). Owners hold
// contiguous ranges of whole blocks of kBlock neurons, which makes the owner
// of a target one table look-up.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "micromeso/physics/fixed_point.hpp"

namespace micromeso::micro {

struct PendingEvent {
  std::uint32_t target;  // local neuron id
  physics::WeightFixed weight;  // its sign says the receptor (negative: inhibitory)
};

// The cell of an event in a slot laid out [local neuron][receptor]: the
// excitatory or inhibitory receptor by the weight's sign.
inline std::uint64_t receptor_cell(std::uint32_t target, physics::WeightFixed weight) {
  return 2 * std::uint64_t{target} + (weight < 0 ? 1 : 0);
}

class PendingEvents {
 public:
  static constexpr std::uint32_t kBlockShift = 6;  // blocks of 64 neurons

  PendingEvents() = default;
  // `slots` arrival slots, `threads` owners and writers, `n_local` neurons.
  PendingEvents(std::uint64_t slots, int threads, std::uint64_t n_local)
      : threads_(threads),
        per_writer_(slots * static_cast<std::uint64_t>(threads) + kPadLists),
        lists_(per_writer_ * static_cast<std::uint64_t>(threads)) {
    owner_of_block_.resize(blocks_of(n_local));
    for (int t = 0; t < threads; ++t)
      for (std::uint64_t b = first_block(n_local, threads, t); b < first_block(n_local, threads, t + 1); ++b) owner_of_block_[b] = static_cast<std::uint16_t>(t);
  }

  int threads() const { return threads_; }
  // The neurons [owned_begin(n, threads, t), owned_begin(n, threads, t + 1))
  // (local ids) that thread t of `threads` owns and updates.
  static std::uint64_t owned_begin(std::uint64_t n_local, int threads, int t) {
    return std::min(n_local, first_block(n_local, threads, t) << kBlockShift);
  }
  int owner_of(std::uint32_t target) const { return owner_of_block_[target >> kBlockShift]; }

  std::vector<PendingEvent>& list(std::uint64_t slot, int owner, int writer) {
    return lists_[static_cast<std::uint64_t>(writer) * per_writer_ + slot * threads_ + owner];
  }
  // Events in every list.
  std::uint64_t size() const {
    std::uint64_t total = 0;
    for (const auto& l : lists_) total += l.size();
    return total;
  }
  // Events the lists have room for (vectors keep their capacity when
  // cleared and double it when full).
  std::uint64_t capacity() const {
    std::uint64_t total = 0;
    for (const auto& l : lists_) total += l.capacity();
    return total;
  }
  // Every list emptied, its memory returned.
  void release() {
    std::vector<std::vector<PendingEvent>>().swap(lists_);
  }

 private:
  static std::uint64_t blocks_of(std::uint64_t n_local) { return (n_local + (1u << kBlockShift) - 1) >> kBlockShift; }
  static std::uint64_t first_block(std::uint64_t n_local, int threads, int t) {
    return blocks_of(n_local) * static_cast<std::uint64_t>(t) / static_cast<std::uint64_t>(threads);
  }
  int threads_ = 0;
  // Unused list headers between two writers' (3 x 24 bytes: over a 64-byte line).
  static constexpr std::uint64_t kPadLists = 3;
  std::uint64_t per_writer_ = 0;
  std::vector<std::vector<PendingEvent>> lists_;  // [writer][slot][owner], kPadLists apart
  std::vector<std::uint16_t> owner_of_block_;
};

}  // namespace micromeso::micro
