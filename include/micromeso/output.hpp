// What a run leaves in its output folder, and the writers that put it there.
//
// Every file is first written as "<name>.part" and renamed only by
// OutputDir::commit(), which runs after the simulation finished and every
// writer was closed; summary.json is renamed last. A crash or Ctrl-C
// therefore leaves only ".part" files and no summary.json, never a truncated
// file under its final name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace micromeso {

class OutputDir {
 public:
  // Creates `dir` (and parents). Refuses (InputError, errors.hpp) what
  // check_output_dir refuses, and a folder that cannot be created.
  explicit OutputDir(std::filesystem::path dir);
  const std::filesystem::path& path() const { return dir_; }
  // Path where a writer must write `name` until commit: dir/name.part
  std::filesystem::path staging_path(const std::string& name);
  // Renames every staged file to its final name, summary.json last.
  void commit();
  bool committed() const { return committed_; }

 private:
  std::filesystem::path dir_;
  std::vector<std::string> staged_;
  bool committed_ = false;
};

// Refuses (InputError) an empty path, a file, and a folder that already holds
// a summary.json, so a finished run is never overwritten. Callers that write
// several folders check them all before any simulation.
void check_output_dir(const std::filesystem::path& dir);

// Default output folder: ./runs/<circuit>-<YYYYmmdd-HHMMSS>[-k]
std::filesystem::path default_output_dir(const std::string& circuit_name);

// SONATA spike report (https://github.com/AllenInstitute/sonata, "Spike
// file"): /spikes/<population>/timestamps (float64, ms, attribute units="ms")
// and /spikes/<population>/node_ids (uint64, 0-based within the population),
// group attribute sorting="by_time". Appends in chunks.
class SpikeWriter {
 public:
  SpikeWriter(const std::filesystem::path& file, const std::vector<std::string>& populations);
  ~SpikeWriter();
  SpikeWriter(const SpikeWriter&) = delete;
  SpikeWriter& operator=(const SpikeWriter&) = delete;
  // Spikes must be appended in non-decreasing time per population.
  void append(std::size_t population, const std::vector<double>& times_ms,
              const std::vector<std::uint64_t>& node_ids);
  // Writes HDF5's caches to the file, so that a full disk shows now.
  void flush();
  // Closes every object and the file; throws if the data could not be written.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One variable of one multimeter over the recorded window, as a SONATA
// report (SONATA developer guide, "Frame-oriented report"): data[time][node],
// the values at the stamps t_start_ms, t_start_ms + interval_ms, ... <
// t_stop_ms. File layout (write_state_reports):
// /report/<population>/<variable>/data float64[n_times][n_nodes] (attribute
// units), .../mapping/node_ids uint64[n_nodes] (indices within the
// population), .../mapping/time float64[3] = {t_start, t_stop, interval} (ms).
struct StateReport {
  std::string population, variable, unit;
  std::vector<std::uint64_t> node_ids;
  double t_start_ms = 0.0, t_stop_ms = 0.0, interval_ms = 0.0;
  std::vector<double> data;  // row-major [time][node]
  std::size_t n_times() const { return node_ids.empty() ? 0 : data.size() / node_ids.size(); }
};

void write_state_reports(const std::filesystem::path& file, const std::vector<StateReport>& reports);
std::vector<StateReport> read_state_reports(const std::filesystem::path& file);

// Population activity: spike count per population per time bin.
struct PopulationActivity {
  std::vector<std::string> names;
  std::vector<std::uint64_t> sizes;        // neurons per population
  double bin_ms = 0.1;
  double t_start_ms = 0.0;                 // time of the left edge of bin 0
  std::vector<std::vector<double>> counts; // [population][bin]; expected counts for deterministic meso runs
};

// HDF5 layout: /activity/<population> float64[n_bins] with attributes
// size (uint64), bin_ms, t_start_ms; root attributes bin_ms, t_start_ms.
void write_activity(const std::filesystem::path& file, const PopulationActivity& activity);
PopulationActivity read_activity(const std::filesystem::path& file);

// Reads back a SONATA spike file: per population, times (ms) and node ids.
struct SpikeData {
  std::vector<std::string> names;
  std::vector<std::vector<double>> times_ms;
  std::vector<std::vector<std::uint64_t>> node_ids;
};
SpikeData read_spikes(const std::filesystem::path& file);

// Writes pretty-printed JSON text to `file` (used for summary.json).
void write_text_file(const std::filesystem::path& file, const std::string& text);

}  // namespace micromeso
