// `micromeso plot RUN_DIR`: figures by the project's matplotlib script
// (micromeso/plot.hpp).
#include "cli/commands.hpp"
#include "cli/validators.hpp"
#include "micromeso/plot.hpp"

namespace micromeso::cli {

void add_plot_options(CLI::App& app, PlotArgs& args) {
  app.add_option("run_dir", args.run_dir, "Folder of a finished run")->required();
  app.add_option("--trace", args.trace_ms, "Length of the activity traces in ms")->capture_default_str()->check(
      positive_number);
  app.footer(
      "Runs `micromeso analyze` first if RUN_DIR has no analysis.h5, then writes figures/activity.{png,svg} and\n"
      "figures/spectra.{png,svg}. Python: $MICROMESO_PYTHON, else /usr/bin/python3 (needs python3-matplotlib,\n"
      "python3-h5py). Scripts: $MICROMESO_SCRIPTS_DIR, else the installed or source-tree scripts/.");
}

int command_plot(const PlotArgs& args) {
  plot_run(args.run_dir, args.trace_ms);
  return 0;
}

}  // namespace micromeso::cli
