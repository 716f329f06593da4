// `micromeso analyze RUN_DIR`: statistics and spectra of a finished run
// (micro or meso alike), computed from its activity.h5 (and spikes.h5 when
// present), written next to it as analysis.json and analysis.h5.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "micromeso/analysis.hpp"

namespace micromeso {

struct AnalyzeOptions {
  // Activity bin of the spectra, a multiple of the recorded bin; 0: the
  // multiple nearest 1 ms (1 ms itself whenever the recorded bin divides it).
  double bin_ms = 0.0;
  double segment_ms = 0.0;  // Welch segment; 0: 1000 ms, or a quarter of the run if shorter
  double band_low_hz = 1.0, band_high_hz = 200.0;  // band reported for the spectra
  double fano_window_ms = 100.0;
};

struct PopulationAnalysis {
  std::string name;
  std::uint64_t size = 0;
  double rate_hz = 0.0;                 // from the activity: spikes / (size * duration)
  double activity_variance_hz2 = 0.0;   // variance of A(t) at bin_ms
  analysis::Spectrum spectrum;          // PSD of A(t) in Hz (see analysis.hpp)
  std::optional<analysis::SpikeStatistics> spikes;  // when spikes.h5 exists
};

struct RunAnalysis {
  std::filesystem::path run_dir;
  std::string engine;  // from summary.json
  double bin_ms = 0.0, segment_ms = 0.0, duration_ms = 0.0, t_start_ms = 0.0;
  double band_low_hz = 0.0, band_high_hz = 0.0;
  std::vector<PopulationAnalysis> populations;
};

// How a recording of `duration_ms` in bins of `recorded_bin_ms` is analysed:
// throws std::invalid_argument when the options do not fit (checked before a
// run by `compare`).
struct AnalysisGrid {
  double bin_ms = 0.0;           // the analysis bin (options.bin_ms, or the automatic one)
  std::size_t rebin_factor = 1;  // recorded bins per analysis bin
  double segment_ms = 0.0;
  std::size_t segment_bins = 0;
};
AnalysisGrid analysis_grid(double recorded_bin_ms, double duration_ms, const AnalyzeOptions& options);

// Throws std::invalid_argument naming the folder or file for an unfinished
// run (no summary.json), a missing activity file, or options that do not fit
// the recording (bin not a multiple of the recorded bin, run shorter than two
// segments).
RunAnalysis analyze_run(const std::filesystem::path& run_dir, const AnalyzeOptions& options);

// The text of analysis.json (per population: rate, variance, CV, Fano,
// spectrum summary); the Python module's analysis dicts start from it.
std::string run_analysis_to_json(const RunAnalysis& analysis);

// analysis.json (per population: rate, variance, CV, Fano, spectrum summary)
// and analysis.h5 (/spectra/<population>/frequency_hz and power_hz), each
// written as .part and renamed when complete.
void write_run_analysis(const RunAnalysis& analysis);

}  // namespace micromeso
