// Small circuits built in code for the engine tests.
#pragma once

#include <string>

#include "micromeso/circuit.hpp"
#include "micromeso/circuit_io.hpp"

namespace micromeso::testing {

inline Population iaf_population(const std::string& name, std::uint64_t size) {
  Population p;
  p.name = name;
  p.size = size;
  p.neuron.model = NeuronModel::iaf_psc_exp;
  p.neuron.E_L_mV = -65.0;
  p.neuron.V_reset_mV = -65.0;
  p.neuron.V_th_mV = -50.0;
  p.v_init.distribution = InitDistribution::fixed;
  p.v_init.value_mV = -65.0;
  return p;
}

inline Projection projection(const std::string& source, const std::string& target, ConnectionRule rule,
                             double weight_pA, double delay_ms) {
  Projection pr;
  pr.source = source;
  pr.target = target;
  pr.rule = rule;
  pr.weight_pA = weight_pA;
  pr.receptor = weight_pA >= 0 ? Receptor::excitatory : Receptor::inhibitory;
  pr.delay_ms = delay_ms;
  return pr;
}

// fixed_total_number over target populations of several blocks of
// physics::kTotalNumberBlockTargets (2600 = 2 x 1024 + 552 targets, 1030 =
// 1024 + 6) and one of a single block; autapses refused within A and C.
inline Circuit multi_block_circuit() {
  Circuit c;
  c.name = "multi_block";
  c.simulation.seed = 2027;
  c.populations = {iaf_population("A", 2600), iaf_population("B", 300), iaf_population("C", 1030)};
  auto aa = projection("A", "A", ConnectionRule::fixed_total_number, 20.0, 1.5);
  aa.n_synapses = 60000;
  aa.allow_autapses = false;
  aa.weight_rel_sd = 0.2;
  aa.delay_rel_sd = 0.5;
  auto ba = projection("B", "A", ConnectionRule::fixed_total_number, -40.0, 1.0);
  ba.n_synapses = 20000;
  auto ab = projection("A", "B", ConnectionRule::fixed_total_number, 30.0, 2.0);
  ab.n_synapses = 30000;
  auto cc = projection("C", "C", ConnectionRule::fixed_total_number, 10.0, 1.0);
  cc.n_synapses = 25000;
  cc.allow_autapses = false;
  c.projections = {aa, ba, ab, cc};
  return c;
}

// Two recurrently coupled populations (E, I) of iaf_psc_exp neurons plus one
// gif_psc_exp population with adaptation, all driven by Poisson input: every
// code path of the CPU engine in a network that fires at a few Hz.
// Two iaf_psc_exp populations "A" (n_pre) and "B" (n_post) joined by one
// projection, not validated (tests of refusals validate it themselves).
inline Circuit two_populations(const std::string& name, std::uint64_t seed, std::uint64_t n_pre,
                               std::uint64_t n_post, const Projection& pr) {
  Circuit c;
  c.name = name;
  c.simulation.seed = seed;
  c.populations = {iaf_population("A", n_pre), iaf_population("B", n_post)};
  c.projections = {pr};
  return c;
}

inline Circuit small_mixed_circuit(std::uint64_t seed) {
  Circuit c;
  c.name = "small_mixed";
  c.simulation.dt_ms = 0.1;
  c.simulation.t_sim_ms = 200.0;
  c.simulation.t_presim_ms = 50.0;
  c.simulation.seed = seed;
  Population e = iaf_population("E", 400), i = iaf_population("I", 100);
  e.v_init.distribution = i.v_init.distribution = InitDistribution::normal;
  e.v_init.mean_mV = i.v_init.mean_mV = -58.0;
  e.v_init.sd_mV = i.v_init.sd_mV = 5.0;
  e.poisson = i.poisson = PoissonInput{2000, 8.0, 87.8};
  Population g;
  g.name = "G";
  g.size = 200;
  g.neuron.model = NeuronModel::gif_psc_exp;
  g.neuron.C_m_pF = 250.0;
  g.neuron.tau_m_ms = 20.0;
  g.neuron.E_L_mV = 0.0;
  g.neuron.V_reset_mV = 0.0;
  g.neuron.V_T_star_mV = 15.0;
  g.neuron.Delta_V_mV = 2.0;
  g.neuron.lambda_0_per_s = 10.0;
  g.neuron.t_ref_ms = 4.0;
  g.neuron.tau_syn_ex_ms = g.neuron.tau_syn_in_ms = 3.0;
  g.neuron.tau_sfa_ms = {100.0, 500.0};
  g.neuron.q_sfa_mV = {2.0, 0.5};
  g.v_init.distribution = InitDistribution::uniform;
  g.v_init.low_mV = 0.0;
  g.v_init.high_mV = 10.0;
  g.dc_pA = 150.0;
  g.poisson = PoissonInput{100, 10.0, 30.0};
  c.populations = {e, i, g};
  auto ee = projection("E", "E", ConnectionRule::fixed_total_number, 87.8, 1.5);
  ee.n_synapses = 16000;
  ee.weight_rel_sd = 0.1;
  ee.delay_rel_sd = 0.5;
  auto ie = projection("I", "E", ConnectionRule::pairwise_bernoulli, -351.2, 0.8);
  ie.probability = 0.1;
  ie.delay_rel_sd = 0.5;
  auto ei = projection("E", "I", ConnectionRule::fixed_indegree, 87.8, 1.5);
  ei.indegree = 40;
  auto eg = projection("E", "G", ConnectionRule::fixed_indegree, 20.0, 2.0);
  eg.indegree = 20;
  auto gi = projection("G", "I", ConnectionRule::pairwise_bernoulli, 50.0, 1.0);
  gi.probability = 0.05;
  gi.weight_sign = SignPolicy::clip;
  gi.weight_rel_sd = 0.5;
  c.projections = {ee, ie, ei, eg, gi};
  return c;
}

// Every neuron model in one recurrent circuit, each population firing at
// several Hz. Weights are in the target's unit: pA (psc models), nS
// (iaf_cond_exp), mV (pp_psc_delta).
inline const char* kEveryModelCircuit = R"(name = "every_model"
[simulation]
dt = 0.1
seed = 12
[[population]]
name = "iaf"
size = 60
model = "iaf_psc_exp"
I_e = 380.0
poisson = { indegree = 20, rate = 10.0, weight = 80.0 }
[[population]]
name = "gif"
size = 60
model = "gif_psc_exp"
V_T_star = -50.0
Delta_V = 2.0
lambda_0 = 10.0
tau_sfa = [100.0]
q_sfa = [1.0]
I_e = 60.0
poisson = { indegree = 20, rate = 10.0, weight = 20.0 }
[[population]]
name = "cond"
size = 60
model = "iaf_cond_exp"
I_e = 250.0
V_m = { distribution = "uniform", low = -70.0, high = -56.0 }
poisson = { indegree = 20, rate = 10.0, weight = 2.0 }
[[population]]
name = "hh"
size = 40
model = "hh_psc_alpha"
I_e = 600.0
step_current = { amplitude_times = [50.0, 150.0], amplitude_values = [150.0, -100.0] }
poisson = { indegree = 20, rate = 10.0, weight = 60.0 }
[[population]]
name = "pp"
size = 60
model = "pp_psc_delta"
c_2 = 15.0
c_3 = 0.2
tau_sfa = [50.0]
q_sfa = [0.5]
poisson = { indegree = 20, rate = 10.0, weight = 0.5 }
[[population]]
name = "stim"
size = 20
model = "spike_generator"
spike_times = [5.0, 12.5, 20.0, 33.3, 50.0, 50.1, 77.7, 100.0, 120.0, 150.0, 180.0, 199.9]
[[population]]
name = "noise"
size = 10
model = "inhomogeneous_poisson_generator"
rate_times = [0.0, 100.0]
rate_values = [30.0, 90.0]
[[projection]]
source = "noise"
target = "pp"
rule = "fixed_indegree"
indegree = 2
weight = 0.5
[[projection]]
source = "stim"
target = "iaf"
rule = "pairwise_bernoulli"
probability = 0.5
weight = 40.0
delay = 2.0
[[projection]]
source = "stim"
target = "cond"
rule = "fixed_indegree"
indegree = 3
weight = -2.0
[[multimeter]]
population = "gif"
neurons = [0, 7, 59]
record_from = ["V_m", "I_syn_ex", "I_syn_in", "E_sfa"]
[[multimeter]]
population = "cond"
neurons = [3]
record_from = ["g_ex", "g_in", "V_m"]
interval = 0.5
[[multimeter]]
population = "hh"
neurons = [0, 39]
record_from = ["V_m", "I_syn_ex"]
[[multimeter]]
population = "pp"
neurons = [1]
record_from = ["V_m"]
[[projection]]
source = "iaf"
target = "cond"
rule = "fixed_indegree"
indegree = 10
weight = 1.0
[[projection]]
source = "cond"
target = "hh"
rule = "pairwise_bernoulli"
probability = 0.2
weight = -50.0
[[projection]]
source = "hh"
target = "pp"
rule = "fixed_total_number"
n_synapses = 400
weight = 1.0
delay = 1.5
[[projection]]
source = "pp"
target = "gif"
rule = "fixed_indegree"
indegree = 8
weight = 30.0
[[projection]]
source = "gif"
target = "iaf"
rule = "fixed_indegree"
indegree = 8
weight = -40.0
)";

inline Circuit every_model_circuit() { return parse_circuit_toml(kEveryModelCircuit, "every_model.toml"); }

}  // namespace micromeso::testing
