#include "micro/backend_factory.hpp"

#include <omp.h>

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "micro/cpu/cpu_backend.hpp"
#include "micro/gpu/gpu_backend.hpp"
#include "micromeso/devices.hpp"
#include "micromeso/errors.hpp"

namespace micromeso::micro {
namespace {

// A CUDA build with at least one device; otherwise `why_not` says why
// (list_devices' reason: no driver, no device, or a build without CUDA).
bool gpu_available(std::string& why_not) {
  const DeviceReport report = list_devices();
  if (!report.devices.empty()) return true;
  why_not = no_device_message(report);
  return false;
}

// --backend gpu insists; auto takes the GPU when there is one and the
// circuit fits its layout, and says so in the log.
BackendChoice resolve(const Circuit& circuit, BackendChoice choice, const std::function<void(const std::string&)>& log) {
  if (choice == BackendChoice::cpu || choice == BackendChoice::gpu_emulator) return choice;
  std::string why_not;
  const bool available = gpu_available(why_not);
  if (choice == BackendChoice::gpu) {
    if (!available) throw InputError(fmt::format("--backend gpu: {}; use --backend cpu (or auto)", why_not));
    return choice;  // GpuBackend itself refuses a circuit its layout cannot hold
  }
  const std::string layout_problem = available ? gpu_layout_problem(circuit) : std::string();
  if (available && layout_problem.empty()) return BackendChoice::gpu;
  log(fmt::format("backend auto: CPU ({})", available ? layout_problem : why_not));
  return BackendChoice::cpu;
}

bool over_ranks(const BackendOptions& o) { return o.comm != nullptr && o.comm->size() > 1; }

// The exchange once per minimum delay; rank 0 reports the interval.
std::unique_ptr<SpikeExchange> make_exchange(const Circuit& circuit, const BackendOptions& o,
                                             const std::function<void(const std::string&)>& log) {
  const std::uint32_t interval = min_delay_steps(circuit);
  if (o.comm->rank() == 0)
    log(fmt::format("spike exchange over {} ranks ({}): every {} step{} (the minimum delay, {} ms)", o.comm->size(),
                    o.comm->description(), interval, interval == 1 ? "" : "s", interval * circuit.simulation.dt_ms));
  return std::make_unique<SpikeExchange>(*o.comm, interval);
}

std::unique_ptr<Backend> make_cpu_backend(const Circuit& circuit, int threads, const BackendOptions& o,
                                          const std::function<void(const std::string&)>& log) {
  if (!over_ranks(o)) {
    const MemoryEstimate estimate = estimate_cpu_memory(circuit, threads);
    log(fmt::format("network: {} neurons, about {} synapses; memory needed about {:.2f} GiB ({:.2f} GiB available)",
                    circuit.total_neurons(), estimate.expected_synapses, estimate.total_bytes() / 1073741824.0,
                    available_memory_bytes() / 1073741824.0));
    check_memory_fits(estimate, fmt::format("circuit '{}'", circuit.name), size_advice(circuit));
    return std::make_unique<CpuBackend>(circuit, build_network(circuit, threads, o.progress), threads);
  }
  // This rank's share: its neurons and the synapses onto them.
  const int rank = o.comm->rank(), ranks = o.comm->size();
  const NeuronRange local = rank_neurons(circuit.total_neurons(), rank, ranks);
  const MemoryEstimate estimate = estimate_cpu_memory(circuit, threads, local);
  log(fmt::format("rank {} of {}: neurons [{}, {}) of {}, about {} synapses; memory needed about {:.2f} GiB ({:.2f} GiB "
                  "available)",
                  rank, ranks, local.first, local.last, circuit.total_neurons(), estimate.expected_synapses,
                  estimate.total_bytes() / 1073741824.0, available_memory_bytes() / 1073741824.0));
  check_memory_fits(estimate, fmt::format("rank {} of {}: its share of circuit '{}'", rank, ranks, circuit.name),
                    size_advice(circuit) + ", or run on more ranks (nodes)");
  return std::make_unique<CpuBackend>(circuit, build_network(circuit, threads, o.progress, local), threads,
                                      make_exchange(circuit, o, log));
}

std::unique_ptr<Backend> make_gpu_backend(const Circuit& circuit, DeviceTarget target, const BackendOptions& o,
                                          const std::function<void(const std::string&)>& log) {
  if (over_ranks(o)) {
    // One device per rank: the rank on its node modulo the node's devices.
    const int rank = o.comm->rank(), ranks = o.comm->size();
    if (!target.emulate) {
      const auto devices = static_cast<int>(list_devices().devices.size());
      target.device = parallel::launcher_local_rank() % std::max(devices, 1);
    }
    const NeuronRange local = rank_neurons(circuit.total_neurons(), rank, ranks);
    const MemoryEstimate estimate = estimate_gpu_memory(circuit, local);
    log(fmt::format("rank {} of {}: neurons [{}, {}) of {}, about {} synapses; device memory needed about {:.2f} GiB",
                    rank, ranks, local.first, local.last, circuit.total_neurons(), estimate.expected_synapses,
                    estimate.total_bytes() / 1073741824.0));
    // GpuBackend checks the device memory itself, before allocating.
    auto backend = std::make_unique<GpuBackend>(circuit, target, o.progress, make_exchange(circuit, o, log), local);
    log(fmt::format("rank {}: {} backend on {}", rank, backend->name(),
                    target.emulate ? backend->device_name() : fmt::format("GPU {} ({})", target.device, backend->device_name())));
    return backend;
  }
  const MemoryEstimate estimate = estimate_gpu_memory(circuit);
  log(fmt::format("network: {} neurons, about {} synapses; device memory needed about {:.2f} GiB",
                  circuit.total_neurons(), estimate.expected_synapses, estimate.total_bytes() / 1073741824.0));
  auto backend = std::make_unique<GpuBackend>(circuit, target, o.progress);  // checks the device memory itself
  log(fmt::format("{} backend on {}", backend->name(), backend->device_name()));
  return backend;
}

}  // namespace

// Each step ends in a barrier; for a small network the work split between
// threads is a few microseconds, less than what the barrier costs, and when
// several runs share the cores (tests run in parallel) OpenMP's spinning at
// the barrier takes the cores the other runs need and slows them a
// hundredfold. Results do not depend on the thread count.
int default_cpu_threads(const Circuit& circuit) {
  const auto by_size = static_cast<int>(std::max<std::uint64_t>(1, circuit.total_neurons() / 2000));
  return std::min(omp_get_max_threads(), by_size);
}

std::unique_ptr<Backend> make_backend(const Circuit& circuit, const BackendOptions& o) {
  const auto log = [&](const std::string& line) {
    if (o.log) o.log(line);
  };
  // More threads than cores only time-share them; a count far beyond (100,000)
  // overflows the OpenMP runtime's stacks or hangs it.
  const int cores = std::max(1, omp_get_num_procs());
  if (o.threads > 4 * cores)
    throw std::invalid_argument(fmt::format("--threads {}: expected at most {} (4 x the {} cores of this machine)",
                                            o.threads, 4 * cores, cores));
  // Never more threads than neurons: a thread without a neuron only waits.
  const auto neurons = static_cast<int>(std::min<std::uint64_t>(circuit.total_neurons(), 4ull * cores));
  const int threads = o.threads > 0 ? std::min(o.threads, std::max(1, neurons)) : default_cpu_threads(circuit);
  if (over_ranks(o) && circuit.total_neurons() < static_cast<std::uint64_t>(o.comm->size()))
    throw InputError(fmt::format("{} ranks for {} neurons: expected at most one rank per neuron", o.comm->size(),
                                 circuit.total_neurons()));
  switch (resolve(circuit, o.choice, log)) {
    case BackendChoice::cpu: return make_cpu_backend(circuit, threads, o, log);
    case BackendChoice::gpu: return make_gpu_backend(circuit, DeviceTarget{false, o.device, {}, o.grid}, o, log);
    case BackendChoice::gpu_emulator: {
      kernels::EmulatorOptions emulator = o.emulator;
      emulator.threads = threads;
      return make_gpu_backend(circuit, DeviceTarget{true, 0, emulator, o.grid}, o, log);
    }
    case BackendChoice::automatic: break;
  }
  throw std::logic_error("make_backend: unresolved backend choice");
}

}  // namespace micromeso::micro
