// The mesoscopic engine: one stochastic population equation per population
// (Schwalger, Deger & Gerstner 2017, PLoS Comput Biol 13:e1005507), fed by
// the same circuit as the microscopic engine. Populations must be
// gif_psc_exp (escape noise); the mapping from the circuit to population
// coupling is documented in src/meso/coupling.hpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "micromeso/circuit.hpp"

namespace micromeso::meso {

enum class NoiseModel {
  binomial,  // n ~ Binomial(N, n_expected / N) (default, as NEST's gif_pop_psc_exp)
  poisson,   // n ~ Poisson(n_expected), clipped to N
  none       // n = n_expected: the N -> infinity integral equation
};
NoiseModel parse_noise_model(const std::string& text);  // "binomial" | "poisson" | "none"

struct MesoOptions {
  NoiseModel noise = NoiseModel::binomial;
  // false: the naive finite-size model (Lambda = 0), which does not conserve
  // the number of neurons; kept for comparison.
  bool lambda_correction = true;
};

// Throws CircuitError naming the population or projection the mesoscopic
// engine cannot represent, and why.
void check_meso_circuit(const Circuit& circuit);

class MesoSimulator {
 public:
  MesoSimulator(const Circuit& circuit, const MesoOptions& options);
  ~MesoSimulator();
  MesoSimulator(MesoSimulator&&) noexcept;
  // Advances one time step dt.
  void step();
  // Spike counts of the last step per population (expected counts for NoiseModel::none).
  const std::vector<double>& spike_counts() const;
  // Expected counts of the last step, before the random draw.
  const std::vector<double>& expected_counts() const;
  std::uint64_t steps_done() const;
  // Length K of the age history (bins of dt) of each population.
  std::size_t history_steps(std::size_t population) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace micromeso::meso
