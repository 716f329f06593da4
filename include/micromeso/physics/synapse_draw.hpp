// Drawing one synapse of a projection: its source, target, weight and delay,
// each a pure function of (seed, projection, synapse counter) so that the
// CPU builder, any thread count and a GPU builder produce the same network.
//
// Counter layout (Philox words, see random.hpp): stream = connectivity |
// projection; index = kIndexPair / kIndexValues; counter = synapse key * 64 +
// block, where the synapse key is the synapse number (fixed_total_number), or
// target * indegree + j (fixed_indegree), or target << 26 | k for the k-th
// synapse of a target (pairwise_bernoulli). Blocks 1..15 redraw a refused
// pair (autapse), 16..39 redraw weights, 40..63 delays.
#pragma once

#include <cmath>
#include <cstdint>

#include "micromeso/physics/fixed_point.hpp"
#include "micromeso/physics/host_device.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::physics {

inline constexpr std::uint32_t kIndexPair = 0;
inline constexpr std::uint32_t kIndexValues = 1;
inline constexpr std::uint32_t kIndexBernoulliSkip = 2;
inline constexpr std::uint64_t kBlocksPerSynapse = 64;
inline constexpr std::uint32_t kFirstPairRedrawBlock = 1, kLastPairRedrawBlock = 15;
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
};

MM_HD Random4 synapse_block(const SynapseDrawParams& p, std::uint32_t index, std::uint64_t key,
                            std::uint32_t block) {
  return philox4x32_10(p.seed, p.stream, index, key * kBlocksPerSynapse + block);
}

MM_HD bool weight_sign_ok(const SynapseDrawParams& p, double w) {
  return p.weight_excitatory ? w >= 0.0 : w <= 0.0;
}

// Normal weight with the receptor's sign kept: redrawn (up to 96 times) or
// clipped to 0. Returns the weight in fixed-point units.
MM_HD WeightFixed draw_weight(const SynapseDrawParams& p, std::uint64_t key, double z_first) {
  double w = p.weight_mean_pA + p.weight_sd_pA * z_first;
  if (!weight_sign_ok(p, w)) {
    if (p.weight_clip) {
      w = 0.0;
    } else {
      for (std::uint32_t b = kFirstWeightBlock; b <= kLastWeightBlock && !weight_sign_ok(p, w); ++b) {
        const Random4 r = synapse_block(p, kIndexValues, key, b);
        const NormalPair z01 = box_muller(r.v[0], r.v[1]);
        const NormalPair z23 = box_muller(r.v[2], r.v[3]);
        const double tries[4] = {z01.z0, z01.z1, z23.z0, z23.z1};
        for (int t = 0; t < 4; ++t) {
          w = p.weight_mean_pA + p.weight_sd_pA * tries[t];
          if (weight_sign_ok(p, w)) break;
        }
      }
      if (!weight_sign_ok(p, w)) w = 0.0;  // 96 refusals in a row: probability < 2^-96 for |mean| >= 0
    }
  }
  return pA_to_fixed(w);
}

MM_HD std::uint32_t delay_steps_of(const SynapseDrawParams& p, double d_ms) {
  return static_cast<std::uint32_t>(floor(d_ms / p.dt_ms + 0.5));
}

MM_HD bool delay_ok(const SynapseDrawParams& p, double d_ms) {
  // NEST's microcircuit redraws delays below dt/2 (they would round to 0).
  return d_ms >= 0.5 * p.dt_ms && delay_steps_of(p, d_ms) <= p.max_delay_steps;
}

// Normal delay, redrawn below dt/2 (and above the tail bound), rounded to the
// grid; at least one step.
MM_HD std::uint16_t draw_delay(const SynapseDrawParams& p, std::uint64_t key, double z_first) {
  double d = p.delay_mean_ms + p.delay_sd_ms * z_first;
  for (std::uint32_t b = kFirstDelayBlock; b <= kLastDelayBlock && !delay_ok(p, d); ++b) {
    const Random4 r = synapse_block(p, kIndexValues, key, b);
    const NormalPair z01 = box_muller(r.v[0], r.v[1]);
    const NormalPair z23 = box_muller(r.v[2], r.v[3]);
    const double tries[4] = {z01.z0, z01.z1, z23.z0, z23.z1};
    for (int t = 0; t < 4; ++t) {
      d = p.delay_mean_ms + p.delay_sd_ms * tries[t];
      if (delay_ok(p, d)) break;
    }
  }
  if (!delay_ok(p, d)) d = p.delay_mean_ms;
  std::uint32_t steps = delay_steps_of(p, d);
  if (steps < 1) steps = 1;
  return static_cast<std::uint16_t>(steps);
}

