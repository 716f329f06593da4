// Drawing a neuron's partners without replacement (no multapses): the
// fixed_outdegree targets of a source, the fixed_indegree sources of a
// target, as NEST's allow_multapses = false.
//
// Each anchor neuron chooses K of its n candidates, every K-subset equally
// likely, by Vitter's sequential sampling (Algorithm A: J. S. Vitter, "Faster
// methods for random sampling", Commun. ACM 27(7), 703-718, 1984): the number
// S of candidates skipped before the next chosen one is drawn by inverting
//   P(S >= s) = prod_{i<s} (n - K - i) / (n - i)
// (n candidates and K choices left), which is the law of the gap in a uniform
// K-subset, so the subset is uniform. No memory is needed (the GPU runs it in
// one thread per anchor), the partners come in ascending order (a rank's
// window of targets can stop the walk early), and the cost is O(n) cheap
// steps and one random number per partner.
//
// Without autapses within a population, the anchor is taken out of the
// candidates (n - 1 of them; candidates from the anchor on are shifted by one).
//
// Counter layout: index kIndexSubset, counter = synapse_key(anchor, draw / 4),
// the draw-th 32-bit word (one per chosen partner). The weight and delay of
// the k-th chosen partner use synapse_key(anchor, k) as every rule.
#pragma once

#include <cstdint>

#include "micromeso/physics/host_device.hpp"
#include "micromeso/physics/random.hpp"
#include "micromeso/physics/synapse_draw.hpp"

namespace micromeso::physics {

inline constexpr std::uint32_t kIndexSubset = 4;

struct SubsetWalk {
  const SynapseDrawParams* p;
  std::uint32_t anchor;
  std::uint32_t n_population;  // the partners' population; also "exhausted"
  bool skip_anchor;            // refused autapse: the anchor is no candidate
  std::uint32_t remaining;     // partners still to choose
  double unchosen_left;        // candidates left that will not be chosen (n - K)
  double candidates_left;      // candidates left (n)
  std::uint64_t next = 0;      // next candidate, numbered without the anchor
  std::uint64_t draws = 0;
};

// K partners of `anchor` among a population of n; K <= the candidates
// (validation refuses more).
MM_HD SubsetWalk subset_walk(const SynapseDrawParams& p, std::uint32_t anchor, std::uint32_t n, std::uint32_t k) {
  const bool skip_anchor = p.same_population && !p.allow_autapses;
  const double candidates = static_cast<double>(n) - (skip_anchor ? 1.0 : 0.0);
  return SubsetWalk{&p, anchor, n, skip_anchor, k, candidates - k, candidates};
}

// The next chosen partner (ascending), or n_population when all K are chosen.
MM_HD std::uint32_t subset_next(SubsetWalk& w) {
  if (w.remaining == 0) return w.n_population;
  const SynapseDrawParams& p = *w.p;
  const Random4 r = philox4x32_10(p.seed, p.stream, kIndexSubset, synapse_key(w.anchor, w.draws / 4));
  const std::uint32_t word = r.v[w.draws % 4];
  ++w.draws;
  std::uint64_t skip = 0;
  if (w.remaining == 1) {
    // The last one: uniform over the candidates left.
    skip = uniform_below(word, static_cast<std::uint32_t>(w.candidates_left));
  } else {
    // Inversion: skip s while P(S > s) > V (Vitter's Algorithm A).
    const double v = uniform_open(word);
    double quot = w.unchosen_left / w.candidates_left;
    while (quot > v) {
      ++skip;
      w.unchosen_left -= 1.0;
      w.candidates_left -= 1.0;
      quot = quot * w.unchosen_left / w.candidates_left;
    }
  }
  const std::uint64_t chosen = w.next + skip;
  w.next = chosen + 1;
  w.candidates_left -= 1.0;
  --w.remaining;
  return static_cast<std::uint32_t>(w.skip_anchor && chosen >= w.anchor ? chosen + 1 : chosen);
}

// The partners of `anchor` among a population of n for a degree rule
// (fixed_indegree: the sources of a target; fixed_outdegree: the targets of a
// source), f(partner, k) for its k-th synapse: `degree` uniform draws with
// multapses (draw_partner, in draw order), else a uniform subset in ascending
// order that stops before the first partner >= `stop` (a rank's window end).
template <typename F>
MM_HD void for_each_partner(const SynapseDrawParams& p, std::uint32_t anchor, std::uint32_t n, std::uint32_t degree,
                            bool allow_multapses, std::uint32_t stop, const F& f) {
  if (allow_multapses) {
    for (std::uint32_t j = 0; j < degree; ++j) f(draw_partner(p, anchor, synapse_key(anchor, j), n), j);
    return;
  }
  SubsetWalk walk = subset_walk(p, anchor, n, degree);
  std::uint32_t k = 0;
  for (std::uint32_t partner; (partner = subset_next(walk)) < stop; ++k) f(partner, k);
}

}  // namespace micromeso::physics
