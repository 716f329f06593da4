// The bodies of the network-construction kernels: the same two passes as the
// CPU builder (src/micro/network_build.cpp) over the same draw functions
// (physics/synapse_draw.hpp), so the device holds the synapses build_network()
// makes. Pass 1 counts each source's synapses per projection (Count*), and
// AddCounts sums them into the degrees; an exclusive scan gives every source
// its segment; pass 2 fills the segments projection after projection through
// a per-source write cursor (Fill*, then AddCounts moves the cursors past
// what was written), which lays each segment out in projection order as the
// CPU does. Only the order within a fixed_indegree sub-segment differs
// (atomic cursors), which the integer accumulation of inputs makes irrelevant.
//
// one_to_one and fixed_outdegree draw from the source, one thread per source
// (CountFromSource, FillFromSource: the walk of subset_draw.hpp without
// multapses); fixed_indegree without multapses walks one thread per target.
//
// Every body is a grid-stride loop over its items: any grid covers them, and
// no body has a barrier.
//
// Over MPI ranks a device holds only the synapses onto its rank's neurons
// (as the CPU builder: network_build.cpp): each projection keeps the targets
// [window_lo, window_hi) of its target population and stores them as local
// ids (gid - local_first). Every draw is the single process's;
// fixed_total_number draws only the target blocks that meet the window
// (physics/total_number_blocks.hpp): counts per source and block, then per
// source the kept synapses (CountKeptFixedTotalNumber), and with a partial
// window fills each source sequentially (FillFixedTotalNumberWindow).
#pragma once

#include <cstdint>

#include "kernels/atomics.hpp"
#include "kernels/grid_index.hpp"
#include "kernels/synapse_layout.hpp"
#include "micromeso/physics/subset_draw.hpp"
#include "micromeso/physics/synapse_draw.hpp"
#include "micromeso/physics/total_number_blocks.hpp"

namespace micromeso::kernels {

enum class DeviceRule : int {
  fixed_total_number = 0,
  pairwise_bernoulli = 1,
  fixed_indegree = 2,
  one_to_one = 3,
  fixed_outdegree = 4
};

// micro::ProjectionPlan without the host-only fields.
struct DeviceProjection {
  DeviceRule rule;
  physics::SynapseDrawParams draw;
  std::uint32_t pre_first, post_first;  // global id of the populations' first neurons
  std::uint64_t n_synapses;             // fixed_total_number
  std::uint32_t indegree;               // fixed_indegree
  double probability, log1m_probability;  // pairwise_bernoulli
  // The targets kept (indices within the target population; all of them in
  // a single process) and the first local neuron (targets are stored as
  // gid - local_first).
  std::uint32_t window_lo, window_hi;
  std::uint32_t local_first;
  std::uint32_t outdegree;  // fixed_outdegree
  bool allow_multapses;     // fixed_indegree, fixed_outdegree: false draws without replacement (subset_draw.hpp)
};

MM_HD bool in_window(const DeviceProjection& p, std::uint64_t target) {
  return target >= p.window_lo && target < p.window_hi;
}
inline bool whole_window(const DeviceProjection& p) { return p.window_lo == 0 && p.window_hi == p.draw.n_post; }

// Items of a projection's count pass (and of its fixed_indegree fill).
MM_HD std::uint64_t count_items(const DeviceProjection& p) {
  switch (p.rule) {
    case DeviceRule::fixed_total_number: return (p.n_synapses + 3) / 4;  // four pairs per Philox block (at most)
    case DeviceRule::pairwise_bernoulli: return p.draw.n_pre;
    case DeviceRule::fixed_indegree:  // one item per pair, or per target for a subset walk
      return std::uint64_t{p.window_hi - p.window_lo} * (p.allow_multapses ? p.indegree : 1u);
    case DeviceRule::one_to_one:
    case DeviceRule::fixed_outdegree: return p.draw.n_pre;
  }
  return 0;
}

// `first`: the synapse's first Philox block, which also gave its partner.
MM_HD micro::PackedSynapse make_synapse(const DeviceProjection& p, const micro::SynapseLayout& layout,
                                        std::uint64_t target, std::uint64_t key, const physics::Random4& first) {
  const physics::SynapseValues v = physics::draw_synapse_values(p.draw, key, first);
  return layout.pack(static_cast<std::uint32_t>(p.post_first + target - p.local_first), v.delay_steps, v.weight);
}
MM_HD micro::PackedSynapse make_synapse(const DeviceProjection& p, const micro::SynapseLayout& layout,
                                        std::uint64_t target, std::uint64_t key) {
  return make_synapse(p, layout, target, key, physics::synapse_first_block(p.draw, key));
}

// fixed_indegree: pair i of the projection is the (i mod K)-th synapse onto
// the window's target i / K, drawn under its key (as build_network draws it).
struct IndegreePair {
  std::uint32_t target;
  std::uint64_t key;
};
MM_HD IndegreePair indegree_pair(const DeviceProjection& p, std::uint64_t i) {
  const auto target = static_cast<std::uint32_t>(p.window_lo + i / p.indegree);
  return IndegreePair{target, physics::synapse_key(target, i % p.indegree)};
}

// fixed_total_number, per target block (physics/total_number_blocks.hpp):
// the host splits the pairs over the blocks [block_lo, block_lo + blocks)
// that meet the window; item i is quad i - quad_first[k] of block k (four
// pairs per Philox block), whose sources are counted into cells[k * n_pre + s].
struct CountFixedTotalNumber {
  DeviceProjection p;
  std::uint32_t block_lo, blocks;
  const std::uint64_t* quad_first;   // per block, blocks + 1 entries
  const std::uint64_t* block_pairs;  // per block
  std::uint32_t* cells;

