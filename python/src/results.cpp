#include "results.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "micromeso/output.hpp"

namespace micromeso::python {
namespace {

template <typename T>
py::array_t<T> array_of(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}

// The library's JSON text as a dict, so that a dict's keys are the file's.
py::dict dict_of_json(const std::string& text) { return py::module_::import("json").attr("loads")(text); }

}  // namespace

py::dict read_spikes_dict(const std::filesystem::path& file) {
  const SpikeData s = read_spikes(file);
  py::dict out;
  for (std::size_t p = 0; p < s.names.size(); ++p)
    out[py::str(s.names[p])] = py::make_tuple(array_of(s.times_ms[p]), array_of(s.node_ids[p]));
  return out;
}

py::dict read_activity_dict(const std::filesystem::path& file) {
  const PopulationActivity a = read_activity(file);
  py::dict counts;
  for (std::size_t p = 0; p < a.names.size(); ++p) counts[py::str(a.names[p])] = array_of(a.counts[p]);
  py::dict out;
  out["populations"] = a.names;
  out["sizes"] = array_of(a.sizes);
  out["bin_ms"] = a.bin_ms;
  out["t_start_ms"] = a.t_start_ms;
  out["counts"] = counts;
  return out;
}

py::list read_state_list(const std::filesystem::path& file) {
  py::list out;
  for (const StateReport& r : read_state_reports(file)) {
    const std::size_t n_times = r.n_times();
    std::vector<double> times(n_times);
    for (std::size_t k = 0; k < n_times; ++k) times[k] = r.t_start_ms + double(k) * r.interval_ms;
    py::dict d;
    d["population"] = r.population;
    d["variable"] = r.variable;
    d["unit"] = r.unit;
    d["node_ids"] = array_of(r.node_ids);
    d["times_ms"] = array_of(times);
    d["data"] = py::array_t<double>({static_cast<py::ssize_t>(n_times), static_cast<py::ssize_t>(r.node_ids.size())},
                                    r.data.data());
    out.append(d);
  }
  return out;
}

py::dict analysis_dict(const RunAnalysis& a) {
  py::dict d = dict_of_json(run_analysis_to_json(a));
  py::list pops = d["populations"];
  for (std::size_t p = 0; p < a.populations.size(); ++p) {
    const analysis::Spectrum& spectrum = a.populations[p].spectrum;
    py::dict e = pops[p];
    e["frequency_hz"] = array_of(spectrum.frequency_hz);
    e["power_hz"] = array_of(spectrum.power);
    const auto [lower, upper] = spectrum.confidence_factors(0.95);
    e["power_ci95_factors"] = py::make_tuple(lower, upper);
  }
  return d;
}

py::dict comparison_dict(const Comparison& c) {
  py::dict d = dict_of_json(comparison_to_json(c));
  d["out_dir"] = c.out_dir.string();
  d["micro"] = analysis_dict(c.micro);
  d["meso"] = analysis_dict(c.meso);
  return d;
}

}  // namespace micromeso::python
