// Circuits for the multi-rank tests: escape-noise neurons connected by every
// connection rule with fixed delays, so that the ranks exchange spikes once
// per 10 steps (the minimum delay, 1 ms at dt 0.1 ms), and weights with a
// spread (drawn per synapse).
#pragma once

#include <string>

#include "micromeso/circuit.hpp"
#include "micromeso/circuit_io.hpp"

namespace micromeso::testing {

inline const char* kGifRulesCircuit = R"(name = "gif_rules"
[simulation]
dt = 0.1
t_sim = 300.0
t_presim = 50.0
seed = 31
[[population]]
name = "E"
size = 240
model = "gif_psc_exp"
V_T_star = -52.0
Delta_V = 2.0
lambda_0 = 10.0
tau_sfa = [100.0]
q_sfa = [1.0]
I_e = 60.0
poisson = { indegree = 20, rate = 10.0, weight = 20.0 }
[[population]]
name = "I"
size = 70
model = "gif_psc_exp"
V_T_star = -52.0
Delta_V = 2.0
lambda_0 = 10.0
I_e = 60.0
poisson = { indegree = 20, rate = 10.0, weight = 20.0 }
[[projection]]
source = "E"
target = "E"
rule = "fixed_total_number"
n_synapses = 4000
weight = 30.0
weight_rel_sd = 0.2
delay = 1.0
[[projection]]
source = "E"
target = "I"
rule = "pairwise_bernoulli"
probability = 0.1
weight = 40.0
weight_rel_sd = 0.1
delay = 1.5
[[projection]]
source = "I"
target = "E"
rule = "fixed_indegree"
indegree = 12
weight = -60.0
weight_rel_sd = 0.1
delay = 1.2
[[projection]]
source = "I"
target = "I"
rule = "pairwise_bernoulli"
probability = 0.2
allow_autapses = false
weight = -40.0
delay = 2.0
[[projection]]
source = "E"
target = "E"
rule = "fixed_indegree"
indegree = 5
allow_autapses = false
weight = 10.0
delay = 3.0
)";

inline Circuit gif_rules_circuit() { return parse_circuit_toml(kGifRulesCircuit, "gif_rules.toml"); }

// The same circuit with the rules drawn per anchor neuron added: one_to_one,
// fixed_outdegree with and without multapses, fixed_indegree without.
inline const char* kDegreeRulesProjections = R"(
[[projection]]
source = "I"
target = "I"
rule = "one_to_one"
weight = -20.0
delay = 1.0
[[projection]]
source = "E"
target = "I"
rule = "fixed_outdegree"
outdegree = 6
weight = 15.0
weight_rel_sd = 0.2
delay = 1.1
[[projection]]
source = "I"
target = "E"
rule = "fixed_outdegree"
outdegree = 40
allow_multapses = false
weight = -15.0
delay = 1.3
[[projection]]
source = "E"
target = "E"
rule = "fixed_outdegree"
outdegree = 8
allow_multapses = false
allow_autapses = false
weight = 8.0
delay_rel_sd = 0.3
delay = 2.0
[[projection]]
source = "E"
target = "I"
rule = "fixed_indegree"
indegree = 25
allow_multapses = false
weight = 10.0
delay = 1.0
[[projection]]
source = "I"
target = "I"
rule = "fixed_indegree"
indegree = 69
allow_multapses = false
allow_autapses = false
weight = -2.0
delay = 1.0
)";

inline Circuit gif_degree_rules_circuit() {
  Circuit c = parse_circuit_toml(std::string(kGifRulesCircuit) + kDegreeRulesProjections, "gif_degree_rules.toml");
  c.name = "gif_degree_rules";
  return c;
}

}  // namespace micromeso::testing
