// Where a circuit key came from, for error messages: its own entry in
// Circuit::origins ("file.toml:12:5", "command line option --dt"), else the
// enclosing table's ("population[2]"), else the circuit's ("" entry), else
// the circuit's name.
#pragma once

#include <string>

#include "micromeso/circuit.hpp"

namespace micromeso::model {

inline std::string origin_of(const Circuit& c, const std::string& key) {
  if (auto it = c.origins.find(key); it != c.origins.end()) return it->second;
  const auto dot = key.rfind('.');
  if (dot != std::string::npos) {
    if (auto it = c.origins.find(key.substr(0, dot)); it != c.origins.end()) return it->second;
  }
  if (auto it = c.origins.find(""); it != c.origins.end()) return it->second;
  return "circuit '" + c.name + "'";
}

}  // namespace micromeso::model
