// Reading one TOML table of a circuit file with position-aware errors:
// every value is looked up by key, checked for type and range, and its
// position recorded in Circuit::origins; keys never looked up are reported
// as unknown by finish().
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "micromeso/circuit.hpp"

namespace micromeso::model {

std::string position(const std::string& source_name, const toml::source_region& region);

class TomlTableReader {
 public:
  // `path` is the key prefix in messages ("population[2]"; "" at top level).
  TomlTableReader(const toml::table& table, std::string path, const std::string& source_name, Circuit& circuit);

  bool has(const std::string& key) const { return table_.contains(key); }
  [[noreturn]] void fail_at(const toml::node& node, const std::string& key, const std::string& message) const;
  [[noreturn]] void fail_missing(const std::string& key, const std::string& expected) const;

  std::optional<double> number(const std::string& key, const char* unit);
  double number(const std::string& key, const char* unit, double fallback) {
    return number(key, unit).value_or(fallback);
  }
  double required_number(const std::string& key, const char* unit);
  // Integers within [min, max].
  std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max);
  std::optional<std::string> string(const std::string& key);
  std::string required_string(const std::string& key);
  std::optional<bool> boolean(const std::string& key);
  std::optional<std::vector<double>> number_array(const std::string& key, const char* unit);
  std::optional<std::vector<std::string>> string_array(const std::string& key);
  // Integers within [min, max].
  std::optional<std::vector<std::int64_t>> integer_array(const std::string& key, std::int64_t min, std::int64_t max);
  // An array of numbers (one list) or an array of such arrays (several).
  std::optional<std::vector<std::vector<double>>> number_arrays(const std::string& key, const char* unit);
  const toml::table* inline_table(const std::string& key);
  // One of `choices`, or nullopt when absent.
  std::optional<std::string> choice(const std::string& key, const std::vector<std::string>& choices);

  // A table value or a number (V_m): returns the node, marked used, or null.
  const toml::node* node(const std::string& key);
  std::string key_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const std::string& source_name() const { return source_; }

  // Throws for the first key that was never read; `explain(key)` may give a
  // more helpful message (e.g. a parameter of another neuron model).
  // An unknown key that is a misspelling of a key this table was asked for
  // ("wieght") is reported with that key suggested.
  template <typename Explain>
  void finish(Explain explain) const {
    for (auto&& [key, value] : table_) {
      const std::string k(key.str());
      if (used_.count(k)) continue;
      const std::string why = explain(k);
      if (!why.empty() && why.rfind("unknown key", 0) != 0) fail_at(value, k, why);
      fail_at(value, k, (why.empty() ? std::string("unknown key") : why) + suggestion(k));
    }
  }
  void finish() const {
    finish([](const std::string&) { return std::string(); });
  }

 private:
  const toml::node* lookup(const std::string& key);
  // "; did you mean 'weight'?" for the asked key closest to `unknown`, or "".
  std::string suggestion(const std::string& unknown) const;

  const toml::table& table_;
  std::string path_;
  const std::string& source_;
  Circuit& circuit_;
  std::set<std::string> used_;
  std::set<std::string> asked_;  // every key looked up, present or not
};

// Edit distance counting a swap of neighbours as one edit (optimal string
// alignment): "wieght" is 1 from "weight".
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace micromeso::model
