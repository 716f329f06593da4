// Device memory of a GPU run, known before anything is allocated; compiled
// in every build so the estimate can be checked (and tested) without a GPU.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "micro/gpu/gpu_backend.hpp"
#include "kernels/step_args.hpp"
#include "model/engine_constants.hpp"
#include "kernels/synapse_layout.hpp"
#include "micro/network.hpp"
#include "micro/network_plan.hpp"

namespace micromeso::micro {
namespace {
constexpr std::uint64_t kRecordBudgetBytes = 256ull << 20;
constexpr std::uint32_t kMaxChunkSteps = 100;
// cub::DeviceScan's temporary storage: a few words per tile of thousands of
// items; 1 MiB plus a word per 256 items is ample.
std::uint64_t scan_scratch_bytes(std::uint64_t items) { return (1ull << 20) + items / 256 * 16; }
}  // namespace

std::uint32_t gpu_chunk_steps(std::uint64_t n_neurons) {
  const std::uint64_t fit = kRecordBudgetBytes / (sizeof(std::uint32_t) * std::max<std::uint64_t>(n_neurons, 1));
  return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(fit, 1, kMaxChunkSteps));
}

MemoryEstimate estimate_gpu_memory(const Circuit& circuit, std::optional<NeuronRange> local_range) {
  const auto first = population_first_ids(circuit);
  const std::uint64_t n = first.back();
  const NeuronRange local = local_range.value_or(NeuronRange{0, n});
  MemoryEstimate e;
  double synapses = 0.0;
  std::uint64_t counts = 0;
  for (const ProjectionPlan& p : plan_projections(circuit, first)) {
    // The share of the projection's synapses whose targets are local.
    const std::uint64_t a = std::max(local.first, p.post_first), b = std::min(local.last, p.post_first + p.draw.n_post);
    const double share = b > a ? static_cast<double>(b - a) / static_cast<double>(p.draw.n_post) : 0.0;
    synapses += p.expected_synapses * share;
    // per-source counts; fixed_total_number: per source and target block meeting the window
    counts += std::uint64_t{p.draw.n_pre} * sizeof(std::uint32_t);
    if (p.rule == ConnectionRule::fixed_total_number && b > a)
      counts += total_number_cell_bytes(p, static_cast<std::uint32_t>(a - p.post_first),
                                        static_cast<std::uint32_t>(b - p.post_first));
  }
  e.expected_synapses = static_cast<std::uint64_t>(synapses);
  e.connectivity_bytes = e.expected_synapses * sizeof(PackedSynapse) + (n + 1) * sizeof(std::uint64_t);
  // per-projection counts, degrees that become the write cursors, scan storage
  e.build_scratch_bytes = counts + (n + 1) * sizeof(std::uint64_t) + scan_scratch_bytes(n + 1);
  std::uint64_t slots = 1;
  while (slots < max_delay_steps(circuit) + 1ull) slots *= 2;
  std::uint64_t adaptation = 0, sfa_constants = 0, train_entries = 0;  // aux_, sfa_, trains_ entries
  for (const Population& pop : circuit.populations) {
    const NeuronConstants k = neuron_constants(pop, circuit.simulation.dt_ms);
    adaptation += pop.size * static_cast<std::uint64_t>(physics::aux_per_neuron(k.model));
    sfa_constants += k.sfa_decay.size() + k.q_sfa_mV.size();  // decay and jump per trace (sfa_)
    train_entries += k.stimulus_table.size() + k.current_steps.size();  // stimulus tables, step currents (trains_)
    sfa_constants += k.current_pA.size();                               // step-current amplitudes (sfa_)
  }
  std::uint64_t probes = 0;  // multimeter values per step (make_state_probes)
  for (const Multimeter& m : circuit.multimeters) probes += m.neurons.size() * m.record_from.size();
  const std::uint64_t chunk = gpu_chunk_steps(n);
  // Every allocation of the device engine's constructor: state_, aux_, ring_,
  // record_ + step_begin_ (chunk + 1) + record_total_ (4 B) + first_step_
  // (8 B), pops_ (~250 B per population) + sfa_ + trains_, probes_ +
  // probe_values_ (chunk values per probe).
  e.state_bytes = n * sizeof(physics::MembraneState) + adaptation * sizeof(double) +
                  slots * local.size() * 2 * sizeof(physics::CurrentFixed) +            // delay ring
                  n * chunk * sizeof(std::uint32_t) + (chunk + 2) * sizeof(std::uint32_t) +  // spike record
                  sizeof(std::uint64_t) +                                                 // step counter
                  circuit.populations.size() * sizeof(kernels::PopulationUpdate) + sfa_constants * sizeof(double) +
                  train_entries * sizeof(std::uint64_t) +                                 // constants
                  probes * (sizeof(physics::StateProbe) + chunk * sizeof(double));        // multimeters
  return e;
}

void check_gpu_memory_fits(const MemoryEstimate& e, const std::string& what, const std::string& device_name,
                           std::uint64_t free_bytes, const std::string& advice) {
  if (!fits_in_memory(e, free_bytes))
    throw std::runtime_error(fmt::format(
        "{} needs about {:.2f} GiB of device memory {} but {} has only {:.2f} GiB free; {}, or use --backend cpu",
        what, e.total_bytes() / 1073741824.0, memory_breakdown(e, "neuron state, delay and spike buffers"),
        device_name, free_bytes / 1073741824.0, advice));
}

std::string gpu_layout_problem(const Circuit& circuit) {
  if (circuit.populations.size() > static_cast<std::size_t>(kernels::kMaxKernelPopulations))
    return fmt::format("the GPU backend takes at most {} populations, the circuit has {}",
                       kernels::kMaxKernelPopulations, circuit.populations.size());
  const std::uint64_t n = circuit.total_neurons();
  const std::uint32_t longest = max_delay_steps(circuit);
  const SynapseLayout layout = synapse_layout_for(longest);
  if (synapse_layout_fits(layout, n)) return {};
  return fmt::format(
      "the GPU backend packs target id and delay into 32 bits; {} neurons ({} bits) and delays up to {} steps "
      "({} bits) do not fit",
      n, bit_width_of(n - 1), longest, layout.delay_bits);
}

}  // namespace micromeso::micro
