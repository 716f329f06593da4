// Command-line values over the circuit file, circuit lookup by name or path,
// and durations such as "10s".
#include <charconv>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "micromeso/circuit_io.hpp"

namespace micromeso {

double parse_duration_ms(const std::string& text) {
  const auto bad = [&](const char* why) {
    return std::invalid_argument(fmt::format("'{}': {}; expected a duration such as 500ms, 10s or 250 (ms)", text, why));
  };
  // std::from_chars: decimal only, independent of the locale.
  double value = 0.0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(first, last, value, std::chars_format::general);
  if (error != std::errc() || end == first) throw bad("not a number");
  const std::size_t used = static_cast<std::size_t>(end - first);
  std::string unit = text.substr(used);
  unit.erase(0, unit.find_first_not_of(' '));
  double factor;
  if (unit.empty() || unit == "ms") factor = 1.0;
  else if (unit == "s") factor = 1000.0;
  else throw bad("unknown unit");
  if (!std::isfinite(value)) throw bad("not finite");
  if (value < 0.0) throw bad("negative");
  return value * factor;
}

void apply_overrides(Circuit& c, const SimulationOverrides& o) {
  const auto set = [&](auto& field, const auto& value, const char* key, const char* option) {
    if (!value) return;
    field = *value;
    c.origins[key] = fmt::format("command line option {}", option);
  };
  set(c.simulation.dt_ms, o.dt_ms, "simulation.dt", "--dt");
  set(c.simulation.t_sim_ms, o.t_sim_ms, "simulation.t_sim", "--t");
  set(c.simulation.t_presim_ms, o.t_presim_ms, "simulation.t_presim", "--presim");
  set(c.simulation.seed, o.seed, "simulation.seed", "--seed");
  set(c.simulation.record.spikes, o.record_spikes, "simulation.record_spikes", "--no-spikes");
  set(c.simulation.record.activity_bin_ms, o.activity_bin_ms, "simulation.activity_bin", "--activity-bin");
}

Circuit resolve_circuit(const std::string& name_or_path, const BuiltinOptions& options, bool scaling_given) {
  if (is_builtin_circuit(name_or_path)) return builtin_circuit(name_or_path, options);
  const std::filesystem::path path(name_or_path);
  if (path.extension() == ".toml" || std::filesystem::exists(path)) {
    if (scaling_given)
      throw CircuitError(fmt::format("{}: --scale and --k-scale apply to built-in circuits only; edit the file instead",
                                     name_or_path));
    if (!std::filesystem::exists(path)) throw CircuitError(fmt::format("{}: cannot open: no such file", name_or_path));
    return load_circuit_file(path);
  }
  std::string names;
  for (const BuiltinInfo& b : list_builtin_circuits()) names += (names.empty() ? "" : ", ") + b.name;
  throw CircuitError(fmt::format("{}: neither a built-in circuit ({}) nor a circuit file", name_or_path, names));
}

}  // namespace micromeso
