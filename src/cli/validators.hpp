// Number checks for options, with messages a user can act on. CLI11's own
// PositiveNumber reports "not in range 0.000000 to 1.79769e+308" (the
// largest double written out), which says nothing useful.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include "micromeso/circuit_io.hpp"

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

// The circuit file's seed range: an integer in [0, 2^63 - 1]. CLI11 alone
// would turn -1 into 2^64 - 1 and clamp 99999999999999999999.
inline std::string check_seed(const std::string& text) {
  std::uint64_t value = 0;
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), last, value);
  if (error != std::errc() || end != last || text.empty() || value > std::uint64_t(INT64_MAX))
    return "expected an integer from 0 to 9223372036854775807 (as seed in a circuit file), got " + text;
  return {};
}

inline std::string check_duration(const std::string& text) {
  try {
    parse_duration_ms(text);
    return {};
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

inline std::string check_fraction(const std::string& text) {
  double value = 0.0;
  if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value))
    return "'" + text + "' is not a finite number";
  if (!(value > 0.0 && value <= 1.0)) return "expected a scaling in (0, 1], got " + text;
  return {};
}
}  // namespace detail

// A finite number > 0.
inline const CLI::Validator positive_number{
    [](std::string& text) { return detail::check_number(text, false); }, "POSITIVE"};
// A finite number >= 0.
inline const CLI::Validator non_negative_number{
    [](std::string& text) { return detail::check_number(text, true); }, "NONNEGATIVE"};

// An integer in [0, 2^63 - 1], as seed in a circuit file.
inline const CLI::Validator seed_value{[](std::string& text) { return detail::check_seed(text); }, "SEED"};
// A duration: 500ms, 10s, 250 (ms); finite and >= 0.
inline const CLI::Validator duration{[](std::string& text) { return detail::check_duration(text); }, "DURATION"};
// A scaling factor in (0, 1].
inline const CLI::Validator fraction{[](std::string& text) { return detail::check_fraction(text); }, "(0,1]"};
// A non-empty text (an empty --out would silently mean the default folder).
inline const CLI::Validator non_empty{
    [](std::string& text) { return text.empty() ? std::string("expected a folder name, got an empty string") : ""; },
    "NONEMPTY"};

}  // namespace micromeso::cli
