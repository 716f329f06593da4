// The one circuit model of micromeso: every engine (micro CPU, micro GPU, meso)
// reads this description. Units are NEST's: ms, mV, pA, pF, Hz; each field
// carries its unit in its name. Values are validated once, at the boundary
// (see circuit_io.hpp: parse_circuit_toml, validate_circuit).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace micromeso {

enum class NeuronModel {
  iaf_psc_exp,
  gif_psc_exp,
  iaf_cond_exp,
  hh_psc_alpha,
  pp_psc_delta,
  // stimulus populations (NEST's devices as spike sources)
  spike_generator,
  poisson_generator,
  inhomogeneous_poisson_generator
};
enum class ConnectionRule { fixed_total_number, pairwise_bernoulli, fixed_indegree, one_to_one, fixed_outdegree };
enum class Receptor { excitatory, inhibitory };
// What to do with a drawn weight whose sign disagrees with the receptor.
enum class SignPolicy { redraw, clip };
enum class InitDistribution { fixed, normal, uniform };

// Parameters of every neuron model; each model reads only its own fields
// (docs/circuit-file.md lists them per model). Names, units and
// defaults follow NEST. Where NEST gives a leak conductance g_L (gif_psc_exp,
// iaf_cond_exp, hh_psc_alpha) it is kept as tau_m = C_m / g_L.
struct NeuronParams {
  NeuronModel model = NeuronModel::iaf_psc_exp;
  // shared by the models
  double C_m_pF = 250.0;
  double tau_m_ms = 10.0;
  double E_L_mV = -65.0;
  double V_reset_mV = -65.0;
  double t_ref_ms = 2.0;
  double tau_syn_ex_ms = 0.5;
  double tau_syn_in_ms = 0.5;
  double I_e_pA = 0.0;
  // iaf_psc_exp, iaf_cond_exp: hard threshold
  double V_th_mV = -50.0;
  // gif_psc_exp: escape noise lambda_0 * exp((V - V_T) / Delta_V) and
  // moving threshold V_T = V_T_star + sum_j theta_j, each theta_j jumping by
  // q_sfa[j] at a spike and decaying with tau_sfa[j] (Schwalger et al. 2017).
  double V_T_star_mV = -50.0;
  double Delta_V_mV = 2.0;
  double lambda_0_per_s = 10.0;
  std::vector<double> tau_sfa_ms;  // also pp_psc_delta
  std::vector<double> q_sfa_mV;    // also pp_psc_delta
  // iaf_cond_exp: reversal potentials of the excitatory and inhibitory conductances
  double E_ex_mV = 0.0;
  double E_in_mV = -85.0;
  // hh_psc_alpha: sodium and potassium conductances and reversal potentials
  double g_Na_nS = 12000.0;
  double g_K_nS = 3600.0;
  double E_Na_mV = 50.0;
  double E_K_mV = -77.0;
  // pp_psc_delta: rate c_1 V' + c_2 exp(c_3 V') with V' = V_m - E_sfa (Hz),
  // a dead time after each spike, V reset to 0 after a spike if with_reset
  double dead_time_ms = 1.0;
  double c_1_Hz_per_mV = 0.0;
  double c_2_Hz = 1.238;
  double c_3_per_mV = 0.25;
  bool with_reset = true;
  // spike_generator (a stimulus, not a neuron: it has no parameter above and
  // takes no input): spike times in ms from the start of the simulation
  // (t_presim included), on the dt grid and ascending. One train for every
  // neuron of the population, or one train per neuron.
  std::vector<std::vector<double>> spike_times_ms;
  // poisson_generator: each neuron an independent train at rate_Hz, spikes
  // stamped in (start_ms, stop_ms] (NEST's names and window).
  double rate_Hz = 0.0;
  double start_ms = 0.0;
  double stop_ms = 1e300;  // no end
  // inhomogeneous_poisson_generator: rate_values_Hz[j] from rate_times_ms[j]
  // on (0 before the first), times ascending on the dt grid.
  std::vector<double> rate_times_ms, rate_values_Hz;
};

// Whether a population is a stimulus (no membrane, no input) rather than neurons.
inline bool is_stimulus(NeuronModel m) {
  return m == NeuronModel::spike_generator || m == NeuronModel::poisson_generator ||
         m == NeuronModel::inhomogeneous_poisson_generator;
}

