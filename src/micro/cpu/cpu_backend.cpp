#include "micro/cpu/cpu_backend.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>

#include "micromeso/physics/fixed_point.hpp"
#include "micro/cpu/philox_batch.hpp"
#include "micro/state_probes.hpp"
#include "micromeso/physics/neuron_models.hpp"
#include "micromeso/physics/poisson.hpp"

namespace micromeso::micro {

CpuBackend::CpuBackend(const Circuit& circuit, Network network, int threads, std::unique_ptr<SpikeExchange> exchange)
    : net_(std::move(network)),
      threads_(std::max(threads, 1)),
      estimate_(estimate_cpu_memory(circuit, threads_, net_.local)),
      seed_(circuit.simulation.seed),
      dt_ms_(circuit.simulation.dt_ms),
      pops_(make_population_setups(circuit)) {
  const std::uint64_t n = net_.n_neurons();
  // The longest delay plus one slot (not a power of two: 76 slots instead of
  // 128 for Potjans-Diesmann, so 40 % less memory for the random additions).
  // The dense ring is made only if the event lists would outgrow it.
  ring_slots_ = net_.max_delay_steps + 1ull;
  input_slot_.assign(net_.local.size() * 2, 0);
  // An event (8 bytes) per ring cell (8 bytes): the events take at most the
  // memory of the dense ring; the lists' spare capacity (a vector keeps the
  // room of its longest use) adds about as much again (memory.cpp counts
  // both, and the ring beside the lists while they move into it). Half of
  // this limit measured too tight: Potjans-Diesmann at scale 0.25 has bursts
  // with 0.47 events in flight per ring cell.
  list_limit_events_ = ring_slots_ * net_.local.size() * 2;
  recent_events_.assign(ring_slots_, 0);
  state_.resize(n);
  aux_.resize(pops_.size());
  for (std::size_t p = 0; p < pops_.size(); ++p) initial_states(pops_[p], seed_, state_.data() + pops_[p].first, aux_[p]);
  probes_ = make_state_probes(circuit, pops_, net_.local);
  exchange_ = std::move(exchange);
  philox_path();  // an unknown MICROMESO_PHILOX_VECTOR is refused here, not inside the threads
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
  physics::CurrentFixed* slot = input_cells(step);
  double* aux = aux_[p].data();
  const auto stride = static_cast<long>(pop.size);
  // One Poisson block serves four neighbouring neurons (physics/poisson.hpp);
  // the first chunk's blocks of up to kPhiloxBatch groups of four are drawn
  // at once, several per vector instruction (philox_batch.hpp).
  PhiloxWords words;
  std::uint64_t batch_first = 0, batch_groups = 0;  // groups [batch_first, batch_first + batch_groups) in words
  const std::uint64_t last_group = (hi - 1) >> 2;
  // The counter of chunk 0 in this step, as physics::poisson_block sets it.
  const std::uint64_t counter = step * physics::kPoissonBlocks;
  const std::uint64_t local_first = net_.local.first;  // the ring holds the local neurons
  for (std::uint64_t gid = lo; gid < hi; ++gid) {
    physics::CurrentFixed* cell = slot + 2 * (gid - local_first);
    physics::CurrentFixed in_ex = cell[0], in_in = cell[1];
    cell[0] = cell[1] = 0;
    if (pop.poisson.chunks != 0) {
      const std::uint64_t group = gid >> 2;
      if (group - batch_first >= batch_groups) {
        batch_first = group;
        batch_groups = std::min<std::uint64_t>(kPhiloxBatch, last_group + 1 - group);
        philox_blocks(seed_, physics::kStreamPoisson, static_cast<std::uint32_t>(group), counter, batch_groups, words);
      }
      const std::uint32_t k = physics::poisson_count_from(pop.poisson, words[gid & 3][group - batch_first], seed_,
                                                          static_cast<std::uint32_t>(gid), step);
      (pop.poisson_weight >= 0 ? in_ex : in_in) += static_cast<physics::CurrentFixed>(k) * pop.poisson_weight;
    }
    const auto g = static_cast<std::uint32_t>(gid);
    if (physics::step_neuron<Kind>(c, state_[gid], aux + (gid - pop.first), stride, physics::fixed_to_pA(in_ex),
                                   physics::fixed_to_pA(in_in), seed_, g, step, dt_ms_))
      spikes.push_back(g);
  }
}

physics::CurrentFixed* CpuBackend::input_cells(std::uint64_t step) {
  if (lists_mode_) return input_slot_.data();
  return ring_.data() + (step % ring_slots_) * net_.local.size() * 2;
}

void CpuBackend::update_range(int t, std::uint64_t begin, std::uint64_t end, std::uint64_t step,
                              std::vector<std::uint32_t>& spikes) {
  if (lists_mode_) {
    // The events arriving now onto this thread's neurons, from every writer,
    // into the dense slot of those neurons (in the core's cache).
    physics::CurrentFixed* cells = input_slot_.data();
    const std::uint64_t slot = step % ring_slots_;
    for (int w = 0; w < events_.threads(); ++w) {
      std::vector<PendingEvent>& list = events_.list(slot, t, w);
      for (const PendingEvent& e : list) cells[receptor_cell(e.target, e.weight)] += e.weight;
      list.clear();
    }
  }
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

namespace {

// What a delivery reads and writes: the synapse arrays and the ring, whose
// slot for an event `delay` steps after `now` wraps around (1 <= delay < slots).
struct DeliveryView {
  std::uint64_t stride;  // a ring slot: two receptors per local neuron
  const std::uint32_t* target;
  const physics::WeightFixed* weight;
  const std::uint16_t* delay;
  const std::uint64_t* offset;
  physics::CurrentFixed* ring;
  std::uint64_t slots, now;

  std::uint64_t slot_of(std::uint64_t d) const {
    const std::uint64_t s = now + d;
    return s >= slots ? s - slots : s;
  }
  // The ring cell of synapse j's event (excitatory or inhibitory receptor by its sign).
  std::uint64_t cell_of(std::uint64_t j) const {
    return slot_of(delay[j]) * stride + receptor_cell(target[j], weight[j]);
  }
};

DeliveryView delivery_view(const Network& net, physics::CurrentFixed* ring, std::uint64_t slots, std::uint64_t step) {
  return DeliveryView{net.local.size() * 2,        net.synapse_target.data(), net.synapse_weight.data(),
                      net.synapse_delay_steps.data(), net.synapse_offset.data(),  ring,
                      slots,                          step % slots};
}

}  // namespace

// Event lists (the usual case): each thread appends the events of its share
// of the spikes to its own lists, by arrival slot and owner of the target;
// sequential writes, no atomics. The dense ring (after the lists would have
// outgrown it): one thread adds the events in order, each ring cell requested kPrefetchAhead
// events before its addition (the cells are scattered over the whole ring,
// and without it every event waits for its cache miss in turn). Several
// threads: the spikes shared out, each event added atomically (relaxed: the
// barrier after delivery orders them before the next update reads the ring).
// Giving each thread the targets of its own blocks of neurons instead (plain
// additions, but every thread reads every event) measured 9 % slower on
// full-scale Potjans-Diesmann with 2 threads (docs/performance.md).
void CpuBackend::deliver(const std::vector<std::uint32_t>& spikes, std::uint64_t step, int t, int nt) {
  const DeliveryView v = delivery_view(net_, ring_.data(), ring_slots_, step);
  if (lists_mode_) {
#pragma omp for schedule(dynamic, 2) nowait
    for (std::size_t k = 0; k < spikes.size(); ++k) {
      const std::uint32_t source = spikes[k];
      const std::uint64_t end = v.offset[source + 1];
      for (std::uint64_t j = v.offset[source]; j < end; ++j) {
        const std::uint32_t target = v.target[j];
        events_.list(v.slot_of(v.delay[j]), events_.owner_of(target), t).push_back({target, v.weight[j]});
      }
    }
    return;
  }
  if (nt == 1) {
    for (const std::uint32_t source : spikes) {
      const std::uint64_t end = v.offset[source + 1];
      for (std::uint64_t j = v.offset[source]; j < end; ++j) {
        if (j + kPrefetchAhead < end) __builtin_prefetch(v.ring + v.cell_of(j + kPrefetchAhead), 1);
        v.ring[v.cell_of(j)] += v.weight[j];
      }
    }
    return;
  }
#pragma omp for schedule(dynamic, 2) nowait
  for (std::size_t k = 0; k < spikes.size(); ++k) {
    const std::uint32_t source = spikes[k];
    const std::uint64_t end = v.offset[source + 1];
    for (std::uint64_t j = v.offset[source]; j < end; ++j) {
      if (j + kPrefetchAhead < end) __builtin_prefetch(v.ring + v.cell_of(j + kPrefetchAhead), 1);
      std::atomic_ref<physics::CurrentFixed>(v.ring[v.cell_of(j)]).fetch_add(v.weight[j], std::memory_order_relaxed);
    }
  }
}

void CpuBackend::switch_to_ring() {
  if (!lists_mode_) return;
  const std::uint64_t stride = net_.local.size() * 2;
  ring_ = HugePageBuffer<physics::CurrentFixed>(ring_slots_ * stride);
  for (std::uint64_t slot = 0; slot < ring_slots_; ++slot)
    for (int owner = 0; owner < events_.threads(); ++owner)
      for (int w = 0; w < events_.threads(); ++w)
        for (const PendingEvent& e : events_.list(slot, owner, w))
          ring_.data()[slot * stride + receptor_cell(e.target, e.weight)] += e.weight;
  events_.release();
  lists_mode_ = false;
}

void CpuBackend::switch_to_lists(int threads) {
  if (lists_mode_) return;
  const std::uint64_t stride = net_.local.size() * 2;
  events_ = PendingEvents(ring_slots_, threads, net_.local.size());
  // The slot just updated is zero: its cells were cleared as they were read.
  for (std::uint64_t slot = 0; slot < ring_slots_; ++slot) {
    const physics::CurrentFixed* cells = ring_.data() + slot * stride;
    for (std::uint64_t c = 0; c < stride; ++c)
      if (cells[c] != 0) {
        // An excitatory cell sums weights >= 0, an inhibitory one weights < 0:
        // the sum's sign keeps the receptor (receptor_cell). A sum beyond one
        // weight's range goes as several events of that sign.
        const auto target = static_cast<std::uint32_t>(c / 2);
        std::vector<PendingEvent>& list = events_.list(slot, events_.owner_of(target), 0);
        for (physics::CurrentFixed rest = cells[c]; rest != 0;) {
          const physics::CurrentFixed part =
              std::clamp<physics::CurrentFixed>(rest, std::numeric_limits<physics::WeightFixed>::min(),
                                                std::numeric_limits<physics::WeightFixed>::max());
          list.push_back(PendingEvent{target, static_cast<physics::WeightFixed>(part)});
          rest -= part;
        }
      }
  }
  ring_ = HugePageBuffer<physics::CurrentFixed>();
  lists_mode_ = true;
}

void CpuBackend::prepare_lists(int threads) {
  if (!lists_mode_ || events_.threads() == threads) return;
  if (events_.threads() == 0 || events_.size() == 0) {
    events_ = PendingEvents(ring_slots_, threads, net_.local.size());
  } else {
    switch_to_ring();  // another thread count than the events were kept for (a rare case)
  }
}

std::uint64_t CpuBackend::events_of(const std::vector<std::uint32_t>& spikes) const {
  std::uint64_t events = 0;
  for (const std::uint32_t source : spikes) events += net_.synapse_offset[source + 1] - net_.synapse_offset[source];
  return events;
}

void CpuBackend::make_room(std::uint64_t step, std::uint64_t events, int threads) {
  // The window of the last ring_slots_ steps moves on to `step`.
  const std::uint64_t gone = std::min<std::uint64_t>(step - recent_events_step_, ring_slots_);
  for (std::uint64_t i = 1; i <= gone; ++i) {
    std::uint64_t& slot = recent_events_[(recent_events_step_ + i) % ring_slots_];
    recent_events_sum_ -= slot;
    slot = 0;
  }
  recent_events_step_ = std::max(recent_events_step_, step);
  recent_events_[step % ring_slots_] += events;
  recent_events_sum_ += events;
  if (lists_mode_) {
    if (events_.size() + events > list_limit_events_) switch_to_ring();
  } else if (recent_events_sum_ < list_limit_events_ / 4) {  // a quarter: no switching back and forth
    switch_to_lists(threads);
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
#pragma omp single
    prepare_lists(nt);
    // Whole blocks of neurons per thread, as the event lists' owners hold them.
    const std::uint64_t begin = local.first + PendingEvents::owned_begin(n, nt, t),
                        end = local.first + PendingEvents::owned_begin(n, nt, t + 1);
    const std::uint64_t first_step = next_step_;
    for (std::uint64_t step = first_step; step < first_step + n_steps; ++step) {
      thread_spikes[t].clear();
      update_range(t, begin, end, step, thread_spikes[t]);
#pragma omp barrier
#pragma omp single
      {
        // Contiguous ranges in thread order: the merged list is ascending.
        spikes.clear();
        for (const auto& part : thread_spikes) spikes.insert(spikes.end(), part.begin(), part.end());
        if (!exchange_) {
          observer.on_step(step, spikes);
          make_room(step, events_of(spikes), nt);
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
              std::uint64_t events = 0;
              for (std::size_t i = 0; i < exchange_->steps(); ++i) {
                observer.on_step(exchange_->step(i), exchange_->spikes(i));
                events += events_of(exchange_->spikes(i));
              }
              make_room(step, events, nt);
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
        deliver(spikes, step, t, nt);
      } else if (exchanged) {
        for (std::size_t i = 0; i < exchange_->steps(); ++i)
          deliver(exchange_->spikes(i), exchange_->step(i), t, nt);
      }
      // Every event is in the ring before any thread reads it (the next
      // update), and the merged list is no longer read when it is rebuilt.
#pragma omp barrier
      if (stopping) break;
    }
  }
  next_step_ += steps_done;
  if (exchange_error) std::rethrow_exception(exchange_error);
  return steps_done;
}

}  // namespace micromeso::micro
