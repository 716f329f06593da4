// How much memory a run may still take, and the refusal when it will not fit.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "micro/network.hpp"
#include "micro/network_plan.hpp"
#include "micromeso/physics/neuron_models.hpp"
#include "model/engine_constants.hpp"

namespace micromeso::micro {
namespace {

std::uint64_t meminfo_available_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return std::numeric_limits<std::uint64_t>::max();
}

// cgroup v2 limit minus current use; "max" means no limit.
std::uint64_t cgroup_available_bytes() {
  std::ifstream limit_file("/sys/fs/cgroup/memory.max"), current_file("/sys/fs/cgroup/memory.current");
  std::string limit_text;
  std::uint64_t current = 0;
  if (!(limit_file >> limit_text) || limit_text == "max" || !(current_file >> current))
    return std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t limit = std::stoull(limit_text);
  return limit > current ? limit - current : 0;
}

}  // namespace

std::uint64_t available_memory_bytes() {
  return std::min(meminfo_available_bytes(), cgroup_available_bytes());
}

bool fits_in_memory(const MemoryEstimate& e, std::uint64_t available_bytes) {
  return static_cast<double>(e.total_bytes()) <= 0.9 * static_cast<double>(available_bytes);
}

std::string memory_breakdown(const MemoryEstimate& e, const std::string& state_label) {
  constexpr double GiB = 1073741824.0;
  return fmt::format("({} synapses: {:.2f} GiB connectivity, {:.2f} GiB {}, {:.2f} GiB construction scratch)",
                     e.expected_synapses, e.connectivity_bytes / GiB, e.state_bytes / GiB, state_label,
                     e.build_scratch_bytes / GiB);
}

void check_memory_fits(const MemoryEstimate& e, const std::string& what, const std::string& advice,
                       std::uint64_t available) {
  if (!fits_in_memory(e, available))
    throw std::runtime_error(fmt::format("{} needs about {:.2f} GiB {} but only {:.2f} GiB of memory is available; {}",
                                         what, e.total_bytes() / 1073741824.0,
                                         memory_breakdown(e, "neuron state and delay buffers"),
                                         available / 1073741824.0, advice));
}

std::string size_advice(const Circuit& circuit) {
  const auto origin = circuit.origins.find("");  // set by the built-in generators only
  if (origin != circuit.origins.end() && origin->second.rfind("built-in", 0) == 0)
    return "reduce --scale or --k-scale";
  return "reduce the population sizes, in-degrees or synapse counts in the circuit file (--scale and --k-scale "
         "apply to built-in circuits only)";
}

std::uint64_t cpu_pending_event_bytes(std::uint64_t ring_slots, std::uint64_t n_local) {
  const std::uint64_t ring = ring_slots * n_local * 2 * sizeof(physics::CurrentFixed);  // two receptors per neuron
  // Lists of at most one 8-byte event per ring cell, with about as much spare
  // capacity again (Potjans-Diesmann at scale 0.25: room for 2.0 events per
  // cell where 0.1 to 0.4 are in flight), and the ring beside them while they
  // move into it.
  return 3 * ring;
}

MemoryEstimate estimate_cpu_memory(const Circuit& circuit, int threads, std::optional<NeuronRange> local_range) {
  const auto first = population_first_ids(circuit);
  const std::uint64_t n = first.back();
  const NeuronRange local = local_range.value_or(NeuronRange{0, n});
  const std::uint64_t n_local = local.size();
  const std::uint64_t t = static_cast<std::uint64_t>(std::max(threads, 1));
  MemoryEstimate e;
  double synapses = 0.0;
  std::uint64_t scratch = 0;
  for (const ProjectionPlan& p : plan_projections(circuit, first)) {
    // The share of the projection's synapses whose targets are local.
    const std::uint64_t a = std::max(local.first, p.post_first), b = std::min(local.last, p.post_first + p.draw.n_post);
    const double share = b > a ? static_cast<double>(b - a) / static_cast<double>(p.draw.n_post) : 0.0;
    synapses += p.expected_synapses * share;
    // per-source counts; fixed_total_number: per source and target block
    // meeting the window (total_number_blocks.hpp); per-thread cursors for
    // fixed_indegree
    scratch += p.draw.n_pre * (sizeof(std::uint32_t) +
                               (p.rule == ConnectionRule::fixed_indegree ? t * sizeof(std::uint64_t) : 0));
    if (p.rule == ConnectionRule::fixed_total_number && b > a)
      scratch += total_number_cell_bytes(p, static_cast<std::uint32_t>(a - p.post_first),
                                         static_cast<std::uint32_t>(b - p.post_first));
  }
  e.expected_synapses = static_cast<std::uint64_t>(synapses);
  constexpr std::uint64_t bytes_per_synapse =
      sizeof(std::uint32_t) + sizeof(physics::WeightFixed) + sizeof(std::uint16_t);
  e.connectivity_bytes = e.expected_synapses * bytes_per_synapse + (n + 1) * sizeof(std::uint64_t);
  e.build_scratch_bytes = scratch;
  const std::uint64_t slots = max_delay_steps(circuit) + 1ull;  // the CPU ring: the longest delay plus one slot
  std::uint64_t aux = 0, train_entries = 0;
  for (const Population& pop : circuit.populations) {
    const NeuronConstants k = neuron_constants(pop, circuit.simulation.dt_ms);
    aux += pop.size * static_cast<std::uint64_t>(physics::aux_per_neuron(k.model));
    train_entries += k.stimulus_table.size();
  }
  // neuron state (V, two currents, refractory count), ISI statistics, the
  // pending events (cpu_pending_event_bytes), each model's auxiliary values
  // (adaptation, conductances, gates), stimulus populations' tables
  e.state_bytes = n * 32 + n * 32 + cpu_pending_event_bytes(slots, n_local) + aux * sizeof(double) +
                  train_entries * sizeof(std::uint64_t);
  return e;
}

}  // namespace micromeso::micro
