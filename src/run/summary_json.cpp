// summary.json: the machine-readable record of a run (field names carry units).
#include <nlohmann/json.hpp>

#include "micromeso/run.hpp"

namespace micromeso {

std::string summary_to_json(const RunSummary& s) {
  nlohmann::ordered_json j;
  j["circuit"] = s.circuit;
  j["engine"] = s.engine;
  j["backend"] = s.backend;
  j["device"] = s.device.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.device);
  j["complete"] = s.complete;
  j["version"] = s.version;
  j["commit"] = s.commit;
  j["seed"] = s.seed;
  j["threads"] = s.threads;
  j["dt_ms"] = s.dt_ms;
  j["t_sim_ms"] = s.t_sim_ms;
  j["t_presim_ms"] = s.t_presim_ms;
  j["neurons"] = s.neurons;
  j["synapses"] = s.synapses;
  j["bytes_per_synapse"] = s.bytes_per_synapse;
  j["memory_estimate_bytes"] = s.memory_estimate_bytes;
  j["peak_rss_bytes"] = s.peak_rss_bytes;
  j["build_time_s"] = s.build_time_s;
  j["sim_time_s"] = s.sim_time_s;
  j["real_time_factor"] = s.real_time_factor;
  auto& pops = j["populations"] = nlohmann::ordered_json::array();
  for (const PopulationSummary& p : s.populations) {
    nlohmann::ordered_json e;
    e["name"] = p.name;
    e["size"] = p.size;
    e["spikes"] = p.spikes;
    e["rate_hz"] = p.rate_hz;
    e["cv_isi"] = p.cv_isi ? nlohmann::ordered_json(*p.cv_isi) : nlohmann::ordered_json(nullptr);
    pops.push_back(e);
  }
  j["warnings"] = s.warnings;
  j["ranks"] = s.ranks;
  j["mpi"] = s.mpi.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.mpi);
  j["min_delay_ms"] = s.min_delay_ms;
  j["exchanges"] = s.exchanges;
  auto& ranks = j["per_rank"] = nlohmann::ordered_json::array();
  for (const RankSummary& r : s.per_rank) {
    nlohmann::ordered_json e;
    e["neurons"] = r.neurons;
    e["synapses"] = r.synapses;
    e["threads"] = r.threads;
    e["build_time_s"] = r.build_time_s;
    e["sim_time_s"] = r.sim_time_s;
    e["exchange_wait_s"] = r.exchange_wait_s;
    e["exchange_transfer_s"] = r.exchange_transfer_s;
    e["output_s"] = r.output_s;
    e["output_gather_s"] = r.output_gather_s;
    e["output_write_s"] = r.output_write_s;
    ranks.push_back(e);
  }
  return j.dump(2) + "\n";
}

RunSummary summary_from_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  RunSummary s;
  s.circuit = j.at("circuit");
  s.engine = j.at("engine");
  s.backend = j.at("backend");
  if (j.contains("device") && !j.at("device").is_null()) s.device = j.at("device");
  s.complete = j.at("complete");
  s.version = j.at("version");
  s.commit = j.at("commit");
  s.seed = j.at("seed");
  s.threads = j.at("threads");
  s.dt_ms = j.at("dt_ms");
  s.t_sim_ms = j.at("t_sim_ms");
  s.t_presim_ms = j.at("t_presim_ms");
  s.neurons = j.at("neurons");
  s.synapses = j.at("synapses");
  s.bytes_per_synapse = j.at("bytes_per_synapse");
  s.memory_estimate_bytes = j.at("memory_estimate_bytes");
  s.peak_rss_bytes = j.at("peak_rss_bytes");
  s.build_time_s = j.at("build_time_s");
  s.sim_time_s = j.at("sim_time_s");
  s.real_time_factor = j.at("real_time_factor");
  for (const auto& e : j.at("populations")) {
    PopulationSummary p;
    p.name = e.at("name");
    p.size = e.at("size");
    p.spikes = e.at("spikes");
    p.rate_hz = e.at("rate_hz");
    if (!e.at("cv_isi").is_null()) p.cv_isi = e.at("cv_isi").get<double>();
    s.populations.push_back(p);
  }
  if (j.contains("warnings")) s.warnings = j.at("warnings").get<std::vector<std::string>>();  // absent before 2026-11-25
  if (j.contains("ranks")) {  // absent before 2026-11-30 (MPI)
    s.ranks = j.at("ranks");
    if (!j.at("mpi").is_null()) s.mpi = j.at("mpi");
    s.min_delay_ms = j.at("min_delay_ms");
    s.exchanges = j.at("exchanges");
    for (const auto& e : j.at("per_rank")) {
      RankSummary r;
      r.neurons = e.at("neurons");
      r.synapses = e.at("synapses");
      r.threads = e.at("threads");
      r.build_time_s = e.at("build_time_s");
      r.sim_time_s = e.at("sim_time_s");
      r.exchange_wait_s = e.at("exchange_wait_s");
      r.exchange_transfer_s = e.at("exchange_transfer_s");
      if (e.contains("output_s")) {  // absent before 2026-11-30 (outputs' cost)
        r.output_s = e.at("output_s");
        r.output_gather_s = e.at("output_gather_s");
        r.output_write_s = e.at("output_write_s");
      }
      s.per_rank.push_back(r);
    }
  }
  return s;
}

}  // namespace micromeso