struct SynapseValues {
  WeightFixed weight;
  std::uint16_t delay_steps;
};

MM_HD SynapseValues draw_synapse_values(const SynapseDrawParams& p, std::uint64_t key) {
  const Random4 r = synapse_block(p, kIndexValues, key, 0);
  const NormalPair z = box_muller(r.v[0], r.v[1]);
  return SynapseValues{draw_weight(p, key, z.z0), draw_delay(p, key, z.z1)};
}

struct PrePost {
  std::uint32_t pre, post;  // local indices within the populations
};

// fixed_total_number: a uniformly drawn (source, target) pair; autapses,
// when refused, are redrawn.
MM_HD PrePost draw_total_number_pair(const SynapseDrawParams& p, std::uint64_t synapse) {
  PrePost pp{0, 0};
  for (std::uint32_t b = 0; b <= kLastPairRedrawBlock; ++b) {
    const Random4 r = synapse_block(p, kIndexPair, synapse, b);
    for (int t = 0; t < 4; t += 2) {
      pp.pre = uniform_below(r.v[t], p.n_pre);
      pp.post = uniform_below(r.v[t + 1], p.n_post);
      if (p.allow_autapses || !p.same_population || pp.pre != pp.post) return pp;
    }
  }
  return pp;  // unreachable in practice: 32 autapses in a row need n = 1, refused by validation
}

// fixed_indegree: the j-th source of `target`, uniform over the source
// population (multapses allowed), autapses redrawn when refused.
MM_HD std::uint32_t draw_indegree_source(const SynapseDrawParams& p, std::uint32_t target,
                                         std::uint64_t key) {
  std::uint32_t pre = 0;
  for (std::uint32_t b = 0; b <= kLastPairRedrawBlock; ++b) {
    const Random4 r = synapse_block(p, kIndexPair, key, b);
    for (int t = 0; t < 4; ++t) {
      pre = uniform_below(r.v[t], p.n_pre);
      if (p.allow_autapses || !p.same_population || pre != target) return pre;
    }
  }
  return pre;
}

// pairwise_bernoulli: sources of one target are found by geometric skipping
// (the gap between successive successes of Bernoulli(p) trials is geometric),
// so the cost grows with the synapse count, not with n_pre.
struct BernoulliWalk {
  const SynapseDrawParams* p;
  double log1m_prob;  // log(1 - probability)
  std::uint32_t target;
  std::uint64_t next_candidate = 0;  // next source index to consider
  std::uint64_t draws = 0;
};

// Next accepted source of the walk, or n_pre when exhausted.
MM_HD std::uint64_t bernoulli_next_source(BernoulliWalk& w, double probability) {
  const SynapseDrawParams& p = *w.p;
  while (w.next_candidate < p.n_pre) {
    std::uint64_t candidate = w.next_candidate;
    if (probability < 1.0) {
      const std::uint64_t key = (static_cast<std::uint64_t>(w.target) << 26) + w.draws / 4;
      const Random4 r = philox4x32_10(p.seed, p.stream, kIndexBernoulliSkip, key);
      const double u = uniform_open(r.v[w.draws % 4]);
      ++w.draws;
      const double skip = floor(log(u) / w.log1m_prob);
      if (skip >= static_cast<double>(p.n_pre - candidate)) {
        w.next_candidate = p.n_pre;
        return p.n_pre;
      }
      candidate += static_cast<std::uint64_t>(skip);
    }
    w.next_candidate = candidate + 1;
    if (p.allow_autapses || !p.same_population || candidate != w.target) return candidate;
  }
  return p.n_pre;
}

}  // namespace micromeso::physics
