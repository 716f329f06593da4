// Drawing the synapses of a projection, each value a pure function of (seed,
// projection, counter) so that the CPU builder with any thread count and a
// GPU builder produce the same network.
//
// How each rule is generated (all give the rule's exact distribution):
// - fixed_total_number (K pairs drawn uniformly, multapses allowed, as
//   Potjans & Diesmann): the sources of the K pairs are drawn first, which
//   gives each source's out-degree (a multinomial sample); then each source
//   draws its targets uniformly. Conditioned on the out-degrees the targets of
//   K i.i.d. pairs are i.i.d. uniform, so the joint law is unchanged, and the
//   synapses can be written source by source.
// - pairwise_bernoulli: each source walks over the targets with geometric
//   skips (the gap between successes of Bernoulli(p) trials is geometric).
// - fixed_indegree: each target draws its K sources uniformly.
//
// Counter layout (Philox words, see random.hpp): stream = connectivity |
// projection; key = the seed. index kIndexPair (partner draws) and
// kIndexValues (weight, delay): counter = synapse key * 64 + block, where the
// synapse key is (anchor << 26) | k for the k-th synapse of an anchor neuron
// (the source; the target for fixed_indegree). Blocks 1..15 redraw a refused
// autapse, 16..39 redraw weights, 40..63 delays. index kIndexSources: counter
// = pair / 4 (fixed_total_number sources). index kIndexSkip: counter =
// synapse_key(anchor, draw / 4) (pairwise_bernoulli gaps).
#pragma once

#include <cmath>
#include <cstdint>

#include "micromeso/physics/fixed_point.hpp"
#include "micromeso/physics/host_device.hpp"
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
};

MM_HD std::uint64_t synapse_key(std::uint32_t anchor, std::uint64_t k) {
  return (static_cast<std::uint64_t>(anchor) << kAnchorShift) | k;
}

MM_HD Random4 synapse_block(const SynapseDrawParams& p, std::uint32_t index, std::uint64_t key,
                            std::uint32_t block) {
  return philox4x32_10(p.seed, p.stream, index, key * kBlocksPerSynapse + block);
}

MM_HD bool weight_sign_ok(const SynapseDrawParams& p, double w) {
  return p.weight_excitatory ? w >= 0.0 : w <= 0.0;
}

MM_HD std::uint32_t delay_steps_of(const SynapseDrawParams& p, double d_ms) {
  return static_cast<std::uint32_t>(floor(d_ms / p.dt_ms + 0.5));
}

MM_HD bool delay_ok(const SynapseDrawParams& p, double d_ms) {
  // NEST's microcircuit redraws delays below dt/2 (they would round to 0).
  return d_ms >= 0.5 * p.dt_ms && delay_steps_of(p, d_ms) <= p.max_delay_steps;
}

// Normals come from the double-precision Box-Muller transform: the CPU
// (glibc) and the GPU (CUDA's libdevice) may round log/cos/sin differently in
// the last place, and a float ulp (1e-7 relative) would move a weight across a
// fixed-point rounding boundary for about 1 synapse in 100; a double ulp
// (1e-16) makes such a flip, and so a different network on the two
// backends, negligible (about 1e-11 per synapse).
//
// Up to 96 further normals for a redraw, 4 per block.
template <typename Accept>
MM_HD double redraw_normal(const SynapseDrawParams& p, std::uint64_t key, std::uint32_t first_block,
                           std::uint32_t last_block, double mean, double sd, double value, Accept accept) {
  for (std::uint32_t b = first_block; b <= last_block && !accept(value); ++b) {
    const Random4 r = synapse_block(p, kIndexValues, key, b);
    const NormalPair z01 = box_muller(r.v[0], r.v[1]), z23 = box_muller(r.v[2], r.v[3]);
    const double tries[4] = {z01.z0, z01.z1, z23.z0, z23.z1};
    for (int t = 0; t < 4; ++t) {
      value = mean + sd * tries[t];
      if (accept(value)) break;
    }
  }
  return value;
}

// Normal weight with the receptor's sign kept: redrawn or clipped to 0.
MM_HD WeightFixed draw_weight(const SynapseDrawParams& p, std::uint64_t key, double z_first) {
  double w = p.weight_mean_pA + p.weight_sd_pA * z_first;
  if (!weight_sign_ok(p, w)) {
    if (p.weight_clip) {
      w = 0.0;
    } else {
      w = redraw_normal(p, key, kFirstWeightBlock, kLastWeightBlock, p.weight_mean_pA, p.weight_sd_pA, w,
                        [&](double x) { return weight_sign_ok(p, x); });
      if (!weight_sign_ok(p, w)) w = 0.0;  // 97 refusals in a row: probability < 2^-97 for |mean| >= 0
    }
  }
  return pA_to_fixed(w);
}

// Normal delay, redrawn below dt/2 (and above the tail bound), rounded to the
// grid; at least one step.
MM_HD std::uint16_t draw_delay(const SynapseDrawParams& p, std::uint64_t key, double z_first) {
  double d = p.delay_mean_ms + p.delay_sd_ms * z_first;
  d = redraw_normal(p, key, kFirstDelayBlock, kLastDelayBlock, p.delay_mean_ms, p.delay_sd_ms, d,
                    [&](double x) { return delay_ok(p, x); });
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

// fixed_total_number, first stage: the sources of pairs 4b .. 4b+3 (uniform),
// one Philox block for four pairs.
struct PairSources {
  std::uint32_t source[4];
};
MM_HD PairSources draw_pair_sources(const SynapseDrawParams& p, std::uint64_t block) {
  const Random4 r = philox4x32_10(p.seed, p.stream, kIndexSources, block);
  return PairSources{{uniform_below(r.v[0], p.n_pre), uniform_below(r.v[1], p.n_pre),
                      uniform_below(r.v[2], p.n_pre), uniform_below(r.v[3], p.n_pre)}};
}

// A uniform partner of `anchor` in a population of n, redrawn when it would
// make a refused autapse. fixed_total_number: the k-th target of a source;
// fixed_indegree: the k-th source of a target.
MM_HD std::uint32_t draw_partner(const SynapseDrawParams& p, std::uint32_t anchor, std::uint64_t key,
                                 std::uint32_t n) {
  std::uint32_t partner = 0;
  for (std::uint32_t b = 0; b <= kLastPairRedrawBlock; ++b) {
    const Random4 r = synapse_block(p, kIndexPair, key, b);
    for (int t = 0; t < 4; ++t) {
      partner = uniform_below(r.v[t], n);
      if (p.allow_autapses || !p.same_population || partner != anchor) return partner;
    }
  }
  return partner;  // 64 autapses in a row: validation refuses populations this small
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
