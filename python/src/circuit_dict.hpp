// A circuit given as Python dicts and lists, in the circuit file's layout
// (docs/circuit-file.md, "Circuit file reference"): {"name": ..., "simulation": {...},
// "population": [{...}, ...], "projection": [...], "multimeter": [...]}.
// It becomes the TOML table the file would parse to and goes through the
// same loader (model::parse_circuit_table), so the same checks and messages
// apply; messages name "Python dict" and the key path.
#pragma once

#include <pybind11/pybind11.h>

#include "micromeso/circuit.hpp"

namespace micromeso::python {

// Throws CircuitError for a value TOML cannot hold (None, an object) naming its key path.
Circuit circuit_from_dict(const pybind11::dict& dict);

}  // namespace micromeso::python
