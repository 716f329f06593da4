// Figures of finished runs, drawn by the project's matplotlib scripts
// (scripts/plot_run.py, scripts/plot_compare.py): what `micromeso plot` and
// `micromeso compare` and the Python module call. The HDF5 files stay the
// interface, so any tool can plot them instead.
#pragma once

#include <filesystem>
#include <string>

namespace micromeso {

// The folder holding the plot scripts, the first of: $MICROMESO_SCRIPTS_DIR;
// share/micromeso/scripts beside the running `micromeso` program (an
// installed or relocated one: BIN/../share/micromeso/scripts); the source
// tree's scripts/ (a build-tree program or Python module); the folder
// `cmake --install` puts them in. Throws std::runtime_error naming every
// folder searched when none holds `script`.
std::filesystem::path plot_script(const std::string& script);

// The interpreter the scripts run with: $MICROMESO_PYTHON, else
// /usr/bin/python3 when present (Debian's, with matplotlib and h5py), else
// python3 from PATH.
std::string plot_python();

// figures/activity.{png,svg} and figures/spectra.{png,svg} in `run_dir`,
// traces of `trace_ms`; analyses the run first (analyze_run with default
// options) when it has no analysis.h5. Throws std::invalid_argument for an
// unfinished or unreadable run, std::runtime_error when the script fails.
void plot_run(const std::filesystem::path& run_dir, double trace_ms);

// figures/compare.{png,svg} in the output folder of compare_micro_meso.
// Throws std::runtime_error when the script fails.
void plot_comparison(const std::filesystem::path& compare_dir);

}  // namespace micromeso
