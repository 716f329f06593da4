// Reading, checking, writing and overriding circuits; the built-in circuits.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "micromeso/circuit.hpp"

namespace micromeso {

// Parses a circuit TOML document. `source_name` is used in messages
// ("my.toml:12:5: population[1].size: expected ..."). Unknown keys, missing
// keys, wrong types and out-of-range values throw CircuitError. The result is
// validated (validate_circuit) before it is returned.
Circuit parse_circuit_toml(std::string_view text, const std::string& source_name);
Circuit load_circuit_file(const std::filesystem::path& file);

// Semantic checks on a complete circuit (also after command-line overrides):
// sizes, probabilities, populations named by projections, dt against delays
// and refractory periods, ... Throws CircuitError naming key and origin.
void validate_circuit(const Circuit& circuit);

// Serialises a circuit as a TOML file that parse_circuit_toml reads back to
// an equal circuit, with a comment giving the unit of every value.
std::string circuit_to_toml(const Circuit& circuit);

struct BuiltinOptions {
  double scale = 1.0;    // neuron-number scaling N_scaling
  double k_scale = 1.0;  // in-degree scaling K_scaling
};

struct BuiltinInfo {
  std::string name;
  std::string description;
};

std::vector<BuiltinInfo> list_builtin_circuits();
bool is_builtin_circuit(const std::string& name);
// Throws CircuitError for an unknown name or a scale outside (0, 1].
Circuit builtin_circuit(const std::string& name, const BuiltinOptions& options = {});

// Command-line values that replace those of the circuit file; the origins of
// the replaced keys become "command line option --x".
struct SimulationOverrides {
  std::optional<double> dt_ms;
  std::optional<double> t_sim_ms;
  std::optional<double> t_presim_ms;
  std::optional<std::uint64_t> seed;
  std::optional<bool> record_spikes;
  std::optional<double> activity_bin_ms;
};
void apply_overrides(Circuit& circuit, const SimulationOverrides& overrides);

// A built-in name or a path to a .toml file; scaling options are refused for
// files (they belong to the built-in generators). Result is validated.
Circuit resolve_circuit(const std::string& name_or_path, const BuiltinOptions& options,
                        bool scaling_given);

// `replicas` copies of the circuit (populations named NAME_0, NAME_1, ...),
// each with the circuit's projections, plus a copy of every projection from
// replica k to replica k + 1 (mod replicas) with kReplicaCoupling of its
// synapses (its in-degree or probability): the weak-scaling benchmark over
// MPI ranks (`run --replicas`). 1 returns the circuit. Validated.
inline constexpr double kReplicaCoupling = 0.01;
Circuit replicate_circuit(const Circuit& circuit, int replicas);

// "10s", "500ms", "250" (ms), "1.5 s" -> milliseconds; throws
// std::invalid_argument with a message naming the text.
double parse_duration_ms(const std::string& text);

}  // namespace micromeso
