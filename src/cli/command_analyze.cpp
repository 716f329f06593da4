#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/validators.hpp"
#include "micromeso/analyze_run.hpp"

namespace micromeso::cli {

void add_analyze_options(CLI::App& app, AnalyzeArgs& args) {
  app.add_option("run_dir", args.run_dir, "Folder of a finished run (micromeso run or meso)")->required();
  app.add_option("--bin", args.options.bin_ms,
                 "Activity bin of the spectra in ms, a multiple of the recorded bin (default: the multiple "
                 "nearest 1 ms)")
      ->check(positive_number);
  app.add_option("--segment", args.options.segment_ms,
                 "Welch segment in ms (default: 1000 ms, or a quarter of the run if shorter)")
      ->check(positive_number);
  app.add_option("--fano-window", args.options.fano_window_ms, "Window of the spike-count Fano factor in ms")
      ->capture_default_str()
      ->check(positive_number);
  app.footer(
      "Writes analysis.json (rates, activity variance, CV, Fano) and analysis.h5 (power spectra) into RUN_DIR.\n"
      "Example: micromeso analyze runs/potjans2014-20261124-031155 --bin 1");
}

int command_analyze(const AnalyzeArgs& args) {
  const RunAnalysis a = analyze_run(args.run_dir, args.options);
  write_run_analysis(a);
  fmt::print("{} ({} engine): {:.0f} ms in bins of {} ms, spectra from {} segments of {} ms\n", a.run_dir.string(),
             a.engine, a.duration_ms, a.bin_ms, a.populations.empty() ? 0 : a.populations[0].spectrum.segments,
             a.segment_ms);
  fmt::print("{:<12} {:>9} {:>10} {:>14} {:>8} {:>8} {:>16}\n", "population", "neurons", "rate (Hz)", "var A (Hz^2)",
             "CV ISI", "Fano", "PSD mean (Hz)");
  for (const PopulationAnalysis& p : a.populations) {
    double psd = 0.0;
    std::size_t n = 0;
    for (std::size_t k = 0; k < p.spectrum.power.size(); ++k)
      if (p.spectrum.frequency_hz[k] >= a.band_low_hz && p.spectrum.frequency_hz[k] <= a.band_high_hz) {
        psd += p.spectrum.power[k];
        ++n;
      }
    const auto opt = [](const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : std::string("-"); };
    fmt::print("{:<12} {:>9} {:>10.3f} {:>14.4g} {:>8} {:>8} {:>16.4g}\n", p.name, p.size, p.rate_hz,
               p.activity_variance_hz2, p.spikes ? opt(p.spikes->cv_isi) : "-",
               p.spikes ? opt(p.spikes->fano_factor) : "-", n ? psd / double(n) : 0.0);
  }
  fmt::print("PSD mean over {} to {} Hz; for independent Poisson neurons it equals rate / N.\n", a.band_low_hz,
             a.band_high_hz);
  fmt::print("wrote {} and {}\n", (a.run_dir / "analysis.json").string(), (a.run_dir / "analysis.h5").string());
  return 0;
}

}  // namespace micromeso::cli
