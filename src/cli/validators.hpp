// Number checks for options, with messages a user can act on. CLI11's own
// PositiveNumber reports "not in range 0.000000 to 1.79769e+308" (the
// largest double written out), which says nothing useful.
#pragma once

#include <cmath>
#include <string>

#include <CLI/CLI.hpp>

namespace micromeso::cli {

namespace detail {
// The parsed value, or an error naming what was given.
inline std::string check_number(const std::string& text, bool zero_allowed) {
  double value = 0.0;
  if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value))
    return "'" + text + "' is not a finite number";
  if (value < 0.0 || (value == 0.0 && !zero_allowed))
    return "must be " + std::string(zero_allowed ? "zero or positive" : "positive") + ", got " + text;
  return {};
}
}  // namespace detail

// A finite number > 0.
inline const CLI::Validator positive_number{
    [](std::string& text) { return detail::check_number(text, false); }, "POSITIVE"};
// A finite number >= 0.
inline const CLI::Validator non_negative_number{
    [](std::string& text) { return detail::check_number(text, true); }, "NONNEGATIVE"};

}  // namespace micromeso::cli