  MM_HD void operator()(const ThreadIndex& t) const {
    const std::uint64_t items = quad_first[blocks];
    for (std::uint64_t i = t.global(); i < items; i += t.grid_threads()) {
      std::uint32_t k = 0;
      while (quad_first[k + 1] <= i) ++k;
      const std::uint32_t b = block_lo + k;
      const physics::TargetBlock tb = physics::target_block(p.draw.n_post, b);
      const std::uint64_t quad = i - quad_first[k];
      const physics::PairSources s =
          physics::draw_block_sources(physics::block_draw_params(p.draw, b), tb.lo, tb.size, quad);
      const std::uint64_t left = block_pairs[k] - 4 * quad;
      const int valid = left < 4 ? static_cast<int>(left) : 4;
      for (int j = 0; j < valid; ++j) atomic_add(cells + std::uint64_t{k} * p.draw.n_pre + s.source[j], 1u);
    }
  }
};

// Each source's synapses kept (in the window) over the blocks.
struct CountKeptFixedTotalNumber {
  DeviceProjection p;
  std::uint32_t block_lo, blocks;
  const std::uint32_t* cells;
  std::uint32_t* count;

  MM_HD void operator()(const ThreadIndex& t) const {
    for (std::uint64_t s = t.global(); s < p.draw.n_pre; s += t.grid_threads()) {
      std::uint32_t kept = 0;
      for (std::uint32_t k = 0; k < blocks; ++k)
        kept += physics::kept_block_synapses(p.draw, block_lo + k, static_cast<std::uint32_t>(s),
                                             cells[std::uint64_t{k} * p.draw.n_pre + s], p.window_lo, p.window_hi);
      count[s] = kept;
    }
  }
};

// The walk visits targets in ascending order: it stops at the window's end.
struct CountPairwiseBernoulli {
  DeviceProjection p;
  std::uint32_t* count;

  MM_HD void operator()(const ThreadIndex& t) const {
    for (std::uint64_t s = t.global(); s < p.draw.n_pre; s += t.grid_threads()) {
      physics::BernoulliWalk walk{&p.draw, p.log1m_probability, static_cast<std::uint32_t>(s), p.draw.n_post};
      std::uint32_t k = 0;
      for (std::uint64_t target; (target = physics::bernoulli_next(walk, p.probability)) < p.window_hi;)
        k += target >= p.window_lo;
      count[s] = k;
    }
  }
};

struct CountFixedIndegree {
  DeviceProjection p;
  std::uint32_t* count;

  MM_HD void operator()(const ThreadIndex& t) const {
    const std::uint64_t items = count_items(p);
    for (std::uint64_t i = t.global(); i < items; i += t.grid_threads()) {
      if (!p.allow_multapses) {  // item i: the subset walk of target window_lo + i
        physics::for_each_partner(p.draw, static_cast<std::uint32_t>(p.window_lo + i), p.draw.n_pre, p.indegree, false,
                                  p.draw.n_pre, [&](std::uint32_t source, std::uint32_t) { atomic_add(count + source, 1u); });
        continue;
      }
      const IndegreePair pair = indegree_pair(p, i);
      atomic_add(count + physics::draw_partner(p.draw, pair.target, pair.key, p.draw.n_pre), 1u);
    }
  }
};

// to[pre_first + s] += count[s] for each source s of the projection: the
// degrees in pass 1, the write cursors after a fill in pass 2. Projections
// run one after another (stream order), and one thread owns each source.
struct AddCounts {
  std::uint32_t pre_first, n_pre;
  const std::uint32_t* count;
  std::uint64_t* to;

