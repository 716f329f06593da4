// Stimulus populations, NEST's spike sources as populations: each of their
// "neurons" fires in steps chosen by the stimulus, and its spikes travel
// through the projections like any neuron's (same delay ring, same record),
// so a stimulus reaches its targets exactly as a source neuron's spike would.
// A spike stamped t (ms) is emitted in step t / dt - 1, the step that ends at
// t: like a neuron's spike stamped t, it arrives at a target through delay d
// in the step stamped t + d (NEST's timing of device events).
//
// Each population's numbers sit in one table of 64-bit integers that the
// engine owns (host vector on the CPU, device memory on the GPU):
// - spike_generator: given spike times;
// - poisson_generator and inhomogeneous_poisson_generator: independent trains
//   whose rate changes at given steps (NEST's parrot neurons fed by a Poisson
//   generator, as in NEST's microcircuit example's thalamus).
// Both are stateless: any step can be asked, on any backend.
#pragma once

#include <cstdint>

#include "micromeso/physics/host_device.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::physics {

// spike_generator. table[0 .. n_spikes): the steps in which the neurons fire,
// train after train, ascending within a train. per_neuron: neuron `local`'s
// train is table[begin[local] .. begin[local + 1]) with begin =
// table + n_spikes (size + 1 entries); otherwise every neuron has the whole
// table[0 .. n_spikes).
struct SpikeGeneratorConstants {
  const std::uint64_t* table = nullptr;
  std::uint64_t n_spikes = 0;
  bool per_neuron = false;
  std::uint32_t first_gid = 0;  // global id of the population's first neuron
};

// First index in [lo, hi) whose value is >= key (hi if none).
MM_HD std::uint64_t first_not_below(const std::uint64_t* values, std::uint64_t lo, std::uint64_t hi,
                                    std::uint64_t key) {
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (values[mid] < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

// Whether neuron gid fires in `step`.
MM_HD bool spike_generator_fires(const SpikeGeneratorConstants& c, std::uint32_t gid, std::uint64_t step) {
  const std::uint32_t local = gid - c.first_gid;
  const std::uint64_t* begin = c.table + c.n_spikes;
  const std::uint64_t lo = c.per_neuron ? begin[local] : 0, end = c.per_neuron ? begin[local + 1] : c.n_spikes;
  const std::uint64_t i = first_not_below(c.table, lo, end, step);
  return i < end && c.table[i] == step;
}

// Poisson generators. table[0 .. n_changes): ascending steps at which the
// rate changes; table[n_changes + j]: from step table[j] on, the probability
// of a spike per step as a threshold on a 32-bit uniform integer,
// round(rate dt 2^32). Before table[0] the rate is 0.
//
// At most one spike per neuron and step, with probability p = rate dt: the
// mean count of a Poisson train (NEST's), whose rare doublets (probability
// about p^2 / 2) become single spikes elsewhere in the train; counts per
// window are binomial, variance (1 - p) of Poisson's. validate_circuit keeps
// p <= 0.1.
struct PoissonGeneratorConstants {
  const std::uint64_t* table = nullptr;
  std::uint64_t n_changes = 0;
};

MM_HD std::uint64_t poisson_generator_threshold(double rate_Hz, double dt_ms) {
  return static_cast<std::uint64_t>(rate_Hz * dt_ms * 1e-3 * 4294967296.0 + 0.5);
}

// Whether neuron gid fires in `step`: its draw of the escape stream (each
// neuron has one model, so the stream is free) against the step's threshold.
MM_HD bool poisson_generator_fires(const PoissonGeneratorConstants& c, std::uint64_t seed, std::uint32_t gid,
                                   std::uint64_t step) {
  const std::uint64_t after = first_not_below(c.table, 0, c.n_changes, step + 1);  // changes at or before step
  if (after == 0) return false;
  const std::uint64_t threshold = c.table[c.n_changes + after - 1];
  return threshold != 0 && philox4x32_10(seed, kStreamEscape, gid, step).v[0] < threshold;
}

}  // namespace micromeso::physics
