#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/validators.hpp"
#include "micromeso/compare.hpp"
#include "micromeso/plot.hpp"

namespace micromeso::cli {

void add_compare_options(CLI::App& app, CompareArgs& args) {
  add_simulation_options(app, args.sim, "");
  add_meso_model_options(app, args.meso);
  app.add_option("--bin", args.analyze.bin_ms,
                 "Activity bin of the spectra in ms, a multiple of the recorded bin (default: the multiple "
                 "nearest 1 ms)")
      ->check(positive_number);
  app.add_option("--segment", args.analyze.segment_ms, "Welch segment in ms (default: 1000, or a quarter of the run)")
      ->check(positive_number);
  app.add_flag("--no-plot", args.no_plot, "Skip the figure");
  app.footer(
      "Runs the spiking network (OUT/micro) and the population equations (OUT/meso) on the same circuit, analyses\n"
      "both alike, writes OUT/compare.json and OUT/figures/compare.{png,svg}.\n"
      "Example: micromeso compare bistable_pair --t 20s --out runs/pair");
}

int command_compare(const CompareArgs& args, const std::atomic<bool>* interrupt) {
  const SimulationArgs& a = args.sim;
  const bool scaling = a.scale.has_value() || a.k_scale.has_value();
  Circuit circuit = resolve_circuit(a.circuit, BuiltinOptions{a.scale.value_or(1.0), a.k_scale.value_or(1.0)},
                                    scaling);
  apply_overrides(circuit, overrides_of(a));
  validate_circuit(circuit);
  CompareOptions o;
  o.micro = run_options_of(a, interrupt);
  apply_meso_model_options(args.meso, o.meso);
  o.meso.progress = o.micro.progress;
  o.meso.interrupt = interrupt;
  o.analyze = args.analyze;
  o.out_dir = a.out;
  const Comparison c = compare_micro_meso(circuit, o);
  fmt::print("{}: micro (spiking network) vs meso (population equations), {} ms in bins of {} ms\n", circuit.name,
             c.micro.duration_ms, c.micro.bin_ms);
  fmt::print("{:<12} {:>11} {:>11} {:>8} {:>13} {:>13} {:>10} {:>10}\n", "population", "micro (Hz)", "meso (Hz)",
             "diff", "var micro", "var meso", "LSD (dB)", "null (dB)");
  for (const PopulationComparison& p : c.populations)
    fmt::print("{:<12} {:>11.3f} {:>11.3f} {:>7.1f}% {:>13.4g} {:>13.4g} {:>10.2f} {:>10.2f}\n", p.name,
               p.rate_micro_hz, p.rate_meso_hz, 100.0 * p.rate_relative_difference, p.variance_micro_hz2,
               p.variance_meso_hz2, p.spectral_distance.lsd_db, p.spectral_distance.null_lsd_db);
  fmt::print(
      "LSD: log-spectral distance of the activity spectra over {} to {} Hz; null: its expected value if both "
      "estimated the same spectrum.\n",
      c.micro.band_low_hz, c.micro.band_high_hz);
  const auto mean_dwell = [](const analysis::DwellTimes& d) {
    double total = 0.0;
    for (double t : d.a_high_ms) total += t;
    for (double t : d.b_high_ms) total += t;
    const std::size_t n = d.a_high_ms.size() + d.b_high_ms.size();
    return n ? fmt::format("{:.0f} ms over {} epochs", total / double(n), n) : std::string("no completed epoch");
  };
  if (c.dwell_micro && c.dwell_meso)
    fmt::print("mean dwell time in an attractor (250 ms bins): micro {}, meso {}\n", mean_dwell(*c.dwell_micro),
               mean_dwell(*c.dwell_meso));
  std::fflush(stdout);  // the table before the warnings
  for (const std::string& w : c.warnings) fmt::print(stderr, "warning (meso): {}\n", w);
  fmt::print("wrote {}\n", (c.out_dir / "compare.json").string());
  if (!args.no_plot) plot_comparison(c.out_dir);
  return 0;
}

}  // namespace micromeso::cli
