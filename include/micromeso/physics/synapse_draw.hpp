// Drawing the synapses of a projection, each value a pure function of (seed,
// projection, counter) so that the CPU builder with any thread count and a
// GPU builder produce the same network.
//
// How each rule is generated (all give the rule's exact distribution):
// - fixed_total_number (K pairs drawn uniformly, multapses allowed, as
//   Potjans & Diesmann): K is split over fixed blocks of targets by exact
//   binomials; in each block the sources of its pairs are drawn first, which
//   gives each source's count there (a multinomial sample); then each source
//   draws its targets uniformly in the block. Conditioned on the counts the
//   targets of i.i.d. pairs are i.i.d. uniform, so the joint law is
//   unchanged, the synapses can be written source by source, and an MPI rank
//   draws only its blocks (total_number_blocks.hpp).
// - pairwise_bernoulli: each source walks over the targets with geometric
//   skips (the gap between successes of Bernoulli(p) trials is geometric).
// - fixed_indegree: each target draws its K sources uniformly.
//
// Counter layout (Philox words, see random.hpp): stream = connectivity |
// projection; key = the seed. index kIndexPair (first blocks, partner
// redraws) and kIndexValues (weight and delay redraws): counter = synapse key
// * 64 + block, where the synapse key is (anchor << 26) | k for the k-th
// synapse of an anchor neuron (the source; the target for fixed_indegree).
// A synapse's first block (kIndexPair, block 0) holds all it usually needs:
// word 0 its partner, word 1 the magnitude of its weight's normal, word 2 the
// magnitude of its delay's normal, word 3 their layers and signs (bits 0-8,
// 9-17; normal_ziggurat.hpp). Blocks 1..15 of kIndexPair redraw a refused
// autapse; blocks 16..39 of kIndexValues give the weight's further words
// (ziggurat wedges and tail, sign redraws), 40..63 the delay's; a
// fixed_total_number synapse's blocks carry its target block in the index
// (index_tag). index kIndexSources: counter = pair / 4 (fixed_total_number
// sources, total_number_blocks.hpp). index
// kIndexSkip: counter = synapse_key(anchor, draw / 4) (pairwise_bernoulli
// gaps).
#pragma once

#include <cmath>
#include <cstdint>

#include "micromeso/physics/fixed_point.hpp"
#include "micromeso/physics/host_device.hpp"
#include "micromeso/physics/normal_ziggurat.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::physics {

inline constexpr std::uint32_t kIndexPair = 0;
inline constexpr std::uint32_t kIndexValues = 1;
inline constexpr std::uint32_t kIndexSkip = 2;
inline constexpr std::uint32_t kIndexSources = 3;  // fixed_total_number: source of pair i
inline constexpr std::uint64_t kBlocksPerSynapse = 64;
inline constexpr int kAnchorShift = 26;  // at most 2^26 synapses per neuron and projection
inline constexpr std::uint32_t kLastPairRedrawBlock = 15;
inline constexpr std::uint32_t kFirstWeightBlock = 16, kLastWeightBlock = 39;
inline constexpr std::uint32_t kFirstDelayBlock = 40, kLastDelayBlock = 63;
// Delays are drawn below mean + kDelayTailSd sd; the ring buffer is sized for
// that (a normal beyond 8 sd has probability 1e-15).
inline constexpr double kDelayTailSd = 8.0;

struct SynapseDrawParams {
  std::uint64_t seed;
  std::uint32_t stream;  // kStreamConnectivity | projection
  std::uint32_t n_pre, n_post;
  bool same_population;  // source == target population
  bool allow_autapses;
  double weight_mean_pA, weight_sd_pA;
  bool weight_excitatory;  // receptor: weights >= 0, else <= 0
  bool weight_clip;        // SignPolicy::clip instead of redraw
  double delay_mean_ms, delay_sd_ms, dt_ms;
  std::uint32_t max_delay_steps;
  // OR'd into the index word of every synapse block: fixed_total_number
  // numbers its target blocks here (total_number_blocks.hpp); 0 otherwise.
  std::uint32_t index_tag = 0;
};

