#include "micro/state_probes.hpp"

#include <stdexcept>

namespace micromeso::micro {

int state_variable_of(const std::string& name) {
  for (int v = 0; v < physics::kStateVariables; ++v)
    if (name == physics::state_variable_name(v)) return v;
  throw std::invalid_argument("unknown state variable " + name);
}

std::vector<physics::StateProbe> make_state_probes(const Circuit& c, const std::vector<PopulationSetup>& setups,
                                                   NeuronRange local) {
  std::vector<physics::StateProbe> probes;
  for (const Multimeter& m : c.multimeters) {
    const auto p = static_cast<std::uint32_t>(c.population_index(m.population));
    const PopulationSetup& pop = setups.at(p);
    for (const std::string& name : m.record_from) {
      const int v = state_variable_of(name);
      const bool potential = v == physics::kVm || v == physics::kEsfa;
      for (std::uint64_t index : m.neurons)
        if (local.contains(pop.first + index))
          probes.push_back({static_cast<std::uint32_t>(pop.first + index), p, v, potential ? pop.E_L_mV() : 0.0});
    }
  }
  return probes;
}

}  // namespace micromeso::micro
