#include "micromeso/analyze_run.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "micromeso/errors.hpp"
#include "micromeso/output.hpp"

namespace micromeso {
namespace fs = std::filesystem;

AnalysisGrid analysis_grid(double recorded_bin_ms, double duration_ms, const AnalyzeOptions& o) {
  AnalysisGrid g;
  if (o.bin_ms == 0.0) {
    // 1 ms is the readable default of a population activity; a recording
    // whose bin does not divide it gets the nearest multiple instead of an error.
    g.rebin_factor = static_cast<std::size_t>(std::max(1LL, std::llround(1.0 / recorded_bin_ms)));
    g.bin_ms = double(g.rebin_factor) * recorded_bin_ms;
  } else {
    const double ratio = o.bin_ms / recorded_bin_ms;
    const auto factor = static_cast<std::size_t>(std::llround(ratio));
    if (!(o.bin_ms > 0.0) || factor < 1 || std::abs(ratio - double(factor)) > 1e-9 * ratio)
      throw std::invalid_argument(fmt::format("--bin {} ms: expected a whole multiple of the recorded bin, {} ms",
                                              o.bin_ms, recorded_bin_ms));
    g.rebin_factor = factor;
    g.bin_ms = o.bin_ms;
  }
  const double usable_ms = std::floor(duration_ms / g.bin_ms + 1e-9) * g.bin_ms;
  g.segment_ms = o.segment_ms > 0.0 ? o.segment_ms : std::min(1000.0, usable_ms / 4.0);
  g.segment_bins = static_cast<std::size_t>(std::llround(g.segment_ms / g.bin_ms));
  if (g.segment_bins < 8 || 2.0 * g.segment_ms > usable_ms + 1e-9)
    throw std::invalid_argument(fmt::format(
        "{} ms of activity in bins of {} ms do not give two Welch segments of {} ms (at least 8 bins each); "
        "choose a shorter --segment, a smaller --bin or a longer run",
        usable_ms, g.bin_ms, g.segment_ms));
  return g;
}

namespace {

// The engine named by a run's summary.json; a file that is not the JSON a
// run writes is invalid input, named as such.
std::string engine_of_summary(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError(fmt::format("{}: cannot open for reading", file.string()));
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    if (!j.is_object()) throw InputError(fmt::format("{}: expected a JSON object (a run's summary)", file.string()));
    const auto engine = j.find("engine");
    if (engine == j.end()) return "micro";  // written before meso runs existed
    if (!engine->is_string())
      throw InputError(fmt::format("{}: \"engine\": expected a string, got {}", file.string(), engine->dump()));
    return engine->get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(fmt::format("{}: not a valid summary.json ({})", file.string(), e.what()));
  }
}

// A run folder's files are the user's input: a damaged one is invalid input.
template <typename Read>
auto read_input(Read read) {
  try {
    return read();
  } catch (const InputError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw InputError(e.what());
  }
}

}  // namespace

RunAnalysis analyze_run(const fs::path& dir, const AnalyzeOptions& o) {
  if (fs::exists(dir) && !fs::is_directory(dir))
    throw InputError(fmt::format("{}: expected the folder of a finished run, got a file", dir.string()));
  if (!fs::exists(dir / "summary.json"))
    throw std::invalid_argument(fmt::format(
        "{}: no summary.json: not the folder of a finished run (an interrupted run leaves only .part files)",
        dir.string()));
  if (!fs::exists(dir / "activity.h5"))
    throw std::invalid_argument(fmt::format("{}: no activity.h5 in the run folder", dir.string()));
  RunAnalysis r;
  r.run_dir = dir;
  r.engine = engine_of_summary(dir / "summary.json");
  const PopulationActivity activity = read_input([&] { return read_activity(dir / "activity.h5"); });
  const AnalysisGrid grid = analysis_grid(activity.bin_ms,
                                          activity.counts.empty() ? 0.0 : double(activity.counts.front().size()) *
                                                                               activity.bin_ms,
                                          o);
  const std::size_t factor = grid.rebin_factor, segment = grid.segment_bins;
  const std::size_t n_bins = activity.counts.empty() ? 0 : activity.counts.front().size() / factor;
  r.bin_ms = grid.bin_ms;
  r.t_start_ms = activity.t_start_ms;
  r.duration_ms = double(n_bins) * grid.bin_ms;
  r.segment_ms = grid.segment_ms;
  r.band_low_hz = o.band_low_hz;
  r.band_high_hz = o.band_high_hz;

  std::optional<SpikeData> spikes;
  if (fs::exists(dir / "spikes.h5")) spikes = read_input([&] { return read_spikes(dir / "spikes.h5"); });
  for (std::size_t p = 0; p < activity.names.size(); ++p) {
    PopulationAnalysis a;
    a.name = activity.names[p];
    a.size = activity.sizes[p];
    const std::vector<double> rate = analysis::activity_hz(analysis::rebin(activity.counts[p], factor), a.size, grid.bin_ms);
    double sum = 0.0, sum_sq = 0.0;
    for (double x : rate) sum += x;
    const double mean = rate.empty() ? 0.0 : sum / double(rate.size());
    for (double x : rate) sum_sq += (x - mean) * (x - mean);
    a.rate_hz = mean;
    a.activity_variance_hz2 = rate.size() > 1 ? sum_sq / double(rate.size() - 1) : 0.0;
    a.spectrum = analysis::welch_psd(rate, grid.bin_ms * 1e-3, segment);
    if (spikes && p < spikes->names.size() && spikes->names[p] == a.name)
      a.spikes = analysis::spike_statistics(spikes->times_ms[p], spikes->node_ids[p], a.size, r.t_start_ms,
                                            r.t_start_ms + r.duration_ms, o.fano_window_ms);
    r.populations.push_back(std::move(a));
  }
  return r;
}

}  // namespace micromeso
