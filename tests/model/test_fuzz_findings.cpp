// Inputs the circuit-file fuzzer (scripts/fuzz.sh) found: each must be
// refused with a CircuitError naming the file and position, never a crash or
// another exception.
#include <gtest/gtest.h>

#include <string>

#include "micromeso/circuit_io.hpp"

namespace {

struct Finding {
  std::string name;
  std::string text;
  std::string message;  // part of the expected message
};

void PrintTo(const Finding& f, std::ostream* os) { *os << ::testing::PrintToString(f.text.substr(0, 60)); }

class FuzzFinding : public ::testing::TestWithParam<Finding> {};

TEST_P(FuzzFinding, IsRefusedWithAPosition) {
  try {
    micromeso::parse_circuit_toml(GetParam().text, "found.toml");
    FAIL() << "accepted";
  } catch (const micromeso::CircuitError& e) {
    EXPECT_NE(std::string(e.what()).find("found.toml:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(GetParam().message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Found, FuzzFinding,
    ::testing::Values(
        // toml++ 3.3.0 enters parse_key with a '.' or '[' first (an assertion
        // in its debug build); its release build reports a syntax error.
        Finding{"table_header_dot", "[.", "found.toml:1:2: TOML syntax error"},
        Finding{"triple_bracket_header", "[[[1]]]", "found.toml:1:3: TOML syntax error"},
        // U+0139 outside a string: toml++ 3.3.0's whitespace table reaches
        // TOML_UNREACHABLE in its sanitized build; its release build refuses it.
        Finding{"letter_outside_a_string", "\xc4\xb9", "found.toml:1:1: TOML syntax error"},
        Finding{"letter_as_a_key", "name = \"x\"\n\xc4\xb9 = 1\n", "found.toml:2:1: TOML syntax error"},
        // A float out of the integer range where a boolean is expected: the
        // message's value text converted it to an integer (undefined behaviour).
        Finding{"huge_float_for_a_boolean", "name = \"x\"\n[simulation]\nrecord_spikes = -1e308\n",
                "found.toml:3:17: simulation.record_spikes"}),
    [](const ::testing::TestParamInfo<Finding>& info) { return info.param.name; });

}  // namespace
