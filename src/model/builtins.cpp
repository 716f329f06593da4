#include <functional>

#include <fmt/format.h>

#include "micromeso/circuit_io.hpp"
#include "model/builtins.hpp"

namespace micromeso {
namespace {

struct Builtin {
  const char* name;
  const char* description;
  std::function<Circuit(const BuiltinOptions&)> make;
};

const std::vector<Builtin>& registry() {
  static const std::vector<Builtin> builtins = {
      {"potjans2014",
       "Potjans & Diesmann (2014) cortical microcircuit: 8 populations, 77,169 iaf_psc_exp neurons, "
       "~3e8 synapses, Poisson background",
       model::potjans2014},
      {"potjans2014_thalamic",
       "potjans2014 with the thalamic pulse of NEST's microcircuit example: 902 thalamic neurons firing at "
       "120 Hz from 700 to 710 ms onto L4 and L6",
       model::potjans2014_thalamic},
      {"gif_single", "One population of 500 escape-noise gif_psc_exp neurons with adaptation (micro and meso)",
       model::gif_single},
      {"bistable_pair",
       "Two mutually inhibiting populations of 500 gif_psc_exp neurons that switch between two attractors "
       "through finite-size noise (micro and meso)",
       model::bistable_pair},
      {"schwalger2017_column",
       "Schwalger et al. (2017) cortical column: Potjans-Diesmann connectivity, 77,169 gif_psc_exp neurons with "
       "escape noise (micro and meso)",
       model::schwalger2017_column},
      {"schwalger2017_column_adapting",
       "The schwalger2017_column with threshold adaptation (tau 1 s, J 1 mV s) in its excitatory populations, "
       "drive raised to keep the rates (micro and meso)",
       model::schwalger2017_column_adapting},
  };
  return builtins;
}

std::string builtin_names() {
  std::string names;
  for (const Builtin& b : registry()) names += (names.empty() ? "" : ", ") + std::string(b.name);
  return names;
}

}  // namespace

std::vector<BuiltinInfo> list_builtin_circuits() {
  std::vector<BuiltinInfo> list;
  for (const Builtin& b : registry()) list.push_back({b.name, b.description});
  return list;
}

bool is_builtin_circuit(const std::string& name) {
  for (const Builtin& b : registry())
    if (name == b.name) return true;
  return false;
}

Circuit builtin_circuit(const std::string& name, const BuiltinOptions& options) {
  for (const Builtin& b : registry())
    if (name == b.name) {
      if (!(options.scale > 0.0 && options.scale <= 1.0))
        throw CircuitError(fmt::format("--scale {}: the neuron-number scaling must be in (0, 1]", options.scale));
      if (!(options.k_scale > 0.0 && options.k_scale <= 1.0))
        throw CircuitError(fmt::format("--k-scale {}: the in-degree scaling must be in (0, 1]", options.k_scale));
      Circuit c = b.make(options);
      validate_circuit(c);
      return c;
    }
  throw CircuitError(fmt::format("'{}' is not a built-in circuit (built-ins: {})", name, builtin_names()));
}

}  // namespace micromeso
