#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/validators.hpp"
#include "cli/progress_bar.hpp"

namespace micromeso::cli {

void add_meso_model_options(CLI::App& app, MesoModelArgs& args) {
  app.add_option("--noise", args.noise,
                 "Meso spike counts: binomial (finite N, Schwalger et al. 2017), poisson, none (the N -> infinity "
                 "integral equation), or master (per age bin, Binomial(survivors, escape probability): the exact "
                 "Markov chain of the ages, no finite-size approximation; exact history, slower)")
      ->check(CLI::IsMember({"binomial", "poisson", "none", "master"}))
      ->capture_default_str();
  app.add_flag("--exact-history", args.exact_history,
               "Meso: one age bin per step over the whole adaptation history (the paper's algorithm); by default "
               "ages past 5 tau_m are grouped in blocks where the adaptation kernel changes slowly (faster), and "
               "without adaptation young ages in blocks of tau_m / 4 that keep their members' spread. "
               "For iaf_psc_exp populations: one bin per step over t_ref + 5 tau_m; by default ages past "
               "t_ref + tau_m / 20 are grouped in blocks growing with age (tau_m / 20, tau_m / 4, tau_m / 2) "
               "that keep their members' spread");
  app.add_flag("--input-noise", args.input_noise,
               "Meso: lower the escape threshold by sigma^2 / (2 Delta_V), sigma^2 the membrane variance of each "
               "neuron's private input (Poisson input, its own sample of sparse projections); not in Schwalger "
               "et al. 2017. For gif_psc_exp populations: iaf_psc_exp populations always take their input noise "
               "into their hazard");
  app.add_flag("--paper-free-pool", args.paper_free_pool,
               "Meso: neurons older than the history at the free membrane potential with the reset forgotten, as "
               "Schwalger et al. 2017 and NEST; by default at their own mean potential (about 1 % on the rates of "
               "coupled populations at low rates)");
}

void apply_meso_model_options(const MesoModelArgs& args, MesoRunOptions& options) {
  options.noise = args.noise;
  options.exact_history = args.exact_history;
  options.input_noise = args.input_noise;
  options.paper_free_pool = args.paper_free_pool;
}

void add_meso_options(CLI::App& app, MesoArgs& args) {
  app.add_option("circuit", args.circuit, "Built-in circuit name or a circuit .toml file (gif_psc_exp populations, or "
                 "iaf_psc_exp under input noise)")
      ->required();
  app.add_option("--t", args.t, "Recorded biological time after the transient: 1000 (ms), 500ms, 10s")
      ->check(duration);
  app.add_option("--presim", args.presim, "Transient simulated first and discarded: 500 (ms), 0.5s")->check(duration);
  app.add_option("--dt", args.dt_ms, "Time step in ms")->check(positive_number);
  app.add_option("--seed", args.seed, "Seed of the random spike counts")->check(seed_value);
  app.add_option("--scale", args.scale, "Neuron-number scaling of a built-in circuit, in (0, 1]")->check(fraction);
  app.add_option("--k-scale", args.k_scale, "In-degree scaling of a built-in circuit, in (0, 1]")->check(fraction);
  app.add_option("--activity-bin", args.activity_bin_ms, "Bin of the population activity in ms (default: dt)")
      ->check(positive_number);
  add_meso_model_options(app, args.model);
  app.add_flag("--no-lambda-correction", args.no_lambda,
               "The naive finite-size model (Lambda = 0), which does not conserve the number of neurons");
  app.add_option("--out", args.out, "Output folder (default: a new folder under ./runs/)")->check(non_empty);
  app.footer(
      "Example: micromeso meso my_gif_circuit.toml --t 10s --out runs/meso\n"
      "Outputs: activity.h5 and summary.json, in the layout of `micromeso run` (no spike file).");
}

int command_meso(const MesoArgs& a, const std::atomic<bool>* interrupt) {
  const bool scaling = a.scale.has_value() || a.k_scale.has_value();
  Circuit circuit =
      resolve_circuit(a.circuit, BuiltinOptions{a.scale.value_or(1.0), a.k_scale.value_or(1.0)}, scaling);
  SimulationOverrides o;
  o.dt_ms = a.dt_ms;
  if (a.t) o.t_sim_ms = parse_duration_ms(*a.t);
  if (a.presim) o.t_presim_ms = parse_duration_ms(*a.presim);
  o.seed = a.seed;
  o.activity_bin_ms = a.activity_bin_ms;
  apply_overrides(circuit, o);
  validate_circuit(circuit);
  MesoRunOptions options;
  apply_meso_model_options(a.model, options);
  options.lambda_correction = !a.no_lambda;
  options.out_dir = a.out;
  options.interrupt = interrupt;
  auto bar = std::make_shared<ProgressBar>();
  options.progress = [bar](const std::string& phase, double f) {
    bar->update(phase, f);
    if (f >= 1.0) bar->finish();
  };
  const RunSummary s = run_meso(circuit, options);
  if (!s.complete) {
    fmt::print(stderr,
               "micromeso: stopped by {} after {:.1f} s of simulation; {} holds only unfinished '.part' files\n",
               interruption_name(), s.sim_time_s, s.out_dir.string());
    return kInterrupted;
  }
  fmt::print("circuit {}: {} populations, {} neurons, mesoscopic engine, {}, seed {}\n", s.circuit,
             s.populations.size(), s.neurons, s.backend, s.seed);
  fmt::print("{:<12} {:>9} {:>11} {:>10}\n", "population", "neurons", "spikes", "rate (Hz)");
  for (const PopulationSummary& p : s.populations)
    fmt::print("{:<12} {:>9} {:>11} {:>10.3f}\n", p.name, p.size, p.spikes, p.rate_hz);
  std::fflush(stdout);  // the table before the warnings
  for (const std::string& w : s.warnings) fmt::print(stderr, "warning: {}\n", w);
  fmt::print("simulation {:.2f} s for {:.0f} ms (+{:.0f} ms transient) | real-time factor {:.4f} | output: {}\n",
             s.sim_time_s, s.t_sim_ms, s.t_presim_ms, s.real_time_factor, s.out_dir.string());
  return 0;
}

}  // namespace micromeso::cli
