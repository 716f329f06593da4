#include "micromeso/bench.hpp"
#include "micromeso/devices.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "micromeso/output.hpp"
#include "micromeso/version.hpp"

namespace micromeso {
namespace {

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

std::uint64_t total_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key, unit;
  std::uint64_t kib = 0;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemTotal:") return kib * 1024;
  return 0;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

}  // namespace

BenchReport run_bench(const std::string& circuit_name, const BenchOptions& options) {
  BenchReport report;
  report.circuit = circuit_name;
  report.engine = options.engine;
  if (options.engine != "micro" && options.engine != "meso")
    throw std::invalid_argument(fmt::format("--engine: '{}' is not one of micro, meso", options.engine));
  report.date_utc = utc_now();
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  report.host = host;
  report.cpu_model = cpu_model();
  report.cpu_cores = static_cast<int>(std::thread::hardware_concurrency());
  report.memory_bytes = total_memory_bytes();
  report.commit = kGitCommit;
  report.version = kVersion;
  const std::filesystem::path dir =
      options.run.out_dir.empty() ? default_output_dir("bench-" + circuit_name) : options.run.out_dir;
  const bool builtin = is_builtin_circuit(circuit_name);
  const std::vector<double> scales = builtin ? options.scales : std::vector<double>{1.0};
  // Every folder this writes, before the first run rather than after it.
  check_output_dir(dir);
  for (const double scale : scales) check_output_dir(dir / fmt::format("scale-{}", scale));
  for (const double scale : scales) {
    Circuit circuit = resolve_circuit(circuit_name, BuiltinOptions{scale, options.k_scale},
                                      builtin && (scale != 1.0 || options.k_scale != 1.0));
    apply_overrides(circuit, options.overrides);
    validate_circuit(circuit);
    const auto run_dir = dir / fmt::format("scale-{}", scale);
    if (options.engine == "meso") {
      MesoRunOptions meso = options.meso;
      meso.out_dir = run_dir;
      meso.progress = options.run.progress;
      meso.interrupt = options.run.interrupt;
      report.records.push_back(BenchRecord{scale, run_meso(circuit, meso)});
    } else {
      RunOptions run = options.run;
      run.out_dir = run_dir;
      report.records.push_back(BenchRecord{scale, run_micro(circuit, run)});
    }
    if (!report.records.back().run.complete) break;
  }
  for (const BenchRecord& rec : report.records)
    if (!rec.run.device.empty()) {
      const DeviceReport devices = list_devices();
      report.gpu_name = rec.run.device;
      report.cuda_driver = cuda_version_string(devices.driver_version);
      report.cuda_runtime = cuda_version_string(devices.runtime_version);
      break;
    }
  if (!report.records.empty() && !report.records.back().run.complete)
    return report;  // interrupted: no bench.json, which would look complete
  OutputDir out(dir);
  write_text_file(out.staging_path("bench.json"), bench_to_json(report));
  out.commit();
  return report;
}

namespace {

std::uint64_t total_spikes(const RunSummary& run) {
  std::uint64_t spikes = 0;
  for (const auto& p : run.populations) spikes += p.spikes;
  return spikes;
}

}  // namespace

double synaptic_events_per_wall_s(const RunSummary& run) {
  if (run.neurons == 0 || run.sim_time_s <= 0.0 || run.t_sim_ms <= 0.0) return 0.0;
  const std::uint64_t spikes = total_spikes(run);
  // Spikes of the recorded window stand for the whole run (transient included).
  const double spikes_per_bio_s = static_cast<double>(spikes) / (run.t_sim_ms * 1e-3);
  const double out_degree = static_cast<double>(run.synapses) / static_cast<double>(run.neurons);
  const double bio_s = (run.t_sim_ms + run.t_presim_ms) * 1e-3;
  return spikes_per_bio_s * out_degree * bio_s / run.sim_time_s;
}

std::string bench_to_json(const BenchReport& r) {
  nlohmann::ordered_json j;
  j["circuit"] = r.circuit;
  j["engine"] = r.engine;
  j["date_utc"] = r.date_utc;
  j["machine"] = {{"host", r.host}, {"cpu_model", r.cpu_model}, {"cpu_cores", r.cpu_cores},
                  {"memory_bytes", r.memory_bytes}};
  if (r.gpu_name.empty())
    j["machine"]["gpu"] = nullptr;
  else
    j["machine"]["gpu"] = {{"name", r.gpu_name}, {"cuda_driver", r.cuda_driver}, {"cuda_runtime", r.cuda_runtime}};
  j["version"] = r.version;
  j["commit"] = r.commit;
  auto& runs = j["runs"] = nlohmann::ordered_json::array();
  for (const BenchRecord& rec : r.records) {
    nlohmann::ordered_json e;
    e["scale"] = rec.scale;
    e["summary"] = nlohmann::ordered_json::parse(summary_to_json(rec.run));
    e["mean_rate_hz"] = rec.run.neurons ? total_spikes(rec.run) / (rec.run.neurons * rec.run.t_sim_ms * 1e-3) : 0.0;
    e["synaptic_events_per_s"] = synaptic_events_per_wall_s(rec.run);
    runs.push_back(e);
  }
  return j.dump(2) + "\n";
}

}  // namespace micromeso
