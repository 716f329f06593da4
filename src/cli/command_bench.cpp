#include <stdexcept>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/validators.hpp"
#include "micromeso/bench.hpp"

namespace micromeso::cli {

void add_bench_options(CLI::App& app, BenchArgs& args) {
  add_simulation_options(app, args.sim, "potjans2014");
  app.add_option("--scales", args.scales,
                 "Sweep of neuron-number scalings of a built-in, e.g. --scales 0.1 0.25 0.5 1")
      ->check(fraction);
  app.add_option("--engine", args.engine, "micro (the spiking network) or meso (the population equations, one core)")
      ->check(CLI::IsMember({"micro", "meso"}))
      ->capture_default_str();
  add_meso_model_options(app, args.meso);
  app.footer(
      "Example: micromeso bench potjans2014 --t 1s --out bench/results/my-machine\n"
      "Writes bench.json (machine, commit, and every run's summary) in the output folder.");
}

int command_bench(const BenchArgs& args, const std::atomic<bool>* interrupt) {
  BenchOptions options;
  const SimulationArgs& a = args.sim;
  if (!args.scales.empty() && a.scale)
    throw std::invalid_argument("give either --scale or --scales, not both");
  options.scales = !args.scales.empty() ? args.scales : std::vector<double>{a.scale.value_or(1.0)};
  options.k_scale = a.k_scale.value_or(1.0);
  options.overrides = overrides_of(a);
  options.run = run_options_of(a, interrupt);
  options.engine = args.engine;
  if (args.engine == "micro" && args.meso.any_given())
    throw std::invalid_argument(
        "--noise, --exact-history, --input-noise and --paper-free-pool apply to --engine meso only");
  apply_meso_model_options(args.meso, options.meso);
  const BenchReport report = run_bench(a.circuit, options);
  const std::string gpu = report.gpu_name.empty() ? "" : fmt::format(", GPU {} (CUDA driver {}, runtime {})",
                                                                         report.gpu_name, report.cuda_driver,
                                                                         report.cuda_runtime);
  fmt::print("{} ({} engine) on {} ({} cores){}, commit {}\n", report.circuit, report.engine, report.cpu_model,
             report.cpu_cores, gpu, report.commit);
  fmt::print("{:>6} {:>9} {:>12} {:>10} {:>10} {:>8} {:>10} {:>10} {:>10}\n", "scale", "neurons", "synapses",
             "build (s)", "sim (s)", "RTF", "events/s", "bytes/syn", "peak GiB");
  for (const BenchRecord& r : report.records)
    fmt::print("{:>6} {:>9} {:>12} {:>10.2f} {:>10.2f} {:>8.3f} {:>10.3g} {:>10.2f} {:>10.2f}\n", r.scale,
               r.run.neurons, r.run.synapses, r.run.build_time_s, r.run.sim_time_s, r.run.real_time_factor,
               synaptic_events_per_wall_s(r.run), r.run.bytes_per_synapse, r.run.peak_rss_bytes / 1073741824.0);
  if (!report.records.empty() && !report.records.back().run.complete) {
    fmt::print(stderr, "micromeso: stopped by {}; {} holds only unfinished '.part' files and no bench.json\n",
               interruption_name(), report.records.back().run.out_dir.string());
    return kInterrupted;
  }
  return 0;
}

}  // namespace micromeso::cli
