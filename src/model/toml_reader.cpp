#include "model/toml_reader.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace micromeso::model {
namespace {

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    default: return "a date or time";
  }
}

// The type is asked first: toml++'s value<int64_t>() of a float converts it,
// which is undefined for a float out of the integer range (found by the fuzzer).
std::string value_text(const toml::node& n) {
  if (n.is_integer()) return fmt::format("{}", *n.value<std::int64_t>());
  if (n.is_floating_point()) return fmt::format("{}", *n.value<double>());
  if (n.is_string()) return fmt::format("\"{}\"", *n.value<std::string>());
  if (n.is_boolean()) return *n.value<bool>() ? "true" : "false";
  return type_name(n);
}

}  // namespace

std::string position(const std::string& source_name, const toml::source_region& region) {
  // Tables built in memory (a Python dict) have no lines: the key path alone says where.
  if (region.begin.line == 0) return source_name;
  return fmt::format("{}:{}:{}", source_name, region.begin.line, region.begin.column);
}

TomlTableReader::TomlTableReader(const toml::table& table, std::string path, const std::string& source_name,
                                 Circuit& circuit)
    : table_(table), path_(std::move(path)), source_(source_name), circuit_(circuit) {
  if (!path_.empty()) circuit_.origins[path_] = position(source_, table_.source());
}

