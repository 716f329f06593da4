#include "micromeso/option_checks.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

#include "micromeso/circuit_io.hpp"

namespace micromeso {
namespace {

// The whole text as a double (as CLI11's lexical_cast: strtod, all of it used).
bool parse_double(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

}  // namespace

double number_of_text(const std::string& text) {
  double value = 0.0;
  if (!parse_double(text, value)) throw std::invalid_argument("'" + text + "' is not a number");
  return value;
}

std::string check_number_text(const std::string& text, bool zero_allowed) {
  double value = 0.0;
  if (!parse_double(text, value) || !std::isfinite(value)) return "'" + text + "' is not a finite number";
  if (value < 0.0 || (value == 0.0 && !zero_allowed))
    return "must be " + std::string(zero_allowed ? "zero or positive" : "positive") + ", got " + text;
  return {};
}

std::string check_seed_text(const std::string& text) {
  std::uint64_t value = 0;
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), last, value);
  if (error != std::errc() || end != last || text.empty() || value > std::uint64_t(INT64_MAX))
    return "expected an integer from 0 to 9223372036854775807 (as seed in a circuit file), got " + text;
  return {};
}

std::string check_duration_text(const std::string& text) {
  try {
    parse_duration_ms(text);
    return {};
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

std::string check_fraction_text(const std::string& text) {
  double value = 0.0;
  if (!parse_double(text, value) || !std::isfinite(value)) return "'" + text + "' is not a finite number";
  if (!(value > 0.0 && value <= 1.0)) return "expected a scaling in (0, 1], got " + text;
  return {};
}

}  // namespace micromeso
