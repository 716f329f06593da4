#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"

namespace micromeso::cli {

void add_run_options(CLI::App& app, RunArgs& args) {
  add_simulation_options(app, args.sim, "");
  app.add_option("--replicas", args.replicas,
                 "Copies of the circuit, each coupled to the next by 1 % of its synapses: a weak-scaling benchmark "
                 "over MPI ranks (mpirun -np N ... --replicas N)")
      ->check(CLI::Range(1, 4096));
  app.footer(
      "Example: micromeso run potjans2014 --scale 0.1 --t 1s --out runs/pd-small\n"
      "Outputs: spikes.h5 (SONATA), activity.h5, summary.json in the output folder.");
}

int command_run(const RunArgs& args, const std::atomic<bool>* interrupt, parallel::Communicator& world) {
  const SimulationArgs& a = args.sim;
  const bool scaling = a.scale.has_value() || a.k_scale.has_value();
  Circuit circuit = resolve_circuit(a.circuit, BuiltinOptions{a.scale.value_or(1.0), a.k_scale.value_or(1.0)},
                                    scaling);
  apply_overrides(circuit, overrides_of(a));
  validate_circuit(circuit);
  circuit = replicate_circuit(circuit, args.replicas);
  RunOptions options = run_options_of(a, interrupt);
  options.communicator = &world;
  if (world.rank() != 0) options.progress = {};  // one progress bar, rank 0's
  const RunSummary summary = run_micro(circuit, options);
  if (summary.rank != 0) return summary.complete ? 0 : kInterrupted;
  if (!summary.complete) {
    fmt::print(stderr,
               "micromeso: stopped by {} after {:.1f} s of simulation; {} holds only unfinished "
               "'.part' files\n",
               interruption_name(), summary.sim_time_s, summary.out_dir.string());
    return kInterrupted;
  }
  print_run_report(summary);
  return 0;
}

void print_run_report(const RunSummary& s) {
  fmt::print("circuit {}: {} neurons, {} synapses, backend {} ({} threads), seed {}\n", s.circuit,
             s.neurons, s.synapses, s.backend, s.threads, s.seed);
  fmt::print("{:<12} {:>9} {:>11} {:>10} {:>8}\n", "population", "neurons", "spikes", "rate (Hz)", "CV ISI");
  for (const PopulationSummary& p : s.populations)
    fmt::print("{:<12} {:>9} {:>11} {:>10.3f} {:>8}\n", p.name, p.size, p.spikes, p.rate_hz,
               p.cv_isi ? fmt::format("{:.3f}", *p.cv_isi) : "-");
  fmt::print("build {:.2f} s | simulation {:.2f} s for {:.0f} ms (+{:.0f} ms transient) | real-time factor {:.3f}\n",
             s.build_time_s, s.sim_time_s, s.t_sim_ms, s.t_presim_ms, s.real_time_factor);
  fmt::print("memory: {:.2f} bytes per synapse, peak {:.2f} GiB | output: {}\n", s.bytes_per_synapse,
             s.peak_rss_bytes / 1073741824.0, s.out_dir.string());
  if (s.ranks > 1) {
    // Per step of each rank: its own work (update and delivery), waiting for
    // the slowest rank (the counts' all-gather), the transfer of the spikes.
    const double steps = (s.t_sim_ms + s.t_presim_ms) / s.dt_ms;
    fmt::print("{} MPI ranks ({}), spikes exchanged every {} ms (the minimum delay), {} exchanges\n", s.ranks, s.mpi,
               s.min_delay_ms, s.exchanges);
    fmt::print("{:<5} {:>9} {:>12} {:>7} {:>9} {:>9} {:>15} {:>15} {:>16}\n", "rank", "neurons", "synapses", "threads",
               "build (s)", "sim (s)", "compute us/step", "waiting us/step", "transfer us/step");
    for (std::size_t r = 0; r < s.per_rank.size(); ++r) {
      const RankSummary& k = s.per_rank[r];
      const double compute = k.sim_time_s - k.exchange_wait_s - k.exchange_transfer_s;
      fmt::print("{:<5} {:>9} {:>12} {:>7} {:>9.2f} {:>9.2f} {:>15.2f} {:>15.2f} {:>16.2f}\n", r, k.neurons, k.synapses,
                 k.threads, k.build_time_s, k.sim_time_s, 1e6 * compute / steps, 1e6 * k.exchange_wait_s / steps,
                 1e6 * k.exchange_transfer_s / steps);
    }
  }
}

}  // namespace micromeso::cli
