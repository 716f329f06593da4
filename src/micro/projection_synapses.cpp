#include "micro/projection_synapses.hpp"

#include <fmt/format.h>

#include "micro/network.hpp"
#include "micromeso/physics/fixed_point.hpp"

namespace micromeso::micro {

ProjectionSynapses projection_synapses(const Circuit& circuit, std::size_t index, int threads) {
  if (index >= circuit.projections.size())
    throw CircuitError(fmt::format("projection[{}]: the circuit has {} projections", index, circuit.projections.size()));
  // A projection's draws depend on its index (its random stream), not on the
  // others: the others emptied (no synapse), its synapses are the full circuit's.
  Circuit one = circuit;
  one.projections.resize(index + 1);
  for (std::size_t k = 0; k < index; ++k) {
    one.projections[k].rule = ConnectionRule::fixed_total_number;
    one.projections[k].n_synapses = 0;
  }
  one.multimeters.clear();
  const Network net = build_network(one, threads);
  const Projection& pr = circuit.projections[index];
  const std::size_t pre = static_cast<std::size_t>(circuit.population_index(pr.source));
  const std::size_t post = static_cast<std::size_t>(circuit.population_index(pr.target));
  const std::uint64_t pre_first = net.population_first[pre], post_first = net.population_first[post];
  ProjectionSynapses out;
  const std::uint64_t n = net.n_synapses();
  out.source.reserve(n);
  out.target.reserve(n);
  out.weight_pA.reserve(n);
  out.delay_ms.reserve(n);
  for (std::uint64_t s = 0; s < circuit.populations[pre].size; ++s)
    for (std::uint64_t j = net.synapse_offset[pre_first + s]; j < net.synapse_offset[pre_first + s + 1]; ++j) {
      out.source.push_back(static_cast<std::uint32_t>(s));
      out.target.push_back(static_cast<std::uint32_t>(net.synapse_target[j] - post_first));
      out.weight_pA.push_back(physics::fixed_to_pA(net.synapse_weight[j]));
      out.delay_ms.push_back(net.synapse_delay_steps[j] * circuit.simulation.dt_ms);
    }
  return out;
}

}  // namespace micromeso::micro