  MM_HD void operator()(const ThreadIndex& t) const {
    for (std::uint64_t s = t.global(); s < n_pre; s += t.grid_threads()) to[pre_first + s] += count[s];
  }
};

// A whole window: a group of kFillGroup threads per source draws its
// synapses side by side, block after block (place i of the segment by lane
// i mod kFillGroup, whatever the blocks). Threads beyond the last whole
// group of the grid idle: a partial group would leave synapses unwritten.
struct FillFixedTotalNumber {
  static constexpr std::uint32_t kFillGroup = 32;
  DeviceProjection p;
  micro::SynapseLayout layout;
  std::uint32_t blocks;  // from block 0
  const std::uint32_t* cells;
  const std::uint64_t* cursor;
  micro::PackedSynapse* out;

  MM_HD void operator()(const ThreadIndex& t) const {
    const std::uint64_t groups = t.grid_threads() / kFillGroup;
    const std::uint64_t group = t.global() / kFillGroup;
    if (group >= groups) return;
    const auto lane = static_cast<std::uint32_t>(t.global() % kFillGroup);
    for (std::uint64_t s = group; s < p.draw.n_pre; s += groups) {
      const std::uint64_t at = cursor[p.pre_first + s];
      const auto source = static_cast<std::uint32_t>(s);
      // Lane i writes places i, i + kFillGroup, ... of the segment: place i
      // is synapse i - base of the block b whose places contain it.
      std::uint32_t b = 0;
      std::uint64_t base = 0, drawn = blocks > 0 ? cells[s] : 0;
      for (std::uint64_t i = lane;; i += kFillGroup) {
        while (b < blocks && i >= base + drawn) {
          base += drawn;
          if (++b < blocks) drawn = cells[std::uint64_t{b} * p.draw.n_pre + s];
        }
        if (b >= blocks) break;
        const physics::SynapseDrawParams q = physics::block_draw_params(p.draw, b);
        const physics::TargetBlock tb = physics::target_block(p.draw.n_post, b);
        const std::uint64_t key = physics::synapse_key(source, i - base);
        const physics::Random4 first = physics::synapse_first_block(q, key);
        const std::uint32_t target = physics::draw_block_target(q, source, key, tb.lo, tb.size, first);
        const physics::SynapseValues v = physics::draw_synapse_values(q, key, first);
        out[at + i] =
            layout.pack(static_cast<std::uint32_t>(p.post_first + target - p.local_first), v.delay_steps, v.weight);
      }
    }
  }
};

// A partial window: one thread per source draws the targets of the blocks
// that meet the window and writes those in it one after another.
struct FillFixedTotalNumberWindow {
  DeviceProjection p;
  micro::SynapseLayout layout;
  std::uint32_t block_lo, blocks;
  const std::uint32_t* cells;
  const std::uint64_t* cursor;
  micro::PackedSynapse* out;

  MM_HD void operator()(const ThreadIndex& t) const {
    for (std::uint64_t s = t.global(); s < p.draw.n_pre; s += t.grid_threads()) {
      const auto source = static_cast<std::uint32_t>(s);
      std::uint64_t at = cursor[p.pre_first + s];
      for (std::uint32_t k = 0; k < blocks; ++k) {
        const std::uint32_t b = block_lo + k, drawn = cells[std::uint64_t{k} * p.draw.n_pre + s];
        const physics::SynapseDrawParams q = physics::block_draw_params(p.draw, b);
        const physics::TargetBlock tb = physics::target_block(p.draw.n_post, b);
        for (std::uint32_t j = 0; j < drawn; ++j) {
          const std::uint64_t key = physics::synapse_key(source, j);
          const physics::Random4 first = physics::synapse_first_block(q, key);
          const std::uint32_t target = physics::draw_block_target(q, source, key, tb.lo, tb.size, first);
          if (!in_window(p, target)) continue;
          const physics::SynapseValues v = physics::draw_synapse_values(q, key, first);
          out[at++] = layout.pack(static_cast<std::uint32_t>(p.post_first + target - p.local_first), v.delay_steps,
                                  v.weight);
        }
      }
    }
  }
};

// One thread per source: the geometric walk is sequential (as in the count
// pass); k numbers every synapse of the source, kept or not.
struct FillPairwiseBernoulli {
  DeviceProjection p;
  micro::SynapseLayout layout;
  const std::uint32_t* count;
  const std::uint64_t* cursor;
  micro::PackedSynapse* out;

