// The random number of spikes of a population in one step (reference 3.4),
// from counter-based Philox words: (seed, meso stream, population, step).
#pragma once

#include <algorithm>
#include <cstdint>

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>

#include "micromeso/meso.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::meso {

// A uniform random bit generator over the Philox words of one (population,
// step), so that Boost's binomial and Poisson samplers (BTRD and PTRD,
// Hoermann 1993/1994, with inversion for small means) can
// draw from them.
class PhiloxWords {
 public:
  using result_type = std::uint32_t;
  // The population's count draw (kStreamMeso) owns 2^16 counters of four
  // words per step; the master variant's per-age draws (kStreamMesoMaster),
  // up to a few per bin, own 2^32.
  PhiloxWords(std::uint64_t seed, std::uint32_t population, std::uint64_t step,
              std::uint32_t stream = physics::kStreamMeso)
      : seed_(seed),
        stream_(stream),
        population_(population),
        counter_bits_(stream == physics::kStreamMesoMaster ? 32 : 16),
        base_(step << counter_bits_) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return 0xFFFFFFFFu; }
  result_type operator()() {
    if (used_ % 4 == 0) block_ = physics::philox4x32_10(seed_, stream_, population_, base_ + used_ / 4);
    return block_.v[used_++ % 4];
  }
  // Whether the draws so far stayed within this step's counters.
  bool within_step() const { return used_ / 4 <= (std::uint64_t{1} << counter_bits_); }

 private:
  std::uint64_t seed_;
  std::uint32_t stream_, population_;
  unsigned counter_bits_;
  std::uint64_t base_;
  std::uint64_t used_ = 0;
  physics::Random4 block_{};
};

// Binomial(trials, p) for whole `trials` and p in [0, 1]: the population's
// count and, in the master variant, each age bin's firing survivors.
inline double draw_binomial(double trials, double p, PhiloxWords& words) {
  if (trials <= 0.0 || p <= 0.0) return 0.0;
  if (p >= 1.0) return trials;
  const auto n = static_cast<std::int64_t>(trials);
  return static_cast<double>(boost::random::binomial_distribution<std::int64_t, double>(n, p)(words));
}

// The step's count from its expectation (the master variant draws per age
// bin instead: PopulationEquation::draw_spikes_by_age).
inline double draw_spike_count(NoiseModel noise, double expected, double size, PhiloxWords& words) {
  switch (noise) {
    case NoiseModel::none:
    case NoiseModel::master: return expected;
    case NoiseModel::binomial: return draw_binomial(size, std::clamp(expected / size, 0.0, 1.0), words);
    case NoiseModel::poisson:
      if (expected <= 0.0) return 0.0;
      return std::min(size,
                      static_cast<double>(boost::random::poisson_distribution<std::int64_t, double>(expected)(words)));
  }
  return expected;
}

}  // namespace micromeso::meso
