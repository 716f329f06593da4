// Number checks for options, with messages a user can act on. CLI11's own
// PositiveNumber reports "not in range 0.000000 to 1.79769e+308" (the
// largest double written out), which says nothing useful.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "micromeso/option_checks.hpp"

namespace micromeso::cli {

// The checks are the library's (micromeso/option_checks.hpp), shared with the Python module.
// A finite number > 0.
inline const CLI::Validator positive_number{
    [](std::string& text) { return check_number_text(text, false); }, "POSITIVE"};
// A finite number >= 0.
inline const CLI::Validator non_negative_number{
    [](std::string& text) { return check_number_text(text, true); }, "NONNEGATIVE"};

// An integer in [0, 2^63 - 1], as seed in a circuit file.
inline const CLI::Validator seed_value{[](std::string& text) { return check_seed_text(text); }, "SEED"};
// A duration: 500ms, 10s, 250 (ms); finite and >= 0.
inline const CLI::Validator duration{[](std::string& text) { return check_duration_text(text); }, "DURATION"};
// A scaling factor in (0, 1].
inline const CLI::Validator fraction{[](std::string& text) { return check_fraction_text(text); }, "(0,1]"};
// A non-empty text (an empty --out would silently mean the default folder).
inline const CLI::Validator non_empty{
    [](std::string& text) { return text.empty() ? std::string("expected a folder name, got an empty string") : ""; },
    "NONEMPTY"};

}  // namespace micromeso::cli