struct InitialPotential {
  InitDistribution distribution = InitDistribution::fixed;
  double value_mV = -65.0;  // fixed
  double mean_mV = -65.0;   // normal
  double sd_mV = 0.0;       // normal
  double low_mV = -65.0;    // uniform
  double high_mV = -65.0;   // uniform
};

// Independent Poisson spike trains onto every neuron of a population:
// `indegree` sources each firing at `rate_hz`, each spike adding `weight_pA`
// to the excitatory (weight >= 0) or inhibitory (weight < 0) current.
struct PoissonInput {
  std::uint32_t indegree = 0;
  double rate_hz = 0.0;
  double weight_pA = 0.0;
};

// NEST's step_current_generator onto every neuron of a population:
// amplitude_values_pA[j] from amplitude_times_ms[j] on (0 before the first),
// on top of I_e and dc. Times ascending, on the dt grid.
struct StepCurrent {
  std::vector<double> amplitude_times_ms, amplitude_values_pA;
};

struct Population {
  std::string name;
  std::uint64_t size = 0;
  NeuronParams neuron;
  InitialPotential v_init;
  PoissonInput poisson;
  double dc_pA = 0.0;  // constant current on top of I_e (NEST dc_generator)
  StepCurrent step_current;
};

struct Projection {
  std::string source;
  std::string target;
  ConnectionRule rule = ConnectionRule::fixed_total_number;
  std::uint64_t n_synapses = 0;  // fixed_total_number (multapses, autapses allowed)
  double probability = 0.0;      // pairwise_bernoulli
  std::uint32_t indegree = 0;    // fixed_indegree
  std::uint32_t outdegree = 0;   // fixed_outdegree
  // fixed_indegree, fixed_outdegree: false draws each neuron's partners
  // without replacement (NEST's allow_multapses); the other rules ignore it
  // (one_to_one and pairwise_bernoulli make no multapses, fixed_total_number
  // always may).
  bool allow_multapses = true;
  bool allow_autapses = true;    // one_to_one: false within one population is refused (no synapse)
  double weight_pA = 0.0;        // mean; sign must match the receptor
  double weight_rel_sd = 0.0;    // sd / |mean|
  SignPolicy weight_sign = SignPolicy::redraw;
  double delay_ms = 1.0;         // mean
  double delay_rel_sd = 0.0;     // sd / mean; draws below dt/2 are redrawn
  Receptor receptor = Receptor::excitatory;
};

// NEST's multimeter: state variables of chosen neurons of one population,
// every interval_ms over the recorded window (after t_presim). The value at
// the end of step k is stamped (k + 1) dt, as NEST's.
struct Multimeter {
  std::string population;
  std::vector<std::uint64_t> neurons;     // indices within the population, 0-based
  std::vector<std::string> record_from;   // NEST's names: V_m, I_syn_ex, I_syn_in, E_sfa, g_ex, g_in
  double interval_ms = 0.0;               // 0 means every step (dt)
};

struct RecordSpec {
  bool spikes = true;
  double activity_bin_ms = 0.0;  // 0 means one bin per time step (dt)
};

struct SimulationSpec {
  double dt_ms = 0.1;
  double t_sim_ms = 1000.0;     // recorded biological time
  double t_presim_ms = 0.0;     // transient, simulated first and discarded
  std::uint64_t seed = 1;
  RecordSpec record;
};

struct Circuit {
  std::string name;
  std::string description;
  std::vector<Population> populations;
  std::vector<Projection> projections;
  std::vector<Multimeter> multimeters;
  SimulationSpec simulation;

  // Where each key came from, for error messages: "population[2].size" ->
  // "circuit.toml:14:1". Keys set on the command line say so.
  std::map<std::string, std::string> origins;

  // -1 when absent.
  int population_index(const std::string& population_name) const;
  std::uint64_t total_neurons() const;
};

// Every invalid circuit ends in one of these: the message names the file,
// line, key and what was expected.
class CircuitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const char* to_string(NeuronModel);
const char* to_string(ConnectionRule);
const char* to_string(Receptor);
const char* to_string(SignPolicy);
const char* to_string(InitDistribution);

}  // namespace micromeso
