#include "micro/cpu/cpu_backend.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>

#include "micromeso/physics/fixed_point.hpp"
#include "micromeso/physics/gif_psc_exp.hpp"
#include "micromeso/physics/iaf_psc_exp.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::micro {

CpuBackend::CpuBackend(const Circuit& circuit, Network network, int threads)
    : net_(std::move(network)),
      threads_(std::max(threads, 1)),
      estimate_(estimate_cpu_memory(circuit, threads_)),
      seed_(circuit.simulation.seed),
      dt_ms_(circuit.simulation.dt_ms),
      pops_(make_population_setups(circuit)) {
  const std::uint64_t n = net_.n_neurons();
  std::uint64_t slots = 1;
  while (slots < net_.max_delay_steps + 1ull) slots *= 2;
  ring_mask_ = slots - 1;
  ring_.assign(slots * n * 2, 0);
  state_.resize(n);
  theta_.resize(pops_.size());
  for (std::size_t p = 0; p < pops_.size(); ++p) {
    const PopulationSetup& pop = pops_[p];
    theta_[p].assign(pop.size * pop.n_sfa(), 0.0);
    for (std::uint64_t i = 0; i < pop.size; ++i) {
      const auto gid = static_cast<std::uint32_t>(pop.first + i);
      const double v = physics::initial_potential_mV(pop.v_init, seed_, gid);
      state_[gid] = physics::MembraneState{v - pop.E_L_mV, 0.0, 0.0, 0};
    }
  }
}

double CpuBackend::membrane_potential_mV(std::uint64_t gid) const {
  return state_[gid].V_rel_mV + pops_[net_.population_of(gid)].E_L_mV;
}

void CpuBackend::update_range(std::uint64_t begin, std::uint64_t end, std::uint64_t step,
                              std::vector<std::uint32_t>& spikes) {
  const std::uint64_t n = net_.n_neurons();
  physics::CurrentFixed* slot = ring_.data() + (step & ring_mask_) * n * 2;
  for (std::size_t p = 0; p < pops_.size(); ++p) {
    const PopulationSetup& pop = pops_[p];
    const std::uint64_t lo = std::max(begin, pop.first), hi = std::min(end, pop.first + pop.size);
    if (lo >= hi) continue;
    const physics::GifConstants gif = pop.gif();
    for (std::uint64_t gid = lo; gid < hi; ++gid) {
      physics::CurrentFixed in_ex = slot[2 * gid], in_in = slot[2 * gid + 1];
      slot[2 * gid] = slot[2 * gid + 1] = 0;
      if (pop.poisson.chunks != 0) {
        const std::uint32_t k =
            physics::poisson_count(pop.poisson, seed_, static_cast<std::uint32_t>(gid), step);
        (pop.poisson_weight >= 0 ? in_ex : in_in) +=
            static_cast<physics::CurrentFixed>(k) * pop.poisson_weight;
      }
      const double ex_pA = physics::fixed_to_pA(in_ex), in_pA = physics::fixed_to_pA(in_in);
      bool spiked;
      if (pop.model == NeuronModel::iaf_psc_exp) {
        spiked = physics::iaf_psc_exp_step(state_[gid], pop.iaf, ex_pA, in_pA);
      } else {
        const auto local = static_cast<long>(gid - pop.first);
        const double u = physics::uniform_open(
            physics::philox4x32_10(seed_, physics::kStreamEscape, static_cast<std::uint32_t>(gid), step).v[0]);
        spiked = physics::gif_psc_exp_step(state_[gid], theta_[p].data() + local,
                                           static_cast<long>(pop.size), gif, ex_pA, in_pA, u, dt_ms_);
      }
      if (spiked) spikes.push_back(static_cast<std::uint32_t>(gid));
    }
  }
}

template <bool kAtomic>
void CpuBackend::deliver(const std::vector<std::uint32_t>& spikes, std::uint64_t step) {
  const std::uint64_t stride = net_.n_neurons() * 2;
  const std::uint32_t* target = net_.synapse_target.data();
  const physics::WeightFixed* weight = net_.synapse_weight.data();
  const std::uint16_t* delay = net_.synapse_delay_steps.data();
  physics::CurrentFixed* ring = ring_.data();
#pragma omp for schedule(dynamic, 2)
  for (std::size_t k = 0; k < spikes.size(); ++k) {
    const std::uint32_t source = spikes[k];
    const std::uint64_t end = net_.synapse_offset[source + 1];
    for (std::uint64_t j = net_.synapse_offset[source]; j < end; ++j) {
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
  const std::uint64_t n = net_.n_neurons();
  std::vector<std::vector<std::uint32_t>> thread_spikes(threads_);
  std::vector<std::uint32_t> spikes;
  std::uint64_t steps_done = 0;
  bool stopping = false;
#pragma omp parallel num_threads(threads_)
  {
    const int t = omp_get_thread_num();
    const int nt = omp_get_num_threads();
    const std::uint64_t begin = n * t / nt, end = n * (t + 1) / nt;
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
        observer.on_step(step, spikes);
        steps_done = step + 1 - first_step;
        stopping = stop != nullptr && stop->load(std::memory_order_relaxed);
      }
      if (nt > 1)
        deliver<true>(spikes, step);
      else
        deliver<false>(spikes, step);
      if (stopping) break;
    }
  }
  next_step_ += steps_done;
  return steps_done;
}

}  // namespace micromeso::micro