  MM_HD void operator()(const ThreadIndex& t) const {
    for (std::uint64_t s = t.global(); s < p.draw.n_pre; s += t.grid_threads()) {
      const auto source = static_cast<std::uint32_t>(s);
      physics::BernoulliWalk walk{&p.draw, p.log1m_probability, source, p.draw.n_post};
      std::uint64_t at = cursor[p.pre_first + s];
      std::uint32_t k = 0;
      for (std::uint64_t target; (target = physics::bernoulli_next(walk, p.probability)) < p.window_hi; ++k)
        if (target >= p.window_lo) out[at++] = make_synapse(p, layout, target, physics::synapse_key(source, k));
    }
  }
};

// Drawn from the target: each synapse takes the next place of its source's
// sub-segment with an atomic cursor (which so moves past it by itself).
struct FillFixedIndegree {
  DeviceProjection p;
  micro::SynapseLayout layout;
  std::uint64_t* cursor;
  micro::PackedSynapse* out;

  MM_HD void operator()(const ThreadIndex& t) const {
    const std::uint64_t items = count_items(p);
    for (std::uint64_t i = t.global(); i < items; i += t.grid_threads()) {
      if (!p.allow_multapses) {
        const auto target = static_cast<std::uint32_t>(p.window_lo + i);
        physics::for_each_partner(p.draw, target, p.draw.n_pre, p.indegree, false, p.draw.n_pre,
                                  [&](std::uint32_t source, std::uint32_t k) {
                                    out[atomic_add(cursor + p.pre_first + source, std::uint64_t{1})] =
                                        make_synapse(p, layout, target, physics::synapse_key(target, k));
                                  });
        continue;
      }
      const IndegreePair pair = indegree_pair(p, i);
      const physics::Random4 first = physics::synapse_first_block(p.draw, pair.key);
      const std::uint32_t source = physics::draw_partner(p.draw, pair.target, pair.key, p.draw.n_pre, first);
      out[atomic_add(cursor + p.pre_first + source, std::uint64_t{1})] =
          make_synapse(p, layout, pair.target, pair.key, first);
    }
  }
};

// one_to_one and fixed_outdegree draw from the source, one thread per
// source: the synapses kept (in the window) of source s.
struct CountFromSource {
  DeviceProjection p;
  std::uint32_t* count;

  MM_HD void operator()(const ThreadIndex& t) const {
    for (std::uint64_t s = t.global(); s < p.draw.n_pre; s += t.grid_threads()) {
      const auto source = static_cast<std::uint32_t>(s);
      if (p.rule == DeviceRule::one_to_one) {
        count[s] = in_window(p, source) ? 1u : 0u;
        continue;
      }
      std::uint32_t kept = 0;
      physics::for_each_partner(p.draw, source, p.draw.n_post, p.outdegree, p.allow_multapses, p.window_hi,
                                [&](std::uint32_t target, std::uint32_t) { kept += in_window(p, target) ? 1u : 0u; });
      count[s] = kept;
    }
  }
};

// The same walk as CountFromSource, writing the kept synapses one after
// another from the source's cursor (the CPU builder's order).
struct FillFromSource {
  DeviceProjection p;
  micro::SynapseLayout layout;
  const std::uint64_t* cursor;
  micro::PackedSynapse* out;

  MM_HD void operator()(const ThreadIndex& t) const {
    for (std::uint64_t s = t.global(); s < p.draw.n_pre; s += t.grid_threads()) {
      const auto source = static_cast<std::uint32_t>(s);
      std::uint64_t at = cursor[p.pre_first + s];
      if (p.rule == DeviceRule::one_to_one) {
        if (in_window(p, source)) out[at] = make_synapse(p, layout, source, physics::synapse_key(source, 0));
        continue;
      }
      physics::for_each_partner(p.draw, source, p.draw.n_post, p.outdegree, p.allow_multapses, p.window_hi,
                                [&](std::uint32_t target, std::uint32_t k) {
                                  if (in_window(p, target))
                                    out[at++] = make_synapse(p, layout, target, physics::synapse_key(source, k));
                                });
    }
  }
};

}  // namespace micromeso::kernels
