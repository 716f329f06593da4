// GpuBackend: host-side orchestration of the device engine. The circuit is
// turned into the device's plain structs with the CPU's own setup functions
// (population constants, projection plans, initial potentials), so both
// backends start from the same numbers.
#include "micro/gpu/gpu_backend.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "kernels/synapse_layout.hpp"
#include "micro/network_plan.hpp"
#include "micro/population_setup.hpp"
#include "micro/state_probes.hpp"
#include "micromeso/physics/initial_state.hpp"

namespace micromeso::micro {
namespace {

kernels::DeviceRule device_rule(ConnectionRule rule) {
  switch (rule) {
    case ConnectionRule::fixed_total_number: return kernels::DeviceRule::fixed_total_number;
    case ConnectionRule::pairwise_bernoulli: return kernels::DeviceRule::pairwise_bernoulli;
    case ConnectionRule::fixed_indegree: return kernels::DeviceRule::fixed_indegree;
    case ConnectionRule::one_to_one: return kernels::DeviceRule::one_to_one;
    case ConnectionRule::fixed_outdegree: return kernels::DeviceRule::fixed_outdegree;
  }
  throw std::logic_error("unknown connection rule");
}

// `local`: the neurons whose incoming synapses the device keeps.
std::vector<kernels::DeviceProjection> device_projections(const std::vector<ProjectionPlan>& plans,
                                                          const NeuronRange& local) {
  std::vector<kernels::DeviceProjection> out;
  for (const ProjectionPlan& p : plans) {
    const std::uint64_t a = std::max(local.first, p.post_first);
    const std::uint64_t b = std::max(a, std::min(local.last, p.post_first + p.draw.n_post));
    out.push_back(kernels::DeviceProjection{device_rule(p.rule), p.draw, static_cast<std::uint32_t>(p.pre_first),
                                            static_cast<std::uint32_t>(p.post_first), p.n_synapses, p.indegree,
                                            p.probability, p.log1m_probability,
                                            static_cast<std::uint32_t>(std::min(a - p.post_first, std::uint64_t{p.draw.n_post})),
                                            static_cast<std::uint32_t>(std::min(b - p.post_first, std::uint64_t{p.draw.n_post})),
                                            static_cast<std::uint32_t>(local.first), p.outdegree,
                                            p.allow_multapses});
  }
  return out;
}

// The device's population structs and the initial state, computed on the
// host with the CPU engine's functions (initial_states), so that both
// backends start bit-identical.
std::vector<kernels::DevicePopulation> device_populations(const std::vector<PopulationSetup>& setups,
                                                          std::uint64_t seed,
                                                          std::vector<physics::MembraneState>& state) {
  std::vector<kernels::DevicePopulation> out;
  for (const PopulationSetup& s : setups) {
    kernels::DevicePopulation d;
    d.first = static_cast<std::uint32_t>(s.first);
    d.size = static_cast<std::uint32_t>(s.size);
    d.model = s.neuron.model;
    d.sfa_decay = s.neuron.sfa_decay;
    d.q_sfa_mV = s.neuron.q_sfa_mV;
    d.stimulus_table = s.neuron.stimulus_table;
    d.current_steps = s.neuron.current_steps;
    d.current_pA = s.neuron.current_pA;
    d.poisson = s.poisson;
    d.poisson_weight = s.poisson_weight;
    initial_states(s, seed, state.data() + s.first, d.initial_aux);
    out.push_back(std::move(d));
  }
  return out;
}

kernels::DeviceProperties target_properties(const DeviceTarget& target) {
  if (target.emulate) return kernels::emulated_device_properties(target.emulator);
#ifdef MICROMESO_HAVE_CUDA
  return kernels::query_cuda_device(target.device);
#else
  throw std::runtime_error("the GPU backend is not in this build (configured without CUDA); use --backend cpu or "
                           "gpu-emulator");
#endif
}

std::unique_ptr<kernels::DeviceEngine> make_engine(const DeviceTarget& target, const kernels::EngineConfig& config) {
  if (target.emulate) return kernels::make_emulated_engine(config, target.emulator);
#ifdef MICROMESO_HAVE_CUDA
  return kernels::make_cuda_engine(config, target.device);
#else
  throw std::logic_error("no CUDA in this build");  // target_properties refused it before
#endif
}

}  // namespace

GpuBackend::GpuBackend(const Circuit& circuit, const DeviceTarget& target_in, const ProgressFn& progress,
                       std::unique_ptr<SpikeExchange> exchange, std::optional<NeuronRange> local)
    : exchange_(std::move(exchange)),
      emulated_(target_in.emulate),
      threads_(target_in.emulate ? target_in.emulator.threads : 1) {
  if (const std::string problem = gpu_layout_problem(circuit); !problem.empty())
    throw std::runtime_error(fmt::format("circuit '{}': {}; use --backend cpu", circuit.name, problem));
  DeviceTarget target = target_in;
  if (target.emulate && target.emulator.free_bytes == 0) target.emulator.free_bytes = available_memory_bytes();
  population_first_ = population_first_ids(circuit);
  const std::uint64_t n = population_first_.back();
  local_ = local.value_or(NeuronRange{0, n});
  const kernels::DeviceProperties props = target_properties(target);
  device_name_ = props.name;
  estimate_ = estimate_gpu_memory(circuit, local_);
  check_gpu_memory_fits(estimate_, fmt::format("circuit '{}'", circuit.name),
                        target.emulate ? device_name_ : fmt::format("GPU {} ({})", target.device, device_name_),
                        props.free_bytes, size_advice(circuit));

  const std::vector<PopulationSetup> setups = make_population_setups(circuit);
  for (const PopulationSetup& s : setups) E_L_mV_.push_back(s.E_L_mV());
  max_delay_steps_ = max_delay_steps(circuit);
  chunk_steps_ = gpu_chunk_steps(n);
  kernels::EngineConfig config;
  config.seed = circuit.simulation.seed;
  config.dt_ms = circuit.simulation.dt_ms;
  config.n_neurons = static_cast<std::uint32_t>(n);
  config.local_first = static_cast<std::uint32_t>(local_.first);
  config.n_local = static_cast<std::uint32_t>(local_.size());
  config.max_delay_steps = max_delay_steps_;
  config.layout = synapse_layout_for(max_delay_steps_);
  config.chunk_steps = chunk_steps_;
  config.grid = target.grid;
  config.initial_state.resize(n);
  config.populations = device_populations(setups, circuit.simulation.seed, config.initial_state);
  config.probes = make_state_probes(circuit, setups, local_);
  engine_ = make_engine(target, config);
  engine_->build_network(device_projections(plan_projections(circuit, population_first_), local_), progress);
}

GpuBackend::~GpuBackend() = default;

std::uint64_t GpuBackend::n_synapses() const { return engine_->n_synapses(); }
std::uint64_t GpuBackend::connectivity_bytes() const { return engine_->connectivity_bytes(); }

std::uint64_t GpuBackend::simulate(std::uint64_t n_steps, StepObserver& observer, const std::atomic<bool>* stop) {
  if (exchange_) return simulate_over_ranks(n_steps, observer, stop);
  std::vector<std::uint32_t> spikes;
  std::vector<double> probe_values;
  std::uint64_t done = 0;
  while (done < n_steps) {
    const auto steps = static_cast<std::uint32_t>(std::min<std::uint64_t>(chunk_steps_, n_steps - done));
    const kernels::SpikeChunk chunk = engine_->run_chunk(steps);
    // The device has run the chunk: count it before the observer sees it, so
    // that an observer that throws leaves host and device at the same step.
    const std::uint64_t first = next_step_;
    done += steps;
    next_step_ += steps;
    for (std::uint32_t k = 0; k < steps; ++k) {
      // Appended by atomics in any order; the observer wants ascending ids.
      spikes.assign(chunk.spikes + chunk.step_begin[k], chunk.spikes + chunk.step_begin[k + 1]);
      std::sort(spikes.begin(), spikes.end());
      observer.on_step(first + k, spikes);
      if (chunk.n_probes > 0) {
        const double* values = chunk.probe_values + static_cast<std::size_t>(k) * chunk.n_probes;
        probe_values.assign(values, values + chunk.n_probes);
        observer.on_state(first + k, probe_values);
      }
    }
    if (stop != nullptr && stop->load(std::memory_order_relaxed)) break;  // between chunks
  }
  return done;
}

// Intervals end where the exchange is due (or the call ends, or a chunk is
// full): update without delivery, exchange, deliver every rank's spikes.
std::uint64_t GpuBackend::simulate_over_ranks(std::uint64_t n_steps, StepObserver& observer,
                                              const std::atomic<bool>* stop) {
  std::vector<std::uint32_t> spikes, all_spikes, step_begin;
  std::vector<double> probe_values;
  std::uint64_t done = 0;
  const std::uint32_t interval = exchange_->interval_steps();
  while (done < n_steps) {
    const std::uint64_t to_due = interval - next_step_ % interval;
    const auto steps = static_cast<std::uint32_t>(std::min({to_due, n_steps - done, std::uint64_t{chunk_steps_}}));
    const kernels::SpikeChunk chunk = engine_->run_undelivered(steps);
    for (std::uint32_t k = 0; k < steps; ++k) {
      spikes.assign(chunk.spikes + chunk.step_begin[k], chunk.spikes + chunk.step_begin[k + 1]);
      std::sort(spikes.begin(), spikes.end());
      exchange_->add_local(next_step_ + k, spikes);
    }
    const bool stopping = exchange_->exchange(stop != nullptr && stop->load(std::memory_order_relaxed));
    all_spikes.clear();
    step_begin.assign(1, 0);
    for (std::size_t i = 0; i < exchange_->steps(); ++i) {
      all_spikes.insert(all_spikes.end(), exchange_->spikes(i).begin(), exchange_->spikes(i).end());
      step_begin.push_back(static_cast<std::uint32_t>(all_spikes.size()));
    }
    engine_->deliver_exchanged(all_spikes.data(), step_begin.data(), steps);
    // The device has run the steps: count them before the observer sees them.
    const std::uint64_t first = next_step_;
    done += steps;
    next_step_ += steps;
    for (std::uint32_t k = 0; k < steps; ++k) {
      observer.on_step(first + k, exchange_->spikes(k));
      if (chunk.n_probes > 0) {  // this rank's probes (make_state_probes of local_), after step k's update
        const double* values = chunk.probe_values + static_cast<std::size_t>(k) * chunk.n_probes;
        probe_values.assign(values, values + chunk.n_probes);
        observer.on_state(first + k, probe_values);
      }
    }
    if (stopping) break;  // agreed by every rank in the exchange
  }
  return done;
}

Network GpuBackend::download_network() const {
  std::vector<std::uint64_t> offsets;
  std::vector<PackedSynapse> synapses;
  engine_->download_connectivity(offsets, synapses);
  const SynapseLayout layout = synapse_layout_for(max_delay_steps_);
  Network net;
  net.population_first = population_first_;
  net.local = local_;
  net.max_delay_steps = max_delay_steps_;
  net.synapse_offset = RawArray<std::uint64_t>(offsets.size());
  std::copy(offsets.begin(), offsets.end(), net.synapse_offset.data());
  net.synapse_target = RawArray<std::uint32_t>(synapses.size());
  net.synapse_weight = RawArray<physics::WeightFixed>(synapses.size());
  net.synapse_delay_steps = RawArray<std::uint16_t>(synapses.size());
  for (std::size_t i = 0; i < synapses.size(); ++i) {
    net.synapse_target[i] = layout.target(synapses[i]);
    net.synapse_weight[i] = synapses[i].weight;
    net.synapse_delay_steps[i] = static_cast<std::uint16_t>(layout.delay_steps(synapses[i]));
  }
  return net;
}

NeuronReading GpuBackend::read_neuron(std::uint64_t gid) const {
  const auto it = std::upper_bound(population_first_.begin(), population_first_.end(), gid);
  const auto pop = static_cast<std::size_t>(it - population_first_.begin()) - 1;
  const physics::MembraneState s = engine_->download_state().at(gid);
  return {s.V_rel_mV + E_L_mV_.at(pop), s.I_ex_pA, s.I_in_pA};
}

}  // namespace micromeso::micro
