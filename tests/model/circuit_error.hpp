// The message of the CircuitError a circuit text is refused with, or "" when
// it is accepted: for the tests that feed bad circuit files.
#pragma once

#include <string>

#include "micromeso/circuit_io.hpp"

namespace micromeso::testing {

inline std::string circuit_error_of(const std::string& text, const std::string& source_name) {
  try {
    parse_circuit_toml(text, source_name);
  } catch (const CircuitError& e) {
    return e.what();
  }
  return "";
}

}  // namespace micromeso::testing
