// A circuit copied N times and coupled sparsely: the weak-scaling benchmark
// of the engine over MPI ranks (one Potjans-Diesmann-sized network per rank).
// Not a model of anything: each copy keeps its own recurrent connectivity, and
// each projection gets a copy with kReplicaCoupling of its synapses from
// replica k to replica k + 1 (mod N), so the spikes of every replica matter to
// another one and the exchange carries real traffic.
#include <cmath>

#include <fmt/format.h>

#include "micromeso/circuit_io.hpp"

namespace micromeso {

Circuit replicate_circuit(const Circuit& c, int replicas) {
  if (replicas < 1 || replicas > 4096)
    throw CircuitError(fmt::format("--replicas {}: expected 1 to 4096", replicas));
  if (replicas == 1) return c;
  Circuit out;
  out.name = fmt::format("{}_x{}", c.name, replicas);
  out.description = fmt::format("{} replicas of {}, coupled sparsely (--replicas)", replicas, c.name);
  out.simulation = c.simulation;
  // Messages about a replica name its key in the original circuit's terms.
  if (const auto origin = c.origins.find(""); origin != c.origins.end()) out.origins[""] = origin->second;
  const auto name = [](const std::string& population, int k) { return fmt::format("{}_{}", population, k); };
  for (int k = 0; k < replicas; ++k)
    for (Population p : c.populations) {
      p.name = name(p.name, k);
      out.populations.push_back(std::move(p));
    }
  for (int k = 0; k < replicas; ++k)
    for (Projection pr : c.projections) {
      pr.source = name(pr.source, k);
      pr.target = name(pr.target, k);
      out.projections.push_back(std::move(pr));
    }
  for (int k = 0; k < replicas; ++k)
    for (Projection pr : c.projections) {
      const int next = (k + 1) % replicas;
      pr.source = name(pr.source, k);
      pr.target = name(pr.target, next);
      pr.allow_autapses = true;  // never the same population
      switch (pr.rule) {
        case ConnectionRule::fixed_total_number:
          pr.n_synapses = static_cast<std::uint64_t>(std::llround(pr.n_synapses * kReplicaCoupling));
          if (pr.n_synapses == 0) continue;
          break;
        case ConnectionRule::fixed_indegree:
          pr.indegree = static_cast<std::uint32_t>(std::llround(pr.indegree * kReplicaCoupling));
          if (pr.indegree == 0) continue;
          break;
        case ConnectionRule::pairwise_bernoulli: pr.probability *= kReplicaCoupling; break;
        case ConnectionRule::fixed_outdegree:
          pr.outdegree = static_cast<std::uint32_t>(std::llround(pr.outdegree * kReplicaCoupling));
          if (pr.outdegree == 0) continue;
          break;
        case ConnectionRule::one_to_one: continue;  // one synapse per neuron: no fraction of it to copy
      }
      out.projections.push_back(std::move(pr));
    }
  for (Multimeter m : c.multimeters) {  // recorded in the first replica
    m.population = name(m.population, 0);
    out.multimeters.push_back(std::move(m));
  }
  validate_circuit(out);
  return out;
}

}  // namespace micromeso
