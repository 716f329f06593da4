// `micromeso compare`: the microscopic network and the mesoscopic equations
// on the same circuit, analysed alike, side by side.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "micromeso/analyze_run.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/run.hpp"

namespace micromeso {

struct CompareOptions {
  RunOptions micro;       // backend, threads, progress (out_dir is set to OUT/micro)
  MesoRunOptions meso;    // noise, Lambda (out_dir is set to OUT/meso)
  AnalyzeOptions analyze; // the same bins and segments for both
  std::filesystem::path out_dir;
};

struct PopulationComparison {
  std::string name;
  double rate_micro_hz = 0.0, rate_meso_hz = 0.0;
  double rate_relative_difference = 0.0;  // (meso - micro) / micro
  double variance_micro_hz2 = 0.0, variance_meso_hz2 = 0.0;
  analysis::SpectralDistance spectral_distance;  // log-spectral distance over the band, and its null value
};

struct Comparison {
  std::filesystem::path out_dir;
  std::string circuit;     // the circuit's name
  std::string meso_noise;  // the meso run's --noise
  bool meso_input_noise = false;
  RunAnalysis micro, meso;
  std::vector<PopulationComparison> populations;
  // Two-population circuits: epochs in each attractor (250 ms bins), see analysis::dwell_times.
  std::optional<analysis::DwellTimes> dwell_micro, dwell_meso;
  std::vector<std::string> warnings;  // of the meso run (RunSummary::warnings)
};

// The text of compare.json; the Python module's comparison dict starts from it.
std::string comparison_to_json(const Comparison& comparison);

// Runs both engines into OUT/micro and OUT/meso, analyses both, and writes
// OUT/compare.json. Throws CircuitError when the meso engine cannot take the
// circuit (before anything runs).
Comparison compare_micro_meso(const Circuit& circuit, const CompareOptions& options);

}  // namespace micromeso
