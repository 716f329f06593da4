#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/validators.hpp"

namespace micromeso::cli {

void add_models_options(CLI::App& app, ModelsArgs& args) {
  auto* show = app.add_subcommand("show", "Print a built-in circuit as a TOML file to copy and edit");
  show->add_option("name", args.show, "Built-in circuit name")->required();
  show->add_option("--scale", args.scale, "Neuron-number scaling, in (0, 1]")->capture_default_str()->check(fraction);
  show->add_option("--k-scale", args.k_scale, "In-degree scaling, in (0, 1]")->capture_default_str()->check(fraction);
  app.footer("Example: micromeso models show potjans2014 --scale 0.1 > my_circuit.toml");
}

int command_models(const ModelsArgs& args) {
  if (!args.show.empty()) {
    if (!is_builtin_circuit(args.show))
      throw std::invalid_argument(fmt::format("models show: '{}' is not a built-in circuit (see `micromeso models`)",
                                              args.show));
    fmt::print("{}", circuit_to_toml(builtin_circuit(args.show, BuiltinOptions{args.scale, args.k_scale})));
    return 0;
  }
  fmt::print("{:<24} {}\n", "name", "description");
  for (const BuiltinInfo& b : list_builtin_circuits()) fmt::print("{:<24} {}\n", b.name, b.description);
  return 0;
}

}  // namespace micromeso::cli
