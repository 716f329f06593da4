// Writing a run's analysis next to it: analysis.json and analysis.h5.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/hdf5_util.hpp"
#include "micromeso/analyze_run.hpp"
#include "micromeso/output.hpp"

namespace micromeso {
namespace {

nlohmann::ordered_json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

void write_spectra(const std::filesystem::path& path, const RunAnalysis& a) {
  const std::string file = path.string();
  io::H5Handle h5 = io::create_file(file);
  std::vector<std::string> names;
  for (const auto& p : a.populations) names.push_back(p.name);
  io::write_string_array_attribute(h5.get(), "populations", names, file);
  io::write_double_attribute(h5.get(), "bin_ms", a.bin_ms, file);
  io::write_double_attribute(h5.get(), "segment_ms", a.segment_ms, file);
  io::H5Handle spectra = io::create_group(h5.get(), "spectra", file);
  for (const auto& p : a.populations) {
    io::H5Handle g = io::create_group(spectra.get(), p.name, file);
    io::write_dataset(g.get(), "frequency_hz", p.spectrum.frequency_hz, file);
    io::write_dataset(g.get(), "power_hz", p.spectrum.power, file);
    io::write_u64_attribute(g.get(), "segments", p.spectrum.segments, file);
    io::write_u64_attribute(g.get(), "size", p.size, file);
    const auto [lower, upper] = p.spectrum.confidence_factors(0.95);
    io::write_double_attribute(g.get(), "ci95_lower_factor", lower, file);
    io::write_double_attribute(g.get(), "ci95_upper_factor", upper, file);
  }
  spectra.reset();
  if (!h5.reset()) throw std::runtime_error(fmt::format("{}: closing failed", file));
}

}  // namespace

std::string run_analysis_to_json(const RunAnalysis& a) {
  nlohmann::ordered_json j;
  j["run_dir"] = a.run_dir.string();
  j["engine"] = a.engine;
  j["bin_ms"] = a.bin_ms;
  j["segment_ms"] = a.segment_ms;
  j["duration_ms"] = a.duration_ms;
  j["band_hz"] = {a.band_low_hz, a.band_high_hz};
  j["spectrum_normalisation"] = "two-sided PSD of A(t) in Hz (Hz^2/Hz); Poisson neurons: rate/N";
  auto& pops = j["populations"] = nlohmann::ordered_json::array();
  for (const auto& p : a.populations) {
    nlohmann::ordered_json e;
    e["name"] = p.name;
    e["size"] = p.size;
    e["rate_hz"] = p.rate_hz;
    e["activity_variance_hz2"] = p.activity_variance_hz2;
    e["cv_isi"] = p.spikes ? optional_number(p.spikes->cv_isi) : nlohmann::ordered_json(nullptr);
    e["fano_factor"] = p.spikes ? optional_number(p.spikes->fano_factor) : nlohmann::ordered_json(nullptr);
    e["spectrum_segments"] = p.spectrum.segments;
    pops.push_back(e);
  }
  return j.dump(2) + "\n";
}

void write_run_analysis(const RunAnalysis& a) {
  // Staged like a run's outputs: complete files only under final names.
  const auto dir = a.run_dir;
  write_spectra(dir / "analysis.h5.part", a);
  write_text_file(dir / "analysis.json.part", run_analysis_to_json(a));
  std::filesystem::rename(dir / "analysis.h5.part", dir / "analysis.h5");
  std::filesystem::rename(dir / "analysis.json.part", dir / "analysis.json");
}

}  // namespace micromeso
