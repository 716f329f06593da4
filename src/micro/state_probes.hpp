// The values the circuit's multimeters record, one StateProbe each, in the
// order the recorder reads them back: multimeter after multimeter, within one
// variable after variable, within one its neurons in the listed order. Every
// backend reads its probes with physics::read_state_variable after each step.
// Over ranks each rank reads only the probes of its own neurons (`local`), in
// the same order (StateRecorder keeps the matching columns).
#pragma once

#include <vector>

#include "micro/network.hpp"
#include "micro/population_setup.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/physics/state_readout.hpp"

namespace micromeso::micro {

std::vector<physics::StateProbe> make_state_probes(const Circuit& circuit, const std::vector<PopulationSetup>& setups,
                                                   NeuronRange local);

// The variable code of a NEST name (validate_circuit has checked it).
int state_variable_of(const std::string& name);

}  // namespace micromeso::micro
