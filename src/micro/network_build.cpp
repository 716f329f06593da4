// CPU construction of the connectivity in two passes over the same
// counter-based draws: pass 1 counts synapses per source neuron, pass 2 writes
// each synapse at its source's cursor. Every thread handles the same items in
// both passes (static schedule), so the cursors need no atomics.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "micro/network.hpp"
#include "micromeso/physics/synapse_draw.hpp"

namespace micromeso::micro {
namespace {

using physics::SynapseDrawParams;

struct ProjectionPlan {
  ConnectionRule rule;
  SynapseDrawParams draw;
  std::uint64_t pre_first, post_first;
  std::uint64_t n_items;  // synapses (fixed_total_number) or targets (other rules)
  std::uint32_t indegree;
  double probability;
  double log1m_probability;
  double expected_synapses;
};

std::uint32_t projection_max_delay_steps(const Projection& pr, double dt_ms) {
  const double sd = pr.delay_ms * pr.delay_rel_sd;
  const double longest = pr.delay_ms + physics::kDelayTailSd * sd;
  const double steps = std::max(1.0, std::floor(longest / dt_ms + 0.5));
  if (steps > 65535.0)
    throw CircuitError(fmt::format(
        "projection {} -> {}: delay {} ms (+{} sd) is {} steps of dt = {} ms; at most 65535 steps "
        "are supported",
        pr.source, pr.target, pr.delay_ms, physics::kDelayTailSd, steps, dt_ms));
  return static_cast<std::uint32_t>(steps);
}

std::vector<ProjectionPlan> plan_projections(const Circuit& c,
                                             const std::vector<std::uint64_t>& first) {
  std::vector<ProjectionPlan> plans;
  for (std::size_t k = 0; k < c.projections.size(); ++k) {
    const Projection& pr = c.projections[k];
    const int src = c.population_index(pr.source);
    const int tgt = c.population_index(pr.target);
    if (src < 0 || tgt < 0)
      throw CircuitError(fmt::format("projection[{}]: unknown population '{}' or '{}'", k,
                                     pr.source, pr.target));
    const double w_sd = std::abs(pr.weight_pA) * pr.weight_rel_sd;
    if (std::abs(pr.weight_pA) + 10.0 * w_sd > physics::kMaxAbsWeightPA)
      throw CircuitError(fmt::format(
          "projection[{}] {} -> {}: weight {} pA (sd {} pA) exceeds the supported range of "
          "+-{:.0f} pA",
          k, pr.source, pr.target, pr.weight_pA, w_sd, physics::kMaxAbsWeightPA));
    ProjectionPlan p{};
    p.rule = pr.rule;
    p.pre_first = first[src];
    p.post_first = first[tgt];
    p.draw.seed = c.simulation.seed;
    p.draw.stream = physics::kStreamConnectivity | static_cast<std::uint32_t>(k);
    p.draw.n_pre = static_cast<std::uint32_t>(c.populations[src].size);
    p.draw.n_post = static_cast<std::uint32_t>(c.populations[tgt].size);
    p.draw.same_population = src == tgt;
    p.draw.allow_autapses = pr.allow_autapses;
    p.draw.weight_mean_pA = pr.weight_pA;
    p.draw.weight_sd_pA = w_sd;
    p.draw.weight_excitatory = pr.receptor == Receptor::excitatory;
    p.draw.weight_clip = pr.weight_sign == SignPolicy::clip;
    p.draw.delay_mean_ms = pr.delay_ms;
    p.draw.delay_sd_ms = pr.delay_ms * pr.delay_rel_sd;
    p.draw.dt_ms = c.simulation.dt_ms;
    p.draw.max_delay_steps = projection_max_delay_steps(pr, c.simulation.dt_ms);
    p.indegree = pr.indegree;
    p.probability = pr.probability;
    p.log1m_probability = std::log1p(-pr.probability);
    const double n_pre = p.draw.n_pre, n_post = p.draw.n_post;
    switch (pr.rule) {
      case ConnectionRule::fixed_total_number:
        p.n_items = pr.n_synapses;
        p.expected_synapses = static_cast<double>(pr.n_synapses);
        break;
      case ConnectionRule::fixed_indegree:
        p.n_items = p.draw.n_post;
        p.expected_synapses = n_post * pr.indegree;
        break;
      case ConnectionRule::pairwise_bernoulli: {
        p.n_items = p.draw.n_post;
        const double pairs = n_pre * n_post - (p.draw.same_population && !pr.allow_autapses ? n_post : 0.0);
        const double mean = pr.probability * pairs;
        // Room for 6 standard deviations of the binomial total.
        p.expected_synapses = mean + 6.0 * std::sqrt(mean * (1.0 - pr.probability)) + 1.0;
        break;
      }
    }
    plans.push_back(p);
  }
  return plans;
}

// Calls visit(pre_local, post_local, key) for every synapse of one item.
template <typename Visit>
void for_each_synapse(const ProjectionPlan& p, std::uint64_t item, Visit&& visit) {
  switch (p.rule) {
    case ConnectionRule::fixed_total_number: {
      const physics::PrePost pp = physics::draw_total_number_pair(p.draw, item);
      visit(pp.pre, pp.post, item);
      break;
    }
    case ConnectionRule::fixed_indegree: {
      const auto target = static_cast<std::uint32_t>(item);
      for (std::uint32_t j = 0; j < p.indegree; ++j) {
        const std::uint64_t key = item * p.indegree + j;
        visit(physics::draw_indegree_source(p.draw, target, key), target, key);
      }
      break;
    }
    case ConnectionRule::pairwise_bernoulli: {
      if (p.probability <= 0.0) break;
      physics::BernoulliWalk walk{&p.draw, p.log1m_probability, static_cast<std::uint32_t>(item)};
      std::uint64_t k = 0;
      for (std::uint64_t s; (s = physics::bernoulli_next_source(walk, p.probability)) < p.draw.n_pre; ++k)
        visit(static_cast<std::uint32_t>(s), walk.target, (item << 26) | k);
      break;
    }
  }
}

std::vector<std::uint64_t> population_first_ids(const Circuit& c) {
  std::vector<std::uint64_t> first{0};
  for (const Population& pop : c.populations) first.push_back(first.back() + pop.size);
  if (first.back() > 0xFFFFFFFFull)
    throw CircuitError(fmt::format("{} neurons in all: at most 2^32 - 1 are supported", first.back()));
  return first;
}

}  // namespace

std::uint64_t Network::connectivity_bytes() const {
  return synapse_offset.bytes() + synapse_target.bytes() + synapse_weight.bytes() +
         synapse_delay_steps.bytes();
}

std::size_t Network::population_of(std::uint64_t gid) const {
  const auto it = std::upper_bound(population_first.begin(), population_first.end(), gid);
  return static_cast<std::size_t>(it - population_first.begin()) - 1;
}

std::uint32_t max_delay_steps(const Circuit& circuit) {
  std::uint32_t longest = 1;
  for (const Projection& pr : circuit.projections)
    longest = std::max(longest, projection_max_delay_steps(pr, circuit.simulation.dt_ms));
  return longest;
}

MemoryEstimate estimate_cpu_memory(const Circuit& circuit, int threads) {
  const auto first = population_first_ids(circuit);
  const std::uint64_t n = first.back();
  MemoryEstimate e;
  double synapses = 0.0;
  for (const ProjectionPlan& p : plan_projections(circuit, first)) synapses += p.expected_synapses;
  e.expected_synapses = static_cast<std::uint64_t>(synapses);
  constexpr std::uint64_t bytes_per_synapse =
      sizeof(std::uint32_t) + sizeof(physics::WeightFixed) + sizeof(std::uint16_t);
  e.connectivity_bytes = e.expected_synapses * bytes_per_synapse + (n + 1) * sizeof(std::uint64_t);
  e.build_scratch_bytes = static_cast<std::uint64_t>(std::max(threads, 1)) * n * sizeof(std::uint64_t);
  std::uint64_t slots = 1;
  while (slots < max_delay_steps(circuit) + 1ull) slots *= 2;
  std::uint64_t adaptation = 0;
  for (const Population& pop : circuit.populations) adaptation += pop.size * pop.neuron.tau_sfa_ms.size();
  // neuron state (V, two currents, refractory count), ISI statistics, ring
  // buffers with two receptors, adaptation traces
  e.state_bytes = n * 32 + n * 32 + slots * n * 2 * sizeof(physics::CurrentFixed) + adaptation * 8;
  return e;
}

Network build_network(const Circuit& circuit, int threads, const ProgressFn& progress) {
  threads = std::max(threads, 1);
  Network net;
  net.population_first = population_first_ids(circuit);
  const std::uint64_t n = net.n_neurons();
  const std::vector<ProjectionPlan> plans = plan_projections(circuit, net.population_first);
  net.max_delay_steps = max_delay_steps(circuit);
  double total_work = 0.0, work_done = 0.0;
  for (const ProjectionPlan& p : plans) total_work += 2.0 * p.expected_synapses + 1.0;

  // cursor[t][s]: pass 1 counts, then the write position of thread t's next
  // synapse from source s.
  std::vector<std::vector<std::uint64_t>> cursor(threads, std::vector<std::uint64_t>(n, 0));
  const auto report = [&](const ProjectionPlan& p) {
    work_done += p.expected_synapses + 0.5;
    if (progress) progress(std::min(1.0, work_done / total_work));
  };

#pragma omp parallel num_threads(threads)
  {
    std::uint64_t* count = cursor[omp_get_thread_num()].data();
    for (const ProjectionPlan& p : plans) {
#pragma omp for schedule(static)
      for (std::uint64_t item = 0; item < p.n_items; ++item)
        for_each_synapse(p, item, [&](std::uint32_t pre, std::uint32_t, std::uint64_t) {
          ++count[p.pre_first + pre];
        });
#pragma omp master
      report(p);
    }
  }

  net.synapse_offset = RawArray<std::uint64_t>(n + 1);
  std::uint64_t total = 0;
  for (std::uint64_t s = 0; s < n; ++s) {
    net.synapse_offset[s] = total;
    for (int t = 0; t < threads; ++t) {
      const std::uint64_t c = cursor[t][s];
      cursor[t][s] = total;
      total += c;
    }
  }
  net.synapse_offset[n] = total;
  net.synapse_target = RawArray<std::uint32_t>(total);
  net.synapse_weight = RawArray<physics::WeightFixed>(total);
  net.synapse_delay_steps = RawArray<std::uint16_t>(total);

#pragma omp parallel num_threads(threads)
  {
    std::uint64_t* next = cursor[omp_get_thread_num()].data();
    for (const ProjectionPlan& p : plans) {
#pragma omp for schedule(static)
      for (std::uint64_t item = 0; item < p.n_items; ++item)
        for_each_synapse(p, item, [&](std::uint32_t pre, std::uint32_t post, std::uint64_t key) {
          const std::uint64_t at = next[p.pre_first + pre]++;
          const physics::SynapseValues v = physics::draw_synapse_values(p.draw, key);
          net.synapse_target[at] = static_cast<std::uint32_t>(p.post_first + post);
          net.synapse_weight[at] = v.weight;
          net.synapse_delay_steps[at] = v.delay_steps;
        });
#pragma omp master
      report(p);
    }
  }
  return net;
}

}  // namespace micromeso::micro
