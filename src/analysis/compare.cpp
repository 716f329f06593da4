#include "micromeso/compare.hpp"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "micromeso/errors.hpp"
#include "micromeso/meso.hpp"
#include "micromeso/output.hpp"

namespace micromeso {

std::string comparison_to_json(const Comparison& c) {
  nlohmann::ordered_json j;
  j["circuit"] = c.circuit;
  j["bin_ms"] = c.micro.bin_ms;
  j["segment_ms"] = c.micro.segment_ms;
  j["band_hz"] = {c.micro.band_low_hz, c.micro.band_high_hz};
  j["meso_noise"] = c.meso_noise;
  j["meso_input_noise"] = c.meso_input_noise;
  j["warnings"] = c.warnings;
  auto& pops = j["populations"] = nlohmann::ordered_json::array();
  for (const PopulationComparison& pc : c.populations)
    pops.push_back({{"name", pc.name},
                    {"rate_micro_hz", pc.rate_micro_hz},
                    {"rate_meso_hz", pc.rate_meso_hz},
                    {"rate_relative_difference", pc.rate_relative_difference},
                    {"activity_variance_micro_hz2", pc.variance_micro_hz2},
                    {"activity_variance_meso_hz2", pc.variance_meso_hz2},
                    {"log_spectral_distance_db", pc.spectral_distance.lsd_db},
                    {"log_spectral_distance_null_db", pc.spectral_distance.null_lsd_db},
                    {"frequencies_compared", pc.spectral_distance.frequencies}});
  const auto dwell = [&](const analysis::DwellTimes& d) {
    return nlohmann::ordered_json{{c.micro.populations[0].name + "_high", d.a_high_ms},
                                  {c.micro.populations[1].name + "_high", d.b_high_ms}};
  };
  if (c.dwell_micro) j["dwell_times_ms"]["micro"] = dwell(*c.dwell_micro);
  if (c.dwell_meso) j["dwell_times_ms"]["meso"] = dwell(*c.dwell_meso);
  return j.dump(2) + "\n";
}

Comparison compare_micro_meso(const Circuit& circuit, const CompareOptions& o) {
  // Refuse before the (long) micro run what would fail after it.
  meso::check_meso_circuit(circuit);
  const SimulationSpec& sim = circuit.simulation;
  analysis_grid(sim.record.activity_bin_ms > 0.0 ? sim.record.activity_bin_ms : sim.dt_ms, sim.t_sim_ms, o.analyze);
  Comparison c;
  c.out_dir = o.out_dir.empty() ? default_output_dir(circuit.name + "-compare") : o.out_dir;
  RunOptions micro = o.micro;
  micro.out_dir = c.out_dir / "micro";
  MesoRunOptions meso = o.meso;
  meso.out_dir = c.out_dir / "meso";
  // Every folder this writes, before the first simulation.
  for (const auto& dir : {c.out_dir, micro.out_dir, meso.out_dir}) check_output_dir(dir);
  OutputDir out(c.out_dir);
  if (!run_micro(circuit, micro).complete)
    throw Interrupted(fmt::format("interrupted during the microscopic run; {} holds only unfinished '.part' files",
                                  micro.out_dir.string()));
  const RunSummary meso_summary = run_meso(circuit, meso);
  if (!meso_summary.complete)
    throw Interrupted(fmt::format("interrupted during the mesoscopic run; {} holds only unfinished '.part' files",
                                  meso.out_dir.string()));
  c.warnings = meso_summary.warnings;
  c.micro = analyze_run(micro.out_dir, o.analyze);
  c.meso = analyze_run(meso.out_dir, o.analyze);
  write_run_analysis(c.micro);
  write_run_analysis(c.meso);
  c.circuit = circuit.name;
  c.meso_noise = meso.noise;
  c.meso_input_noise = meso.input_noise;
  for (std::size_t p = 0; p < c.micro.populations.size(); ++p) {
    const PopulationAnalysis &a = c.micro.populations[p], &b = c.meso.populations[p];
    PopulationComparison pc;
    pc.name = a.name;
    pc.rate_micro_hz = a.rate_hz;
    pc.rate_meso_hz = b.rate_hz;
    pc.rate_relative_difference = a.rate_hz > 0.0 ? (b.rate_hz - a.rate_hz) / a.rate_hz : 0.0;
    pc.variance_micro_hz2 = a.activity_variance_hz2;
    pc.variance_meso_hz2 = b.activity_variance_hz2;
    pc.spectral_distance =
        analysis::log_spectral_distance(a.spectrum, b.spectrum, c.micro.band_low_hz, c.micro.band_high_hz);
    c.populations.push_back(pc);
  }
  // Two competing populations: dwell times in each attractor (250 ms bins,
  // as Schwalger's winner-take-all example averages).
  if (c.micro.populations.size() == 2) {
    for (const auto& [engine, dir] : {std::pair{"micro", micro.out_dir}, std::pair{"meso", meso.out_dir}}) {
      const PopulationActivity a = read_activity(dir / "activity.h5");
      const double ratio = 250.0 / a.bin_ms;
      const auto factor = static_cast<std::size_t>(std::llround(ratio));
      if (factor < 1 || std::abs(ratio - double(factor)) > 1e-9 * ratio) break;
      (engine == std::string("micro") ? c.dwell_micro : c.dwell_meso) =
          analysis::dwell_times(analysis::rebin(a.counts[0], factor), analysis::rebin(a.counts[1], factor), 250.0);
    }
  }
  write_text_file(out.staging_path("compare.json"), comparison_to_json(c));
  out.commit();
  return c;
}

}  // namespace micromeso
