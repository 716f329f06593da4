#include "micro/network_plan.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "micro/network.hpp"
#include "micromeso/physics/total_number_blocks.hpp"
#include "model/origins.hpp"

namespace micromeso::micro {

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

std::uint64_t total_number_cell_bytes(const ProjectionPlan& p, std::uint32_t lo, std::uint32_t hi) {
  if (lo >= hi) return 0;
  const std::uint64_t blocks = physics::total_number_blocks(hi) - lo / physics::kTotalNumberBlockTargets;
  return blocks * p.draw.n_pre * sizeof(std::uint32_t);
}

std::vector<std::uint64_t> population_first_ids(const Circuit& c) {
  std::vector<std::uint64_t> first{0};
  for (const Population& pop : c.populations) first.push_back(first.back() + pop.size);
  if (first.back() > 0xFFFFFFFFull)
    throw CircuitError(fmt::format("{} neurons in all: at most 2^32 - 1 are supported", first.back()));
  return first;
}

std::vector<ProjectionPlan> plan_projections(const Circuit& c, const std::vector<std::uint64_t>& first) {
  // The synapse key holds the k-th synapse of an anchor neuron in 26 bits.
  constexpr double kMaxPerAnchor = double(1ull << physics::kAnchorShift);
  std::vector<ProjectionPlan> plans;
  for (std::size_t k = 0; k < c.projections.size(); ++k) {
    const Projection& pr = c.projections[k];
    const int src = c.population_index(pr.source);
    const int tgt = c.population_index(pr.target);
    if (src < 0 || tgt < 0)
      throw CircuitError(fmt::format("projection[{}]: unknown population '{}' or '{}'", k, pr.source, pr.target));
    const double w_sd = std::abs(pr.weight_pA) * pr.weight_rel_sd;
    if (std::abs(pr.weight_pA) + 10.0 * w_sd > physics::kMaxAbsWeightPA)
      throw CircuitError(fmt::format(
          "{}: projection[{}].weight ({} -> {}): {} pA (sd {} pA); expected mean + 10 sd within +-{:.0f} pA",
          model::origin_of(c, fmt::format("projection[{}].weight", k)), k, pr.source, pr.target, pr.weight_pA,
          w_sd, physics::kMaxAbsWeightPA));
    ProjectionPlan p{};
    p.rule = pr.rule;
    p.pre_population = static_cast<std::size_t>(src);
    p.post_population = static_cast<std::size_t>(tgt);
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
    p.n_synapses = pr.n_synapses;
    p.indegree = pr.indegree;
    p.outdegree = pr.outdegree;
    p.allow_multapses = pr.allow_multapses;
    p.probability = pr.probability;
    p.log1m_probability = std::log1p(-pr.probability);
    const double n_pre = p.draw.n_pre, n_post = p.draw.n_post;
    double per_anchor = 0.0;  // mean synapses per anchor neuron
    switch (pr.rule) {
      case ConnectionRule::fixed_total_number:
        p.expected_synapses = static_cast<double>(pr.n_synapses);
        per_anchor = p.expected_synapses / n_pre;
        break;
      case ConnectionRule::fixed_indegree:
        p.expected_synapses = n_post * pr.indegree;
        per_anchor = pr.indegree;
        break;
      case ConnectionRule::fixed_outdegree:
        p.expected_synapses = n_pre * pr.outdegree;
        per_anchor = pr.outdegree;
        break;
      case ConnectionRule::one_to_one:
        p.expected_synapses = n_pre;
        per_anchor = 1.0;
        break;
      case ConnectionRule::pairwise_bernoulli: {
        const double pairs = n_pre * n_post - (p.draw.same_population && !pr.allow_autapses ? n_post : 0.0);
        const double mean = pr.probability * pairs;
        p.expected_synapses = mean + 6.0 * std::sqrt(mean * (1.0 - pr.probability)) + 1.0;
        per_anchor = n_post;
        break;
      }
    }
    // Out-degrees fluctuate around the mean; half the key range leaves room.
    if (per_anchor > 0.5 * kMaxPerAnchor) {
      // pairwise_bernoulli: the out-degree is the target population's size.
      const char* count_key = pr.rule == ConnectionRule::fixed_total_number ? "n_synapses"
                              : pr.rule == ConnectionRule::fixed_indegree   ? "indegree"
                              : pr.rule == ConnectionRule::fixed_outdegree  ? "outdegree"
                                                                            : "target";
      const std::string key = fmt::format("projection[{}].{}", k, count_key);
      throw CircuitError(fmt::format(
          "{}: {} ({} -> {}): about {:.0f} synapses per {} neuron; expected at most {:.0f} (a "
          "neuron's synapses are numbered in {} bits)",
          model::origin_of(c, key), key, pr.source, pr.target, per_anchor,
          pr.rule == ConnectionRule::fixed_indegree ? "target" : "source", 0.5 * kMaxPerAnchor,
          physics::kAnchorShift));
    }
    plans.push_back(p);
  }
  return plans;
}

}  // namespace micromeso::micro