void TomlTableReader::fail_at(const toml::node& node, const std::string& key, const std::string& message) const {
  throw CircuitError(fmt::format("{}: {}: {}", position(source_, node.source()), key_path(key), message));
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

namespace {

// Close enough to be a misspelling: at most 2 edits, and fewer than a third
// of the longer word, so that "dt" is not taken for "tt".
bool is_misspelling(const std::string& typed, const std::string& known) {
  if (typed.size() > 64 || known.size() > 64) return false;  // keys are short; bounds the work
  const std::size_t d = edit_distance(typed, known);
  return d > 0 && d <= 2 && 3 * d <= std::max(typed.size(), known.size());
}

}  // namespace

std::string TomlTableReader::suggestion(const std::string& unknown) const {
  std::string best;
  std::size_t best_distance = 3;
  for (const std::string& known : asked_) {
    if (table_.contains(known) && used_.count(known)) continue;  // given as well: not what was meant
    if (!is_misspelling(unknown, known)) continue;
    const std::size_t d = edit_distance(unknown, known);
    if (d < best_distance) {
      best = known;
      best_distance = d;
    }
  }
  return best.empty() ? "" : fmt::format("; did you mean '{}'?", best);
}

void TomlTableReader::fail_missing(const std::string& key, const std::string& expected) const {
  // A missing key is often a misspelt one: report the key that was given.
  for (auto&& [given, value] : table_) {
    const std::string k(given.str());
    if (!used_.count(k) && is_misspelling(k, key))
      fail_at(value, k, fmt::format("unknown key; did you mean '{}'? ({} is missing: expected {})", key, key, expected));
  }
  throw CircuitError(fmt::format("{}: {}: missing key; expected {}", position(source_, table_.source()),
                                 key_path(key), expected));
}

const toml::node* TomlTableReader::lookup(const std::string& key) {
  asked_.insert(key);
  const toml::node* n = table_.get(key);
  if (!n) return nullptr;
  used_.insert(key);
  circuit_.origins[key_path(key)] = position(source_, n->source());
  return n;
}

const toml::node* TomlTableReader::node(const std::string& key) { return lookup(key); }

std::optional<double> TomlTableReader::number(const std::string& key, const char* unit) {
  const toml::node* n = lookup(key);
  if (!n) return std::nullopt;
  if (!n->is_number()) fail_at(*n, key, fmt::format("expected a number ({}), got {}", unit, value_text(*n)));
  const double v = *n->value<double>();
  if (!std::isfinite(v)) fail_at(*n, key, fmt::format("expected a finite number ({}), got {}", unit, v));
  return v;
}

double TomlTableReader::required_number(const std::string& key, const char* unit) {
  if (auto v = number(key, unit)) return *v;
  fail_missing(key, fmt::format("a number ({})", unit));
}

std::optional<std::int64_t> TomlTableReader::integer(const std::string& key, std::int64_t min, std::int64_t max) {
  const toml::node* n = lookup(key);
  if (!n) return std::nullopt;
  if (!n->is_integer()) fail_at(*n, key, fmt::format("expected an integer >= {}, got {}", min, value_text(*n)));
  const std::int64_t v = *n->value<std::int64_t>();
  if (v < min) fail_at(*n, key, fmt::format("expected an integer >= {}, got {}", min, v));
  if (v > max) fail_at(*n, key, fmt::format("expected an integer <= {}, got {}", max, v));
  return v;
}

std::optional<std::string> TomlTableReader::string(const std::string& key) {
  const toml::node* n = lookup(key);
  if (!n) return std::nullopt;
  if (!n->is_string()) fail_at(*n, key, fmt::format("expected a string, got {}", value_text(*n)));
  return *n->value<std::string>();
}

std::string TomlTableReader::required_string(const std::string& key) {
  if (auto v = string(key)) return *v;
  fail_missing(key, "a string");
}

std::optional<bool> TomlTableReader::boolean(const std::string& key) {
  const toml::node* n = lookup(key);
  if (!n) return std::nullopt;
  if (!n->is_boolean()) fail_at(*n, key, fmt::format("expected true or false, got {}", value_text(*n)));
  return *n->value<bool>();
}

std::optional<std::vector<double>> TomlTableReader::number_array(const std::string& key, const char* unit) {
  const toml::node* n = lookup(key);
  if (!n) return std::nullopt;
  const toml::array* a = n->as_array();
  if (!a) fail_at(*n, key, fmt::format("expected an array of numbers ({}), got {}", unit, value_text(*n)));
  std::vector<double> values;
  for (const toml::node& e : *a) {
    if (!e.is_number() || !std::isfinite(*e.value<double>()))
      fail_at(e, key, fmt::format("expected an array of finite numbers ({}), got an element {}", unit, value_text(e)));
    values.push_back(*e.value<double>());
  }
  return values;
}

std::optional<std::vector<std::string>> TomlTableReader::string_array(const std::string& key) {
  const toml::node* n = lookup(key);
  if (!n) return std::nullopt;
  const toml::array* a = n->as_array();
  if (!a) fail_at(*n, key, fmt::format("expected an array of strings, got {}", value_text(*n)));
  std::vector<std::string> values;
  for (const toml::node& e : *a) {
    if (!e.is_string()) fail_at(e, key, fmt::format("expected an array of strings, got an element {}", value_text(e)));
    values.push_back(*e.value<std::string>());
  }
  return values;
}

std::optional<std::vector<std::int64_t>> TomlTableReader::integer_array(const std::string& key, std::int64_t min,
                                                                         std::int64_t max) {
  const toml::node* n = lookup(key);
  if (!n) return std::nullopt;
  const toml::array* a = n->as_array();
  const auto expected = fmt::format("an array of integers in [{}, {}]", min, max);
  if (!a) fail_at(*n, key, fmt::format("expected {}, got {}", expected, value_text(*n)));
  std::vector<std::int64_t> values;
  for (const toml::node& e : *a) {
    if (!e.is_integer() || *e.value<std::int64_t>() < min || *e.value<std::int64_t>() > max)
      fail_at(e, key, fmt::format("expected {}, got an element {}", expected, value_text(e)));
    values.push_back(*e.value<std::int64_t>());
  }
  return values;
}

std::optional<std::vector<std::vector<double>>> TomlTableReader::number_arrays(const std::string& key,
                                                                              const char* unit) {
  const toml::node* n = lookup(key);
  if (!n) return std::nullopt;
  const toml::array* a = n->as_array();
  const auto expected = fmt::format("an array of numbers ({0}), or an array of such arrays", unit);
  if (!a) fail_at(*n, key, fmt::format("expected {}, got {}", expected, value_text(*n)));
  const auto numbers = [&](const toml::array& list) {
    std::vector<double> values;
    for (const toml::node& e : list) {
      if (!e.is_number() || !std::isfinite(*e.value<double>()))
        fail_at(e, key, fmt::format("expected {}, got an element {}", expected, value_text(e)));
      values.push_back(*e.value<double>());
    }
    return values;
  };
  if (a->empty() || !a->front().is_array()) return std::vector<std::vector<double>>{numbers(*a)};
  std::vector<std::vector<double>> lists;
  for (const toml::node& e : *a) {
    if (!e.is_array()) fail_at(e, key, fmt::format("expected {}, got an element {}", expected, value_text(e)));
    lists.push_back(numbers(*e.as_array()));
  }
  return lists;
}

const toml::table* TomlTableReader::inline_table(const std::string& key) {
  const toml::node* n = lookup(key);
  if (!n) return nullptr;
  if (!n->is_table()) fail_at(*n, key, fmt::format("expected a table, got {}", value_text(*n)));
  return n->as_table();
}

std::optional<std::string> TomlTableReader::choice(const std::string& key, const std::vector<std::string>& choices) {
  const toml::node* n = table_.get(key);
  auto v = string(key);
  if (!v) return std::nullopt;
  for (const std::string& c : choices)
    if (*v == c) return v;
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "\"" : ", \"") + c + "\"";
  fail_at(*n, key, fmt::format("expected one of {}, got \"{}\"", list, *v));
}

}  // namespace micromeso::model
