// What the builder needs to know about each projection before drawing its
// synapses: populations, the draw parameters and the expected count.
#pragma once

#include <cstdint>
#include <vector>

#include "micromeso/circuit.hpp"
#include "micromeso/physics/synapse_draw.hpp"

namespace micromeso::micro {

struct ProjectionPlan {
  ConnectionRule rule;
  physics::SynapseDrawParams draw;
  std::size_t pre_population, post_population;
  std::uint64_t pre_first, post_first;  // global id of the first neuron
  std::uint64_t n_synapses;             // fixed_total_number
  std::uint32_t indegree;               // fixed_indegree
  std::uint32_t outdegree;              // fixed_outdegree
  bool allow_multapses;                 // fixed_indegree, fixed_outdegree: false draws without replacement
  double probability;                   // pairwise_bernoulli
  double log1m_probability;             // log(1 - probability)
  double expected_synapses;             // an upper bound for pairwise_bernoulli (mean + 6 sd)
};

// Global id of each population's first neuron; back() is the neuron count.
std::vector<std::uint64_t> population_first_ids(const Circuit& circuit);
std::vector<ProjectionPlan> plan_projections(const Circuit& circuit, const std::vector<std::uint64_t>& first);
std::uint32_t projection_max_delay_steps(const Projection& projection, double dt_ms);
// fixed_total_number: bytes of the per-source counts of the target blocks
// that meet targets [lo, hi) (total_number_blocks.hpp), a construction scratch.
std::uint64_t total_number_cell_bytes(const ProjectionPlan& plan, std::uint32_t lo, std::uint32_t hi);

}  // namespace micromeso::micro
