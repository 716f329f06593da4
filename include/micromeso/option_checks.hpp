// Checks of option values as front ends receive them, as text (the command
// line; the Python module passes str() of its arguments), with messages a
// user can act on. Each returns an empty string when the text is fine, else
// what is wrong; the caller prefixes the option's name.
#pragma once

#include <string>

namespace micromeso {

// A finite number > 0 (zero_allowed: >= 0).
std::string check_number_text(const std::string& text, bool zero_allowed);
// A seed as in a circuit file: an integer in [0, 2^63 - 1].
std::string check_seed_text(const std::string& text);
// A duration: 500ms, 10s, 250 (ms); finite and >= 0 (parse_duration_ms).
std::string check_duration_text(const std::string& text);
// A scaling factor in (0, 1].
std::string check_fraction_text(const std::string& text);

// The number a checked text holds (strtod: what the command line's parser uses).
double number_of_text(const std::string& text);

}  // namespace micromeso
