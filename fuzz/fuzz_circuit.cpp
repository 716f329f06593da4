// libFuzzer target for the circuit-file loader: any input either parses into
// a valid circuit or is refused with a CircuitError (file, line, key, what
// was expected). Any other exception, a crash or a sanitizer report is a bug.
// A circuit that parses is written back as TOML, which must parse again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "micromeso/circuit_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  micromeso::Circuit circuit;
  try {
    circuit = micromeso::parse_circuit_toml(text, "fuzz.toml");
  } catch (const micromeso::CircuitError&) {
    return 0;  // refused with a message: the expected outcome for most inputs
  }
  const std::string written = micromeso::circuit_to_toml(circuit);
  micromeso::parse_circuit_toml(written, "written.toml");  // throws (a finding) if the round trip breaks
  return 0;
}
