#include "micromeso/circuit.hpp"

namespace micromeso {

int Circuit::population_index(const std::string& population_name) const {
  for (std::size_t i = 0; i < populations.size(); ++i)
    if (populations[i].name == population_name) return static_cast<int>(i);
  return -1;
}

std::uint64_t Circuit::total_neurons() const {
  std::uint64_t total = 0;
  for (const Population& p : populations) total += p.size;
  return total;
}

const char* to_string(NeuronModel m) {
  switch (m) {
    case NeuronModel::iaf_psc_exp: return "iaf_psc_exp";
    case NeuronModel::gif_psc_exp: return "gif_psc_exp";
    case NeuronModel::iaf_cond_exp: return "iaf_cond_exp";
    case NeuronModel::hh_psc_alpha: return "hh_psc_alpha";
    case NeuronModel::pp_psc_delta: return "pp_psc_delta";
    case NeuronModel::spike_generator: return "spike_generator";
    case NeuronModel::poisson_generator: return "poisson_generator";
    case NeuronModel::inhomogeneous_poisson_generator: return "inhomogeneous_poisson_generator";
  }
  return "?";
}

const char* to_string(ConnectionRule r) {
  switch (r) {
    case ConnectionRule::fixed_total_number: return "fixed_total_number";
    case ConnectionRule::pairwise_bernoulli: return "pairwise_bernoulli";
    case ConnectionRule::fixed_indegree: return "fixed_indegree";
    case ConnectionRule::one_to_one: return "one_to_one";
    case ConnectionRule::fixed_outdegree: return "fixed_outdegree";
  }
  return "?";
}

const char* to_string(Receptor r) { return r == Receptor::excitatory ? "excitatory" : "inhibitory"; }
const char* to_string(SignPolicy s) { return s == SignPolicy::redraw ? "redraw" : "clip"; }

const char* to_string(InitDistribution d) {
  switch (d) {
    case InitDistribution::fixed: return "fixed";
    case InitDistribution::normal: return "normal";
    case InitDistribution::uniform: return "uniform";
  }
  return "?";
}

}  // namespace micromeso
