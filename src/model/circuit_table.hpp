// The circuit loader's entry for a TOML table already in memory: a parsed
// file, or one a front end built (the Python module's dicts), so that every
// source gets the same checks and messages. Nodes without a source position
// (built in memory) are named by `source_name` and their key path alone.
#pragma once

#include <string>

#include <toml++/toml.h>

#include "micromeso/circuit.hpp"

namespace micromeso::model {

// As parse_circuit_toml (circuit_io.hpp), from the document's root table.
Circuit parse_circuit_table(const toml::table& root, const std::string& source_name);

}  // namespace micromeso::model
