// fixed_total_number (K pairs drawn uniformly with replacement, as NEST and
// Potjans & Diesmann) drawn per block of targets, so that an MPI rank draws
// only the pairs onto its own neurons, and one process draws the same network
// with the same per-synapse Philox blocks as before.
//
// The target population is cut into fixed blocks of kTotalNumberBlockTargets
// targets (the last one shorter), independent of the ranks. K is split over
// the blocks by a binary tree of exact binomials (binomial_bits.hpp): a node
// over blocks [a, c) with k pairs sends Binomial(k, targets(a, m) /
// targets(a, c)) of them to [a, m), m = (a + c) / 2. This is the multinomial
// split of K i.i.d. uniform pairs by their target's block (a multinomial
// conditioned on a group total splits the group's count binomially), and a
// rank walks only the nodes over its own blocks. Without autapses in one
// population, each target still has n_pre - 1 allowed sources, so a block's
// probability stays proportional to its targets.
//
// Inside block b with K_b pairs, main's two stages: the sources of the K_b
// pairs (four per Philox block), which give each source's count in the block;
// then each source draws its targets uniformly in the block from its
// synapses' first blocks, which also hold weight and delay (synapse_draw.hpp).
// Conditioned on the counts the targets of i.i.d. uniform pairs are i.i.d.
// uniform in the block, so the law is that of K uniform pairs. Without
// autapses in one population, a source inside the block has one allowed
// target fewer: the pair (source, target) is redrawn as a whole when it would
// be an autapse, so sources are drawn in proportion to their allowed targets.
//
// Counters: block b's draws carry index_tag (b + 1) << 4 (synapse_draw.hpp);
// index kIndexSources | tag: counter = pair / 4 (block-local pair number);
// kIndexSourceRedraw | tag: counter = pair * 16 + try; the tree: index
// kIndexSplit, counter = (heap node << 40) + block of fair bits (root 1,
// children 2i and 2i + 1).
#pragma once

#include <cstdint>

#include "micromeso/physics/binomial_bits.hpp"
#include "micromeso/physics/host_device.hpp"
#include "micromeso/physics/random.hpp"
#include "micromeso/physics/synapse_draw.hpp"

