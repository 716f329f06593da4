// micromeso command line: parses options, calls the library, prints.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/version.hpp"

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) {
  g_interrupted.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the program at once
}

}  // namespace

int main(int argc, char** argv) {
  using namespace micromeso::cli;
  CLI::App app{
      "micromeso: spiking cortical circuits, simulated neuron by neuron (micro) and as "
      "finite-size population equations (meso)."};
  app.set_version_flag("--version", fmt::format("micromeso {} ({})", micromeso::kVersion,
                                                micromeso::kGitCommit));
  app.require_subcommand(1);
  app.fallthrough();

  RunArgs run_args;
  auto* run = app.add_subcommand("run", "Simulate a circuit neuron by neuron (the microscopic engine)");
  add_run_options(*run, run_args);

  ModelsArgs models_args;
  auto* models = app.add_subcommand("models", "List the built-in circuits, or print one as TOML");
  add_models_options(*models, models_args);

  BenchArgs bench_args;
  auto* bench = app.add_subcommand("bench", "Measure build time, real-time factor and memory per synapse");
  add_bench_options(*bench, bench_args);

  MesoArgs meso_args;
  auto* meso = app.add_subcommand("meso", "Simulate a circuit as finite-size population equations (Schwalger 2017)");
  add_meso_options(*meso, meso_args);

  CompareArgs compare_args;
  auto* compare = app.add_subcommand("compare", "Micro vs meso on one circuit: rates, variances, spectra, figure");
  add_compare_options(*compare, compare_args);

  AnalyzeArgs analyze_args;
  auto* analyze = app.add_subcommand("analyze", "Rates, CV, Fano factor and power spectra of a finished run");
  add_analyze_options(*analyze, analyze_args);

  PlotArgs plot_args;
  auto* plot = app.add_subcommand("plot", "Figures of a finished run: activity traces and power spectra");
  add_plot_options(*plot, plot_args);

  DevicesArgs devices_args;
  auto* devices = app.add_subcommand("devices", "List the CUDA devices, or say why there are none");
  add_devices_options(*devices, devices_args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message and returns its own code per kind of error
    // (105, 109, ...); the README promises 2 for every invalid option.
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // 0: --help, --version
  }

  std::signal(SIGINT, on_sigint);
  try {
    if (*run) return command_run(run_args, &g_interrupted);
    if (*models) return command_models(models_args);
    if (*bench) return command_bench(bench_args, &g_interrupted);
    if (*meso) return command_meso(meso_args, &g_interrupted);
    if (*compare) return command_compare(compare_args, &g_interrupted);
    if (*analyze) return command_analyze(analyze_args);
    if (*plot) return command_plot(plot_args);
    if (*devices) return command_devices(devices_args);
  } catch (const micromeso::CircuitError& e) {
    std::cerr << "micromeso: invalid circuit: " << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "micromeso: invalid option: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "micromeso: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
