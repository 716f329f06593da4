// Built-in circuits of escape-noise (gif_psc_exp) neurons, which both the
// microscopic and the mesoscopic engine run (Schwalger, Deger & Gerstner
// 2017; parameters of the paper's example networks, as NEST's gif_pop_psc_exp
// examples use them).
#include <cmath>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "model/builtins.hpp"

namespace micromeso::model {
namespace {

// Schwalger et al.'s neurons, voltages relative to rest (E_L = 0):
// tau_m 20 ms, t_ref 4 ms, V_T* 15 mV, V_reset 0, lambda_0 10 Hz.
NeuronParams schwalger_neuron() {
  NeuronParams n;
  n.model = NeuronModel::gif_psc_exp;
  n.C_m_pF = 250.0;
  n.tau_m_ms = 20.0;
  n.E_L_mV = 0.0;
  n.V_reset_mV = 0.0;
  n.t_ref_ms = 4.0;
  n.tau_syn_ex_ms = 3.0;
  n.tau_syn_in_ms = 6.0;
  n.V_T_star_mV = 15.0;
  n.Delta_V_mV = 2.0;
  n.lambda_0_per_s = 10.0;
  return n;
}

std::uint64_t scaled(double n, double scale) {
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(n * scale)));
}

// A built-in made from another: its own name and description, and every
// value attributed to it (origins name the source of each key).
void rename_builtin(Circuit& c, const std::string& name, std::string description) {
  c.name = name;
  c.description = std::move(description);
  c.origins.clear();
  c.origins[""] = "built-in " + name;
}

}  // namespace

// One uncoupled population with one slow adaptation kernel (as Schwalger's
// uncoupled example, reference 4.3: tau 1 s, q 1.5 mV), driven at mu = 20 mV:
// the simplest micro-vs-meso comparison.
Circuit gif_single(const BuiltinOptions& options) {
  Circuit c;
  c.name = "gif_single";
  c.description = "One population of 500 gif_psc_exp neurons with threshold adaptation, constant drive mu = 20 mV";
  c.origins[""] = "built-in gif_single";
  c.simulation.dt_ms = 0.1;
  c.simulation.t_presim_ms = 1000.0;
  c.simulation.t_sim_ms = 10000.0;
  c.simulation.seed = 1;
  c.simulation.record.activity_bin_ms = 1.0;
  Population p;
  p.name = "P";
  p.size = scaled(500, options.scale);
  p.neuron = schwalger_neuron();
  p.neuron.I_e_pA = 20.0 * p.neuron.C_m_pF / p.neuron.tau_m_ms;  // mu = R I_e = 20 mV
  p.neuron.tau_sfa_ms = {1000.0};
  p.neuron.q_sfa_mV = {1.5};  // J_theta = 1.5 mV s (lif_adap.py)
  p.v_init.distribution = InitDistribution::uniform;
  p.v_init.low_mV = 0.0;
  p.v_init.high_mV = 10.0;
  c.populations = {p};
  return c;
}

// Two populations of 500 escape-noise neurons with self-excitation and
// mutual inhibition: a winner-take-all pair with two attractors (one
// population high, the other low) between which finite-size noise switches
// it every few seconds, in the spirit of Schwalger et al. (2017, Fig. 1) and
// the winner-take-all example of reference 4.4. The weights were chosen here
// (micromeso) so that both the micro network and the meso equations switch
// a few times per minute: drive mu = 16 mV, 100 inputs from each population,
// +8 pA within and -9 pA across, delay 1 ms, Delta_V 2.5 mV, dt 0.5 ms.
Circuit bistable_pair(const BuiltinOptions& options) {
  Circuit c;
  c.name = "bistable_pair";
  c.description = "Two mutually inhibiting populations of 500 gif_psc_exp neurons switching between two attractors";
  c.origins[""] = "built-in bistable_pair";
  c.simulation.dt_ms = 0.5;
  c.simulation.t_presim_ms = 1000.0;
  c.simulation.t_sim_ms = 60000.0;
  c.simulation.seed = 3;
  c.simulation.record.activity_bin_ms = 50.0;
  for (const char* name : {"A", "B"}) {
    Population p;
    p.name = name;
    p.size = scaled(500, options.scale);
    p.neuron = schwalger_neuron();
    p.neuron.Delta_V_mV = 2.5;
    p.neuron.I_e_pA = 16.0 * p.neuron.C_m_pF / p.neuron.tau_m_ms;  // mu = 16 mV
    p.v_init.distribution = InitDistribution::uniform;
    p.v_init.low_mV = 0.0;
    p.v_init.high_mV = 10.0;
    c.populations.push_back(p);
  }
  for (const char* source : {"A", "B"})
    for (const char* target : {"A", "B"}) {
      Projection pr;
      pr.source = source;
      pr.target = target;
      pr.rule = ConnectionRule::fixed_indegree;
      pr.indegree = static_cast<std::uint32_t>(std::llround(100 * options.k_scale));
      const bool same = std::string(source) == target;
      pr.weight_pA = same ? 8.0 : -9.0;
      pr.receptor = same ? Receptor::excitatory : Receptor::inhibitory;
      pr.delay_ms = 1.0;
      c.projections.push_back(pr);
    }
  return c;
}