MM_HD std::uint64_t synapse_key(std::uint32_t anchor, std::uint64_t k) {
  return (static_cast<std::uint64_t>(anchor) << kAnchorShift) | k;
}

MM_HD Random4 synapse_block(const SynapseDrawParams& p, std::uint32_t index, std::uint64_t key,
                            std::uint32_t block) {
  return philox4x32_10(p.seed, p.stream, index | p.index_tag, key * kBlocksPerSynapse + block);
}

MM_HD bool weight_sign_ok(const SynapseDrawParams& p, double w) {
  return p.weight_excitatory ? w >= 0.0 : w <= 0.0;
}

MM_HD std::uint32_t delay_steps_of(const SynapseDrawParams& p, double d_ms) {
  return static_cast<std::uint32_t>(floor(d_ms / p.dt_ms + 0.5));
}

// A synapse's first block (see the top): partner, weight and delay. Its
// index and counter: the first blocks of consecutive keys lie on one index,
// kBlocksPerSynapse counters apart, so that a CPU builder can draw a run of
// them at once (src/micro/cpu/philox_batch.hpp).
MM_HD std::uint32_t first_block_index(const SynapseDrawParams& p) { return kIndexPair | p.index_tag; }
MM_HD std::uint64_t first_block_counter(std::uint64_t key) { return key * kBlocksPerSynapse; }
MM_HD Random4 synapse_first_block(const SynapseDrawParams& p, std::uint64_t key) {
  return philox4x32_10(p.seed, p.stream, first_block_index(p), first_block_counter(key));
}

// The further words of one value of a synapse: blocks first..last of
// kIndexValues, four words each, in order; false once they run out.
struct SynapseWords {
  const SynapseDrawParams* p;
  std::uint64_t key;
  std::uint32_t block, last_block;
  Random4 r{};
  int used = 4;

  MM_HD bool operator()(std::uint32_t& word) {
    if (used == 4) {
      if (block > last_block) return false;
      r = synapse_block(*p, kIndexValues, key, block++);
      used = 0;
    }
    word = r.v[used++];
    return true;
  }
};

// mean + sd z for a normal z drawn from (magnitude, bits), redrawn from
// further words until `accept`; false if the words run out (probability
// below 1e-100 for the acceptance rates validation allows).
template <typename Accept>
MM_HD bool draw_normal_value(SynapseWords& more, std::uint32_t magnitude, std::uint32_t bits, double mean,
                             double sd, Accept accept, double& value) {
  for (;;) {
    double z = 0.0;
    if (!normal_ziggurat(magnitude, bits, more, z)) return false;
    value = mean + sd * z;
    if (accept(value)) return true;
    if (!more(magnitude) || !more(bits)) return false;
  }
}

// Normal weight with the receptor's sign kept: redrawn or clipped to 0.
MM_HD WeightFixed draw_weight(const SynapseDrawParams& p, std::uint64_t key, std::uint32_t magnitude,
                              std::uint32_t bits) {
  SynapseWords more{&p, key, kFirstWeightBlock, kLastWeightBlock};
  double w = 0.0;
  const bool drawn = draw_normal_value(more, magnitude, bits, p.weight_mean_pA, p.weight_sd_pA,
                                       [&](double x) { return p.weight_clip || weight_sign_ok(p, x); }, w);
  if (!drawn || !weight_sign_ok(p, w)) w = 0.0;  // clipped, or 96 words refused in a row
  return pA_to_fixed(w);
}

// Normal delay, redrawn below dt/2 (and above the tail bound), rounded to the
// grid; at least one step.
MM_HD std::uint16_t draw_delay(const SynapseDrawParams& p, std::uint64_t key, std::uint32_t magnitude,
                               std::uint32_t bits) {
  SynapseWords more{&p, key, kFirstDelayBlock, kLastDelayBlock};
  // Kept: d >= dt/2 (NEST's microcircuit redraws shorter delays, which would
  // round to 0) and at most max_delay_steps steps. One division: for
  // d >= dt/2, q = d/dt + 1/2 >= 1, so floor(q) <= max is q < max + 1, and
  // floor(q) is the truncation.
  double d = 0.0, q = 0.0;
  const double limit = static_cast<double>(p.max_delay_steps) + 1.0;
  const auto accept = [&](double x) {
    if (!(x >= 0.5 * p.dt_ms)) return false;
    q = x / p.dt_ms + 0.5;
    return q < limit;
  };
  if (!draw_normal_value(more, magnitude, bits, p.delay_mean_ms, p.delay_sd_ms, accept, d)) {
    const std::uint32_t steps = delay_steps_of(p, p.delay_mean_ms);
    return static_cast<std::uint16_t>(steps < 1 ? 1 : steps);
  }
  return static_cast<std::uint16_t>(q);
}

