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

py::object optional_value(const std::optional<double>& v) { return v ? py::object(py::float_(*v)) : py::none(); }

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
  py::dict d;
  d["run_dir"] = a.run_dir.string();
  d["engine"] = a.engine;
  d["bin_ms"] = a.bin_ms;
  d["segment_ms"] = a.segment_ms;
  d["duration_ms"] = a.duration_ms;
  d["band_hz"] = py::make_tuple(a.band_low_hz, a.band_high_hz);
  py::list pops;
  for (const PopulationAnalysis& p : a.populations) {
    py::dict e;
    e["name"] = p.name;
    e["size"] = p.size;
    e["rate_hz"] = p.rate_hz;
    e["activity_variance_hz2"] = p.activity_variance_hz2;
    e["cv_isi"] = p.spikes ? optional_value(p.spikes->cv_isi) : py::none();
    e["fano_factor"] = p.spikes ? optional_value(p.spikes->fano_factor) : py::none();
    e["spectrum_segments"] = p.spectrum.segments;
    e["frequency_hz"] = array_of(p.spectrum.frequency_hz);
    e["power_hz"] = array_of(p.spectrum.power);
    const auto [lower, upper] = p.spectrum.confidence_factors(0.95);
    e["power_ci95_factors"] = py::make_tuple(lower, upper);
    pops.append(e);
  }
  d["populations"] = pops;
  return d;
}

py::dict comparison_dict(const Comparison& c) {
  py::dict d;
  d["out_dir"] = c.out_dir.string();
  d["bin_ms"] = c.micro.bin_ms;
  d["segment_ms"] = c.micro.segment_ms;
  d["band_hz"] = py::make_tuple(c.micro.band_low_hz, c.micro.band_high_hz);
  d["warnings"] = c.warnings;
  py::list pops;
  for (const PopulationComparison& p : c.populations) {
    py::dict e;
    e["name"] = p.name;
    e["rate_micro_hz"] = p.rate_micro_hz;
    e["rate_meso_hz"] = p.rate_meso_hz;
    e["rate_relative_difference"] = p.rate_relative_difference;
    e["activity_variance_micro_hz2"] = p.variance_micro_hz2;
    e["activity_variance_meso_hz2"] = p.variance_meso_hz2;
    e["log_spectral_distance_db"] = p.spectral_distance.lsd_db;
    e["log_spectral_distance_null_db"] = p.spectral_distance.null_lsd_db;
    e["frequencies_compared"] = p.spectral_distance.frequencies;
    pops.append(e);
  }
  d["populations"] = pops;
  d["micro"] = analysis_dict(c.micro);
  d["meso"] = analysis_dict(c.meso);
  if (c.dwell_micro && c.dwell_meso) {
    py::dict dwell;
    dwell["micro"] = py::dict(py::arg("a_high") = c.dwell_micro->a_high_ms, py::arg("b_high") = c.dwell_micro->b_high_ms);
    dwell["meso"] = py::dict(py::arg("a_high") = c.dwell_meso->a_high_ms, py::arg("b_high") = c.dwell_meso->b_high_ms);
    d["dwell_times_ms"] = dwell;
  }
  return d;
}

}  // namespace micromeso::python
