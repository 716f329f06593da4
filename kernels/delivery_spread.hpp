// How deliver_spikes (kernels/spike_delivery.cu) shares a step's synapses
// among the T threads of its grid: the spiking sources' CSR segments are laid
// end to end, so synapse j of a segment preceded by R synapses (rotation =
// R mod T) goes to thread (rotation + j) mod T. Each thread then gets
// floor or ceil of (step's synapses) / T, however the spikes and segment
// lengths fall. Host-and-device functions so a CPU test checks the cover.
#pragma once

#include <cstdint>

#include "micromeso/physics/host_device.hpp"

namespace micromeso::micro {

// The first synapse (index within the segment) that thread t delivers;
// it then takes every T-th one while below the segment's length.
MM_HD std::uint32_t first_synapse_of_thread(std::uint32_t t, std::uint32_t rotation, std::uint32_t threads) {
  return t >= rotation ? t - rotation : t + threads - rotation;
}

// The rotation of the next segment, after one of `length` synapses.
MM_HD std::uint32_t next_rotation(std::uint32_t rotation, std::uint32_t length, std::uint32_t threads) {
  return (rotation + length % threads) % threads;
}

}  // namespace micromeso::micro
