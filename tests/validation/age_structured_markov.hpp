// An exact reference for all-to-all coupled populations of non-adapting
// gif_psc_exp neurons: the age-structured Markov chain of the population
// (the "master equation" variant of Schwalger's reference code, reference
// meso-algorithm.md 3.7). With all-to-all coupling every neuron of a
// population receives the same input, so a neuron's state is its age (steps
// since its last spike) and the population is fully described by how many
// neurons have each age; per step each age group of m neurons loses
// Binomial(m, p_age) of them to the youngest age. This is the spiking
// network in distribution (up to ages beyond the window, whose reset has
// decayed to exp(-10) of its size), with none of the finite-size
// approximations of the population equations (no Lambda, no binomial draw of
// the total). Test code: slow, O(window) binomial draws per step.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "micromeso/circuit.hpp"
#include "micromeso/physics/exp_synapse.hpp"

namespace micromeso::testing {

// Spike counts per step of each population for `steps` steps. Requires
// all-to-all projections (pairwise_bernoulli, probability 1), no adaptation,
// no Poisson input, one dt for all.
inline std::vector<std::vector<std::uint32_t>> age_structured_markov(const Circuit& c, std::uint64_t steps,
                                                                      std::uint64_t seed) {
  const double h = c.simulation.dt_ms;
  const std::size_t P = c.populations.size();
  struct Group {
    std::vector<std::uint64_t> m;  // neurons whose last spike was i + 1 steps ago (last entry: that age or older)
    std::vector<double> u;         // their membrane potential relative to E_L (mV)
    physics::MembraneState currents{0.0, 0.0, 0.0, 0};
    physics::ExpSynapsePropagators prop;
    std::size_t refractory = 0;
  };
  std::vector<Group> groups(P);
  for (std::size_t a = 0; a < P; ++a) {
    const NeuronParams& n = c.populations[a].neuron;
    Group& g = groups[a];
    g.prop = physics::make_exp_synapse_propagators(n.C_m_pF, n.tau_m_ms, n.tau_syn_ex_ms, n.tau_syn_in_ms, h);
    g.refractory = static_cast<std::size_t>(std::llround(n.t_ref_ms / h));
    const auto window = static_cast<std::size_t>(std::ceil(10.0 * n.tau_m_ms / h)) + g.refractory + 2;
    g.m.assign(window, 0);
    g.u.assign(window, n.V_reset_mV - n.E_L_mV);
    g.m[0] = c.populations[a].size;  // all fired just before t = 0, as in the engines
  }
  std::mt19937_64 rng(seed);
  std::vector<std::vector<std::uint32_t>> counts(P, std::vector<std::uint32_t>(steps, 0));
  for (std::uint64_t k = 0; k < steps; ++k) {
    for (std::size_t a = 0; a < P; ++a) {
      const Population& pop = c.populations[a];
      const NeuronParams& n = pop.neuron;
      Group& g = groups[a];
      double arriving_ex = 0.0, arriving_in = 0.0;
      for (const Projection& pr : c.projections) {
        if (pr.target != pop.name) continue;
        const auto d = static_cast<std::uint64_t>(std::llround(pr.delay_ms / h));
        if (k < d) continue;
        const std::size_t b = static_cast<std::size_t>(c.population_index(pr.source));
        (pr.receptor == Receptor::excitatory ? arriving_ex : arriving_in) += pr.weight_pA * counts[b][k - d];
      }
      // gif_psc_exp's order (NEST): the arriving input joins the currents
      // before the membrane step, so it acts on V in this step.
      g.currents.V_rel_mV = 0.0;
      physics::propagate_currents(g.currents, g.prop, arriving_ex, arriving_in);
      const double drive = physics::propagate_membrane(g.currents, g.prop, n.I_e_pA + pop.dc_pA);
      const std::size_t W = g.m.size();
      std::vector<std::uint64_t> m(W, 0);
      std::vector<double> u(W, n.V_reset_mV - n.E_L_mV);
      std::uint64_t fired = 0;
      // Index i held neurons whose last spike was i + 1 steps ago; in this
      // step (i + 1 >= t_ref / h + 1 steps after the spike, as in the micro
      // engine) they integrate and may fire, then move to index i + 1.
      for (std::size_t i = W; i-- > 0;) {
        if (g.m[i] == 0) continue;
        std::uint64_t survivors = g.m[i];
        double v = g.u[i];
        if (i >= g.refractory) {
          v = v * g.prop.P22 + drive;
          const double hazard = n.lambda_0_per_s * 1e-3 * std::exp((v - (n.V_T_star_mV - n.E_L_mV)) / n.Delta_V_mV);
          const auto f = std::binomial_distribution<std::uint64_t>(survivors, -std::expm1(-hazard * h))(rng);
          fired += f;
          survivors -= f;
        }
        const std::size_t j = i + 1 < W ? i + 1 : W - 1;  // the last index keeps the oldest together
        if (survivors > 0) {
          u[j] = m[j] ? (u[j] * double(m[j]) + v * double(survivors)) / double(m[j] + survivors) : v;
          m[j] += survivors;
        }
      }
      m[0] = fired;
      g.m.swap(m);
      g.u.swap(u);
      counts[a][k] = static_cast<std::uint32_t>(fired);
    }
  }
  return counts;
}

}  // namespace micromeso::testing
