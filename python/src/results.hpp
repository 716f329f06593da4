// Results as Python objects: numpy arrays (copied out of the library's
// vectors) and dicts whose keys are those of the JSON files a run writes.
#pragma once

#include <filesystem>

#include <pybind11/pybind11.h>

#include "micromeso/analyze_run.hpp"
#include "micromeso/compare.hpp"

namespace micromeso::python {

namespace py = pybind11;

// spikes.h5: {population: (times_ms float64[n], node_ids uint64[n])}, populations in circuit order.
py::dict read_spikes_dict(const std::filesystem::path& file);
// activity.h5: {"populations": [...], "sizes": uint64[P], "bin_ms", "t_start_ms",
// "counts": {population: float64[n_bins]}}.
py::dict read_activity_dict(const std::filesystem::path& file);
// state.h5: [{"population", "variable", "unit", "node_ids": uint64[n], "times_ms": float64[T],
// "data": float64[T][n]}], in the file's order.
py::list read_state_list(const std::filesystem::path& file);

// analysis.json's keys, plus per population "frequency_hz" and "power_hz"
// arrays and "power_ci95_factors".
py::dict analysis_dict(const RunAnalysis& analysis);
// compare.json's keys (for two populations "dwell_times_ms" {"micro"/"meso":
// {"<A>_high": [...], "<B>_high": [...]}}), plus "out_dir", and "micro" and
// "meso" (analysis_dict).
py::dict comparison_dict(const Comparison& comparison);

}  // namespace micromeso::python
