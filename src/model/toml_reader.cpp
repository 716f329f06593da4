#include "model/toml_reader.hpp"

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

std::string value_text(const toml::node& n) {
  if (auto v = n.value<std::int64_t>(); v && n.is_integer()) return fmt::format("{}", *v);
  if (auto v = n.value<double>(); v && n.is_floating_point()) return fmt::format("{}", *v);
  if (auto v = n.value<std::string>()) return fmt::format("\"{}\"", *v);
  if (auto v = n.value<bool>()) return *v ? "true" : "false";
  return type_name(n);
}

}  // namespace

std::string position(const std::string& source_name, const toml::source_region& region) {
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

void TomlTableReader::fail_missing(const std::string& key, const std::string& expected) const {
  throw CircuitError(fmt::format("{}: {}: missing key; expected {}", position(source_, table_.source()),
                                 key_path(key), expected));
}

const toml::node* TomlTableReader::lookup(const std::string& key) {
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