// The 8-population cortical column of Schwalger et al. (2017, Fig. 1 and 8)
// in the form of their microcircuit code (reference 4.5): Potjans-Diesmann
// sizes, connectivity, PSCs and delays; gif_psc_exp neurons with tau_m 10 ms,
// t_ref 2 ms, V_T* 15 mV, Delta_V 5 mV, lambda_0 10 Hz, no adaptation (the
// paper's adaptation values were not available), and the constant drive mu
// (mV) fitted by the authors in place of the Poisson background.
Circuit schwalger2017_column(const BuiltinOptions& options) {
  Circuit c = potjans2014(options);
  rename_builtin(c, "schwalger2017_column",
                 fmt::format("Cortical column of Schwalger et al. (2017): Potjans-Diesmann connectivity, "
                             "gif_psc_exp neurons with escape noise and constant drive, scale {}",
                             options.scale));
  c.simulation.t_presim_ms = 500.0;
  c.simulation.t_sim_ms = 2000.0;
  c.simulation.record.activity_bin_ms = 1.0;
  const double mu_mV[8] = {19.149, 20.362, 30.805, 28.069, 29.437, 29.330, 34.932, 32.081};
  for (std::size_t i = 0; i < c.populations.size(); ++i) {
    Population& p = c.populations[i];
    NeuronParams n;
    n.model = NeuronModel::gif_psc_exp;
    n.C_m_pF = 250.0;
    n.tau_m_ms = 10.0;
    n.E_L_mV = 0.0;
    n.V_reset_mV = 0.0;
    n.t_ref_ms = 2.0;
    n.tau_syn_ex_ms = n.tau_syn_in_ms = 0.5;
    n.V_T_star_mV = 15.0;
    n.Delta_V_mV = 5.0;
    n.lambda_0_per_s = 10.0;
    n.I_e_pA = mu_mV[i] * n.C_m_pF / n.tau_m_ms;  // mu = R I_e
    p.neuron = n;
    p.poisson = PoissonInput{};
    p.dc_pA = 0.0;
    p.v_init.distribution = InitDistribution::uniform;
    p.v_init.low_mV = 0.0;
    p.v_init.high_mV = 15.0;
  }
  return c;
}

// The column with spike-frequency adaptation, as the 8-population model of
// Schwalger et al. (2017) has it. The paper's adaptation values were not
// available to us (reference 4.5), so these are our choice: one threshold
// kernel with tau_sfa = 1 s and area J_theta = 1 mV s (q_sfa = J_theta /
// tau_sfa = 1 mV, the form of the reference's uncoupled examples 4.3) in
// the excitatory populations (pyramidal cells adapt; fast-spiking
// interneurons hardly do), none in the inhibitory ones. A kernel much slower
// than the interspike intervals raises the threshold on average by J_theta
// A_0, so the drive mu of each excitatory population is raised by J_theta
// times the N -> infinity stationary rate A_0 of schwalger2017_column
// (computed by the meso engine, --noise none, dt 0.1 ms: 0.985, 4.622,
// 5.568 and 0.658 Hz), which keeps the rates within 0.2 % (measured). The history
// the meso engine needs grows from 5 tau_m to where the kernel falls below
// 0.1 Delta_V: tau_sfa ln(q_sfa / (0.1 Delta_V)) = 693 ms.
Circuit schwalger2017_column_adapting(const BuiltinOptions& options) {
  Circuit c = schwalger2017_column(options);
  rename_builtin(c, "schwalger2017_column_adapting",
                 fmt::format("Cortical column of Schwalger et al. (2017) with threshold adaptation in the "
                             "excitatory populations (tau_sfa 1 s, q_sfa 1 mV; our choice), scale {}",
                             options.scale));
  const double tau_sfa_ms = 1000.0, q_sfa_mV = 1.0;
  const double J_theta_mV_s = q_sfa_mV * tau_sfa_ms * 1e-3;
  const double rate_hz[8] = {0.985, 0.0, 4.622, 0.0, 5.568, 0.0, 0.658, 0.0};  // excitatory only
  for (std::size_t i = 0; i < c.populations.size(); i += 2) {
    NeuronParams& n = c.populations[i].neuron;
    n.tau_sfa_ms = {tau_sfa_ms};
    n.q_sfa_mV = {q_sfa_mV};
    n.I_e_pA += J_theta_mV_s * rate_hz[i] * n.C_m_pF / n.tau_m_ms;  // mu + J_theta A_0 (mV) as a current
  }
  return c;
}

}  // namespace micromeso::model
