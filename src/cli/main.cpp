// micromeso command line: parses options, calls the library, prints.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "micro/mpi/communicator.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/errors.hpp"
#include "micromeso/version.hpp"

namespace {

// CLI11 reports a word that names no command as "A subcommand is required";
// this names the word and lists the commands. Empty when argv[1] is fine.
std::string unknown_command(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return "";
  std::string names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == argv[1]) return "";
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  return fmt::format("micromeso: unknown command '{}'; the commands are {} (micromeso --help)", argv[1], names);
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

  if (const std::string message = unknown_command(app, argc, argv); !message.empty()) {
    std::cerr << message << "\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message and returns its own code per kind of error
    // (105, 109, ...); docs/cli.md promises 2 for every invalid option.
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // 0: --help, --version
  }

  // Exit codes (docs/cli.md): 0 done, 2 invalid input (options, files, folders, a
  // device asked for that is absent), 1 any other failure, 128 + the signal
  // when interrupted (130 Ctrl-C, 143 SIGTERM).
  // Only the commands that simulate stop between steps; the others end at
  // the signal as any program does (with 128 + the signal, from the shell).
  const bool simulates = *run || *bench || *meso || *compare;
  const std::atomic<bool>* interrupt = simulates ? install_interrupt_handlers() : nullptr;
  // `run` may be one of several MPI ranks (mpirun): the ranks are known
  // first, so that every failure below can name its rank and stop them all.
  std::unique_ptr<micromeso::parallel::Communicator> world;
  if (*run) {
    try {
      world = micromeso::parallel::make_world_communicator();
    } catch (const std::exception& e) {
      std::cerr << "micromeso: error: " << e.what() << "\n";
      return 1;
    }
  }
  const bool ranks = world && world->size() > 1;
  // Prints the failure (naming the rank over several ranks) and ends this
  // process, or, over several ranks, every rank of the job (MPI_Abort): the
  // others may be waiting in a collective for this one.
  const auto fail = [&](int code, const std::string& text) {
    const std::string rank = ranks ? fmt::format("rank {} of {}: ", world->rank(), world->size()) : "";
    // One write: mpirun forwards each rank's stderr and would interleave its
    // own abort notice between the pieces of a line written piece by piece.
    const std::string line = "micromeso: " + rank + text + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
    if (ranks) world->abort(code);
    return code;
  };
  const auto command = [&]() -> int {
    if (*run) return command_run(run_args, interrupt, *world);
    if (*models) return command_models(models_args);
    if (*bench) return command_bench(bench_args, interrupt);
    if (*meso) return command_meso(meso_args, interrupt);
    if (*compare) return command_compare(compare_args, interrupt);
    if (*analyze) return command_analyze(analyze_args);
    if (*plot) return command_plot(plot_args);
    if (*devices) return command_devices(devices_args);
    return 0;
  };
  try {
    const int code = command();
    return code == kInterrupted ? interrupted_exit_code() : code;
  } catch (const micromeso::parallel::AgreedFailure& e) {
    // Every rank found it: rank 0 says it once, all exit alike.
    if (world->rank() == 0) std::fprintf(stderr, "micromeso: %s\n", e.what());
    return e.exit_code();
  } catch (const micromeso::Interrupted& e) {
    if (ranks) return fail(interrupted_exit_code(), fmt::format("stopped by {}: {}", interruption_name(), e.what()));
    std::cerr << "micromeso: stopped by " << interruption_name() << ": " << e.what() << "\n";
    return interrupted_exit_code();
  } catch (const micromeso::CircuitError& e) {
    return fail(2, std::string("invalid circuit: ") + e.what());
  } catch (const micromeso::InputError& e) {
    return fail(2, std::string("invalid input: ") + e.what());
  } catch (const std::invalid_argument& e) {
    return fail(2, std::string("invalid option: ") + e.what());
  } catch (const std::exception& e) {
    return fail(1, std::string("error: ") + e.what());
  }
}
