#include "micro/cpu/cpu_backend.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <exception>

#include "micromeso/physics/fixed_point.hpp"
#include "micro/state_probes.hpp"
#include "micromeso/physics/neuron_models.hpp"

namespace micromeso::micro {

CpuBackend::CpuBackend(const Circuit& circuit, Network network, int threads, std::unique_ptr<SpikeExchange> exchange)
    : net_(std::move(network)),
      threads_(std::max(threads, 1)),
      estimate_(estimate_cpu_memory(circuit, threads_, net_.local)),
      seed_(circuit.simulation.seed),
      dt_ms_(circuit.simulation.dt_ms),
      pops_(make_population_setups(circuit)) {
  const std::uint64_t n = net_.n_neurons();
  std::uint64_t slots = 1;
  while (slots < net_.max_delay_steps + 1ull) slots *= 2;
  ring_mask_ = slots - 1;
  ring_ = HugePageBuffer<physics::CurrentFixed>(slots * net_.local.size() * 2);
  state_.resize(n);
  aux_.resize(pops_.size());
  for (std::size_t p = 0; p < pops_.size(); ++p) initial_states(pops_[p], seed_, state_.data() + pops_[p].first, aux_[p]);
  probes_ = make_state_probes(circuit, pops_, net_.local);
  exchange_ = std::move(exchange);
}

void CpuBackend::read_probes(std::vector<double>& values) const {
  values.resize(probes_.size());
  for (std::size_t i = 0; i < probes_.size(); ++i) {
    const physics::StateProbe& pr = probes_[i];
    const PopulationSetup& pop = pops_[pr.population];
    values[i] = physics::read_state_variable(pop.constants(), state_[pr.gid], aux_[pr.population].data() + (pr.gid - pop.first),
                                             static_cast<long>(pop.size), pr.variable) +
                pr.offset_mV;
  }
}

NeuronReading CpuBackend::read_neuron(std::uint64_t gid) const {
  const physics::MembraneState& s = state_.at(gid);
  return {s.V_rel_mV + pops_[net_.population_of(gid)].E_L_mV(), s.I_ex_pA, s.I_in_pA};
}

// The neurons [lo, hi) of population p, all of one model: the model is
// chosen once per population (update_range), not per neuron.
template <int Kind>
void CpuBackend::update_population(std::size_t p, std::uint64_t lo, std::uint64_t hi, std::uint64_t step,
                                   std::vector<std::uint32_t>& spikes) {
  const PopulationSetup& pop = pops_[p];
  physics::ModelConstants c = pop.constants();
  if (c.current.n != 0) c = physics::with_input_current(c, physics::scheduled_current_pA(c.current, step));
  physics::CurrentFixed* slot = ring_.data() + (step & ring_mask_) * net_.local.size() * 2;
  double* aux = aux_[p].data();
  const auto stride = static_cast<long>(pop.size);
  // One Poisson block serves four neighbouring neurons (physics/poisson.hpp).
  physics::Random4 block{};
  std::uint64_t block_group = ~std::uint64_t{0};
  const std::uint64_t local_first = net_.local.first;  // the ring holds the local neurons
  for (std::uint64_t gid = lo; gid < hi; ++gid) {
    physics::CurrentFixed* cell = slot + 2 * (gid - local_first);
    physics::CurrentFixed in_ex = cell[0], in_in = cell[1];
    cell[0] = cell[1] = 0;
    if (pop.poisson.chunks != 0) {
      if ((gid >> 2) != block_group) {
        block_group = gid >> 2;
        block = physics::poisson_block(seed_, static_cast<std::uint32_t>(block_group), step, 0);
      }
      const std::uint32_t k = physics::poisson_count_from(pop.poisson, block.v[gid & 3], seed_,
                                                          static_cast<std::uint32_t>(gid), step);
      (pop.poisson_weight >= 0 ? in_ex : in_in) += static_cast<physics::CurrentFixed>(k) * pop.poisson_weight;
    }
    const auto g = static_cast<std::uint32_t>(gid);
    if (physics::step_neuron<Kind>(c, state_[gid], aux + (gid - pop.first), stride, physics::fixed_to_pA(in_ex),
                                   physics::fixed_to_pA(in_in), seed_, g, step, dt_ms_))
      spikes.push_back(g);
  }
}

void CpuBackend::update_range(std::uint64_t begin, std::uint64_t end, std::uint64_t step,
                              std::vector<std::uint32_t>& spikes) {
  for (std::size_t p = 0; p < pops_.size(); ++p) {
    const PopulationSetup& pop = pops_[p];
    const std::uint64_t lo = std::max(begin, pop.first), hi = std::min(end, pop.first + pop.size);
    if (lo >= hi) continue;
    physics::visit_model(pop.neuron.model.kind, [&](auto kind) {
      update_population<decltype(kind)::value>(p, lo, hi, step, spikes);
    });
  }
}

// Synapses between a ring cell's prefetch and its update (about the events
// that fit in a cache miss's latency).
constexpr std::uint64_t kPrefetchAhead = 16;

template <bool kAtomic>
void CpuBackend::deliver(const std::vector<std::uint32_t>& spikes, std::uint64_t step) {
  const std::uint64_t stride = net_.local.size() * 2;
  const std::uint32_t* target = net_.synapse_target.data();
  const physics::WeightFixed* weight = net_.synapse_weight.data();
  const std::uint16_t* delay = net_.synapse_delay_steps.data();
  physics::CurrentFixed* ring = ring_.data();
#pragma omp for schedule(dynamic, 2)
  for (std::size_t k = 0; k < spikes.size(); ++k) {
    const std::uint32_t source = spikes[k];
    const std::uint64_t end = net_.synapse_offset[source + 1];
    for (std::uint64_t j = net_.synapse_offset[source]; j < end; ++j) {
      // The ring cell of a synapse kPrefetchAhead further on is requested
      // now: the cells are scattered over the whole ring, and without it
      // every event waits for its cache miss in turn.
      if (j + kPrefetchAhead < end) {
        const std::uint64_t ahead = j + kPrefetchAhead;
        __builtin_prefetch(ring + ((step + delay[ahead]) & ring_mask_) * stride + 2 * target[ahead], 1);
      }
      const physics::WeightFixed w = weight[j];
      physics::CurrentFixed& cell =
          ring[((step + delay[j]) & ring_mask_) * stride + 2 * target[j] + (w < 0 ? 1 : 0)];
      if constexpr (kAtomic)
        std::atomic_ref<physics::CurrentFixed>(cell).fetch_add(w, std::memory_order_relaxed);
      else
        cell += w;
    }
  }
}

std::uint64_t CpuBackend::simulate(std::uint64_t n_steps, StepObserver& observer,
                                   const std::atomic<bool>* stop) {
  const NeuronRange local = net_.local;
  const std::uint64_t n = local.size();
  std::vector<std::vector<std::uint32_t>> thread_spikes(threads_);
  std::vector<std::uint32_t> spikes;
  std::vector<double> probe_values;
  std::uint64_t steps_done = 0;
  bool stopping = false;
  bool exchanged = false;             // over ranks: spikes came in for delivery this step
  std::exception_ptr exchange_error;  // kept: an exception must not leave the parallel region
#pragma omp parallel num_threads(threads_)
  {
    const int t = omp_get_thread_num();
    const int nt = omp_get_num_threads();
    const std::uint64_t begin = local.first + n * t / nt, end = local.first + n * (t + 1) / nt;
    const std::uint64_t first_step = next_step_;
    for (std::uint64_t step = first_step; step < first_step + n_steps; ++step) {
      thread_spikes[t].clear();
      update_range(begin, end, step, thread_spikes[t]);
#pragma omp barrier
#pragma omp single
      {
        // Contiguous ranges in thread order: the merged list is ascending.
        spikes.clear();
        for (const auto& part : thread_spikes) spikes.insert(spikes.end(), part.begin(), part.end());
        if (!exchange_) {
          observer.on_step(step, spikes);
          if (!probes_.empty()) {
            read_probes(probe_values);
            observer.on_state(step, probe_values);
          }
          steps_done = step + 1 - first_step;
          stopping = stop != nullptr && stop->load(std::memory_order_relaxed);
        } else {
          // Over ranks: the spikes of every rank arrive once per interval (and
          // at the end of the call); the stop is agreed in the exchange.
          exchange_->add_local(step, spikes);
          if (!probes_.empty()) {  // this rank's probes, read now: the state moves on before the exchange
            read_probes(probe_values);
            observer.on_state(step, probe_values);
          }
          exchanged = exchange_->due(step) || step + 1 == first_step + n_steps;
          if (exchanged) {
            try {
              stopping = exchange_->exchange(stop != nullptr && stop->load(std::memory_order_relaxed));
              for (std::size_t i = 0; i < exchange_->steps(); ++i) observer.on_step(exchange_->step(i), exchange_->spikes(i));
              steps_done = step + 1 - first_step;
            } catch (...) {
              exchange_error = std::current_exception();
              stopping = true;
              exchanged = false;
            }
          }
        }
      }
      if (!exchange_) {
        if (nt > 1)
          deliver<true>(spikes, step);
        else
          deliver<false>(spikes, step);
      } else if (exchanged) {
        for (std::size_t i = 0; i < exchange_->steps(); ++i) {
          if (nt > 1)
            deliver<true>(exchange_->spikes(i), exchange_->step(i));
          else
            deliver<false>(exchange_->spikes(i), exchange_->step(i));
        }
      }
      if (stopping) break;
    }
  }
  next_step_ += steps_done;
  if (exchange_error) std::rethrow_exception(exchange_error);
  return steps_done;
}

}  // namespace micromeso::micro
