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
// ids (gid - local_first). Every draw is the single process's; a
// fixed_total_number projection with a partial window counts its kept
// synapses per source in a second pass (CountKeptFixedTotalNumber) and fills
// each source sequentially (FillFixedTotalNumberWindow).
#pragma once

#include <cstdint>

#include "kernels/atomics.hpp"
#include "kernels/grid_index.hpp"
#include "kernels/synapse_layout.hpp"
#include "micromeso/physics/subset_draw.hpp"
#include "micromeso/physics/synapse_draw.hpp"

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
    case DeviceRule::fixed_total_number: return (p.n_synapses + 3) / 4;  // four pairs per Philox block
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

// fixed_total_number: the sources of the K pairs, four per Philox block.
struct CountFixedTotalNumber {
  DeviceProjection p;
  std::uint32_t* count;  // per source of the projection

  MM_HD void operator()(const ThreadIndex& t) const {
    const std::uint64_t blocks = (p.n_synapses + 3) / 4;
    for (std::uint64_t b = t.global(); b < blocks; b += t.grid_threads()) {
      const physics::PairSources s = physics::draw_pair_sources(p.draw, b);
      const std::uint64_t left = p.n_synapses - 4 * b;
      const int valid = left < 4 ? static_cast<int>(left) : 4;
      for (int i = 0; i < valid; ++i) atomic_add(count + s.source[i], 1u);
    }
  }
};

// A partial window: each source's synapses onto the window, out of the
// `drawn` ones CountFixedTotalNumber counted.
struct CountKeptFixedTotalNumber {
  DeviceProjection p;
  const std::uint32_t* drawn;
  std::uint32_t* count;

  MM_HD void operator()(const ThreadIndex& t) const {
    for (std::uint64_t s = t.global(); s < p.draw.n_pre; s += t.grid_threads()) {
      const auto source = static_cast<std::uint32_t>(s);
      std::uint32_t kept = 0;
      for (std::uint32_t j = 0; j < drawn[s]; ++j)
        kept += in_window(p, physics::draw_partner(p.draw, source, physics::synapse_key(source, j), p.draw.n_post));
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

// A group of kFillGroup threads per source draws its targets side by side
// (synapse j by lane j mod kFillGroup). Threads beyond the last whole group
// of the grid idle: a partial group would leave synapses unwritten.
struct FillFixedTotalNumber {
  static constexpr std::uint32_t kFillGroup = 32;
  DeviceProjection p;
  micro::SynapseLayout layout;
  const std::uint32_t* count;
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
      for (std::uint32_t j = lane; j < count[s]; j += kFillGroup) {
        const std::uint64_t key = physics::synapse_key(source, j);
        const physics::Random4 first = physics::synapse_first_block(p.draw, key);
        out[at + j] =
            make_synapse(p, layout, physics::draw_partner(p.draw, source, key, p.draw.n_post, first), key, first);
      }
    }
  }
};

// A partial window: one thread per source draws every target of the source
// and writes those in the window one after another.
struct FillFixedTotalNumberWindow {
  DeviceProjection p;
  micro::SynapseLayout layout;
  const std::uint32_t* drawn;
  const std::uint64_t* cursor;
  micro::PackedSynapse* out;

  MM_HD void operator()(const ThreadIndex& t) const {
    for (std::uint64_t s = t.global(); s < p.draw.n_pre; s += t.grid_threads()) {
      const auto source = static_cast<std::uint32_t>(s);
      std::uint64_t at = cursor[p.pre_first + s];
      for (std::uint32_t j = 0; j < drawn[s]; ++j) {
        const std::uint64_t key = physics::synapse_key(source, j);
        const physics::Random4 first = physics::synapse_first_block(p.draw, key);
        const std::uint32_t target = physics::draw_partner(p.draw, source, key, p.draw.n_post, first);
        if (in_window(p, target)) out[at++] = make_synapse(p, layout, target, key, first);
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