struct SynapseValues {
  WeightFixed weight;
  std::uint16_t delay_steps;
};

// Weight and delay of the synapse `key` from its first block.
MM_HD SynapseValues draw_synapse_values(const SynapseDrawParams& p, std::uint64_t key, const Random4& first) {
  return SynapseValues{draw_weight(p, key, first.v[1], first.v[3]),
                       draw_delay(p, key, first.v[2], first.v[3] >> kZigguratBits)};
}
MM_HD SynapseValues draw_synapse_values(const SynapseDrawParams& p, std::uint64_t key) {
  return draw_synapse_values(p, key, synapse_first_block(p, key));
}

// fixed_total_number: the sources of four pairs (total_number_blocks.hpp).
struct PairSources {
  std::uint32_t source[4];
};

// A uniform partner of `anchor` in a population of n (word 0 of the
// synapse's first block), redrawn when it would make a refused autapse.
// fixed_total_number: the k-th target of a source; fixed_indegree: the k-th
// source of a target. The same first block then gives the weight and delay
// (draw_synapse_values), so that one Philox call usually makes a synapse.
MM_HD std::uint32_t draw_partner(const SynapseDrawParams& p, std::uint32_t anchor, std::uint64_t key,
                                 std::uint32_t n, const Random4& first) {
  const auto refused = [&](std::uint32_t partner) {
    return !p.allow_autapses && p.same_population && partner == anchor;
  };
  std::uint32_t partner = uniform_below(first.v[0], n);
  if (!refused(partner)) return partner;
  for (std::uint32_t b = 1; b <= kLastPairRedrawBlock; ++b) {
    const Random4 r = synapse_block(p, kIndexPair, key, b);
    for (int t = 0; t < 4; ++t) {
      partner = uniform_below(r.v[t], n);
      if (!refused(partner)) return partner;
    }
  }
  return partner;  // 61 autapses in a row: probability <= 2^-61 (validation refuses a population of one)
}
MM_HD std::uint32_t draw_partner(const SynapseDrawParams& p, std::uint32_t anchor, std::uint64_t key,
                                 std::uint32_t n) {
  return draw_partner(p, anchor, key, n, synapse_first_block(p, key));
}

// pairwise_bernoulli: the partners of one anchor neuron among n candidates.
struct BernoulliWalk {
  const SynapseDrawParams* p;
  double log1m_prob;  // log(1 - probability)
  std::uint32_t anchor;
  std::uint32_t n_candidates;
  std::uint64_t next_candidate = 0;
  std::uint64_t draws = 0;
};

// Next accepted candidate of the walk, or n_candidates when exhausted.
MM_HD std::uint64_t bernoulli_next(BernoulliWalk& w, double probability) {
  const SynapseDrawParams& p = *w.p;
  while (w.next_candidate < w.n_candidates) {
    std::uint64_t candidate = w.next_candidate;
    if (probability < 1.0) {
      const Random4 r = philox4x32_10(p.seed, p.stream, kIndexSkip, synapse_key(w.anchor, w.draws / 4));
      const double u = uniform_open(r.v[w.draws % 4]);
      ++w.draws;
      const double skip = floor(log(u) / w.log1m_prob);
      if (skip >= static_cast<double>(w.n_candidates - candidate)) {
        w.next_candidate = w.n_candidates;
        return w.n_candidates;
      }
      candidate += static_cast<std::uint64_t>(skip);
    }
    w.next_candidate = candidate + 1;
    if (p.allow_autapses || !p.same_population || candidate != w.anchor) return candidate;
  }
  return w.n_candidates;
}

}  // namespace micromeso::physics