namespace micromeso::physics {

inline constexpr std::uint32_t kTotalNumberBlockTargets = 1024;
inline constexpr std::uint32_t kIndexSplit = 4;
inline constexpr std::uint32_t kIndexSourceRedraw = 5;
inline constexpr int kSplitNodeShift = 40;

MM_HD std::uint32_t total_number_blocks(std::uint32_t n_post) {
  return (n_post + kTotalNumberBlockTargets - 1) / kTotalNumberBlockTargets;
}
// First target of block b (b = the block count gives n_post).
MM_HD std::uint32_t block_first_target(std::uint32_t n_post, std::uint32_t b) {
  const std::uint64_t t = std::uint64_t{b} * kTotalNumberBlockTargets;
  return t < n_post ? static_cast<std::uint32_t>(t) : n_post;
}

// The draw parameters of block b: its synapses' blocks carry the block's tag.
MM_HD SynapseDrawParams block_draw_params(const SynapseDrawParams& p, std::uint32_t b) {
  SynapseDrawParams q = p;
  q.index_tag = (b + 1u) << 4;
  return q;
}

MM_HD bool autapse_refused(const SynapseDrawParams& p) { return p.same_population && !p.allow_autapses; }

// The source of block-local pair `pair` (first word: `word`), block targets
// [lo, lo + size); `q` = block_draw_params.
MM_HD std::uint32_t draw_block_source(const SynapseDrawParams& q, std::uint32_t lo, std::uint32_t size,
                                      std::uint64_t pair, std::uint32_t word) {
  std::uint32_t s = uniform_below(word, q.n_pre);
  for (std::uint64_t attempt = 0; attempt < 16; ++attempt) {
    if (!autapse_refused(q) || s < lo || s - lo >= size) return s;
    const Random4 r = philox4x32_10(q.seed, q.stream, kIndexSourceRedraw | q.index_tag, pair * 16 + attempt);
    if (lo + uniform_below(r.v[0], size) != s) return s;  // the pair's target: not an autapse, kept
    s = uniform_below(r.v[1], q.n_pre);
  }
  return s;  // 16 autapses in a row: probability below n_pre^-16
}

// The Philox block of pairs 4i .. 4i + 3: index block_sources_index(q),
// counter i (consecutive quadruples, consecutive counters: a CPU builder
// draws a run of them at once, src/micro/cpu/philox_batch.hpp).
MM_HD std::uint32_t block_sources_index(const SynapseDrawParams& q) { return kIndexSources | q.index_tag; }

// The sources of block-local pairs 4i .. 4i + 3 from their block `r`.
MM_HD PairSources draw_block_sources(const SynapseDrawParams& q, std::uint32_t lo, std::uint32_t size,
                                     std::uint64_t i, const Random4& r) {
  PairSources out{};
  for (int t = 0; t < 4; ++t) out.source[t] = draw_block_source(q, lo, size, 4 * i + t, r.v[t]);
  return out;
}
MM_HD PairSources draw_block_sources(const SynapseDrawParams& q, std::uint32_t lo, std::uint32_t size,
                                     std::uint64_t i) {
  return draw_block_sources(q, lo, size, i, philox4x32_10(q.seed, q.stream, block_sources_index(q), i));
}

// The target (in the population) of source s's synapse `key` in the block,
// uniform over the block's allowed targets; `first` = synapse_first_block(q, key).
MM_HD std::uint32_t draw_block_target(const SynapseDrawParams& q, std::uint32_t s, std::uint64_t key,
                                      std::uint32_t lo, std::uint32_t size, const Random4& first) {
  // draw_partner refuses partner == anchor: s in block coordinates (wraps
  // to beyond the block for a source below it).
  return lo + draw_partner(q, s - lo, key, size, first);
}

// Target block b of a population of n_post: its first target and size.
struct TargetBlock {
  std::uint32_t lo, size;
};
MM_HD TargetBlock target_block(std::uint32_t n_post, std::uint32_t b) {
  const std::uint32_t lo = block_first_target(n_post, b);
  return TargetBlock{lo, block_first_target(n_post, b + 1) - lo};
}

// Source s's synapses of block b (`drawn` of them) whose targets fall in
// [win_lo, win_hi): all when the block lies inside, else each target drawn.
MM_HD std::uint32_t kept_block_synapses(const SynapseDrawParams& p, std::uint32_t b, std::uint32_t s,
                                        std::uint32_t drawn, std::uint32_t win_lo, std::uint32_t win_hi) {
  const TargetBlock tb = target_block(p.n_post, b);
  if (tb.lo >= win_lo && tb.lo + tb.size <= win_hi) return drawn;
  const SynapseDrawParams q = block_draw_params(p, b);
  std::uint32_t kept = 0;
  for (std::uint32_t j = 0; j < drawn; ++j) {
    const std::uint64_t key = synapse_key(s, j);
    const std::uint32_t t = draw_block_target(q, s, key, tb.lo, tb.size, synapse_first_block(q, key));
    kept += t >= win_lo && t < win_hi ? 1u : 0u;
  }
  return kept;
}

// Pairs of each block in [want_lo, want_hi): counts[b - want_lo]. Walks only
// the tree nodes over those blocks, so a rank pays for its own blocks (plus
// the fair bits of the nodes above them).
inline void split_total_number(const SynapseDrawParams& p, std::uint64_t total, std::uint32_t want_lo,
                               std::uint32_t want_hi, std::uint64_t* counts) {
  struct Node {
    std::uint64_t id, pairs;
    std::uint32_t a, c;
  };
  const std::uint32_t nb = total_number_blocks(p.n_post);
  if (want_lo >= want_hi || nb == 0) return;
  Node stack[64];
  int top = 0;
  stack[top++] = Node{1, total, 0, nb};
  while (top > 0) {
    const Node n = stack[--top];
    if (n.c <= want_lo || n.a >= want_hi) continue;
    if (n.c - n.a == 1) {
      counts[n.a - want_lo] = n.pairs;
      continue;
    }
    const std::uint32_t m = n.a + (n.c - n.a) / 2;
    const std::uint64_t lo = block_first_target(p.n_post, n.a);
    FairBits bits{p.seed, p.stream, kIndexSplit, n.id << kSplitNodeShift};
    const std::uint64_t left = binomial_bits(n.pairs, block_first_target(p.n_post, m) - lo,
                                             block_first_target(p.n_post, n.c) - lo, bits);
    stack[top++] = Node{2 * n.id + 1, n.pairs - left, m, n.c};
    stack[top++] = Node{2 * n.id, left, n.a, m};
  }
}

}  // namespace micromeso::physics
