// `micromeso plot RUN_DIR`: figures by the project's matplotlib script; the
// HDF5 files stay the interface, so any tool can plot them instead.
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/validators.hpp"
#include "micromeso/analyze_run.hpp"

namespace micromeso::cli {
namespace fs = std::filesystem;

void add_plot_options(CLI::App& app, PlotArgs& args) {
  app.add_option("run_dir", args.run_dir, "Folder of a finished run")->required();
  app.add_option("--trace", args.trace_ms, "Length of the activity traces in ms")->capture_default_str()->check(
      positive_number);
  app.footer(
      "Runs `micromeso analyze` first if RUN_DIR has no analysis.h5, then writes figures/activity.{png,svg} and\n"
      "figures/spectra.{png,svg}. Python: $MICROMESO_PYTHON, else /usr/bin/python3 (needs python3-matplotlib,\n"
      "python3-h5py).");
}

int command_plot(const PlotArgs& args) {
  const fs::path dir = args.run_dir;
  if (!fs::exists(dir / "analysis.h5")) write_run_analysis(analyze_run(dir, AnalyzeOptions{}));
  const char* env = std::getenv("MICROMESO_PYTHON");
  const std::string python = env ? env : (fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
  const fs::path script = fs::path(MICROMESO_SOURCE_DIR) / "scripts" / "plot_run.py";
  if (!fs::exists(script))
    throw std::runtime_error(fmt::format("plotting script {} not found (run micromeso from its build tree)",
                                         script.string()));
  const std::string command = fmt::format("'{}' '{}' '{}' --trace-ms {}", python, script.string(), dir.string(),
                                          args.trace_ms);
  const int status = std::system(command.c_str());
  if (status != 0)
    throw std::runtime_error(fmt::format("plotting failed (exit status {}): {}", status, command));
  return 0;
}

}  // namespace micromeso::cli
