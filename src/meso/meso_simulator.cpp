#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "meso/coupling.hpp"
#include "meso/input_noise.hpp"
#include "meso/population_equation.hpp"
#include "meso/spike_count_draw.hpp"
#include "micromeso/meso.hpp"

namespace micromeso::meso {

NoiseModel parse_noise_model(const std::string& text) {
  if (text == "binomial") return NoiseModel::binomial;
  if (text == "poisson") return NoiseModel::poisson;
  if (text == "none") return NoiseModel::none;
  if (text == "master") return NoiseModel::master;
  throw std::invalid_argument(fmt::format("--noise: '{}' is not one of binomial, poisson, none, master", text));
}

struct MesoSimulator::Impl {
  MesoOptions options;
  std::uint64_t seed = 0;
  double dt_ms = 0.0;
  std::vector<PopulationCoupling> coupling;
  std::vector<PopulationEquation> populations;
  std::vector<physics::MembraneState> currents;  // mean synaptic currents per population (V unused)
  std::vector<std::vector<double>> past_counts;  // ring of spike counts, per population
  std::size_t ring = 1;
  std::vector<double> counts, expected;
  std::optional<InputNoise> input_noise;
  std::uint64_t step = 0;
};

MesoSimulator::MesoSimulator(const Circuit& circuit, const MesoOptions& options) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.options = options;
  if (!(options.block_kernel_change_Delta_V >= 0.0) || !std::isfinite(options.block_kernel_change_Delta_V))
    throw std::invalid_argument(fmt::format("meso: block_kernel_change_Delta_V is {}, not a finite number >= 0",
                                            options.block_kernel_change_Delta_V));
  if (options.noise == NoiseModel::master && !options.lambda_correction)
    throw std::invalid_argument("meso: the master variant has no Lambda correction to switch off (--noise master "
                                "with --no-lambda-correction)");
  // The master variant draws per age bin, so each bin is one age.
  const double block_change = options.noise == NoiseModel::master ? 0.0 : options.block_kernel_change_Delta_V;
  s.seed = circuit.simulation.seed;
  s.dt_ms = circuit.simulation.dt_ms;
  s.coupling = make_coupling(circuit);
  std::uint32_t longest_delay = 1;
  for (const auto& pc : s.coupling)
    for (const auto& in : pc.inputs) longest_delay = std::max(longest_delay, in.delay_steps);
  s.ring = longest_delay + 1;
  for (const Population& p : circuit.populations) {
    s.populations.emplace_back(make_population_constants(p, s.dt_ms, block_change), options.paper_free_pool);
    s.past_counts.emplace_back(s.ring, 0.0);
  }
  s.currents.assign(circuit.populations.size(), physics::MembraneState{0.0, 0.0, 0.0, 0});
  if (options.input_noise) s.input_noise.emplace(circuit, s.dt_ms);
  s.counts.assign(circuit.populations.size(), 0.0);
  s.expected.assign(circuit.populations.size(), 0.0);
}

MesoSimulator::~MesoSimulator() = default;
MesoSimulator::MesoSimulator(MesoSimulator&&) noexcept = default;

void MesoSimulator::step() {
  Impl& s = *impl_;
  if (s.input_noise) s.input_noise->advance(s.past_counts, s.ring, s.step);
  for (std::size_t a = 0; a < s.populations.size(); ++a) {
    const PopulationCoupling& pc = s.coupling[a];
    double arriving_ex = pc.external_ex_pA_per_step, arriving_in = pc.external_in_pA_per_step;
    for (const CouplingInput& in : pc.inputs) {
      if (s.step < in.delay_steps) continue;  // nothing was sent before t = 0
      const double n = s.past_counts[in.source][(s.step - in.delay_steps) % s.ring];
      (in.excitatory ? arriving_ex : arriving_in) += in.weight_per_spike_pA * n;
    }
    // The currents take this step's arriving input first, then give the
    // membrane increment of the step: input acts on V in the step it
    // arrives, as in gif_psc_exp_step (NEST's gif_psc_exp order).
    physics::MembraneState& I = s.currents[a];
    I.V_rel_mV = 0.0;
    physics::propagate_currents(I, s.populations[a].constants().prop, arriving_ex, arriving_in);
    const double drive = physics::propagate_membrane(I, s.populations[a].constants().prop, pc.constant_current_pA);
    PopulationEquation& eq = s.populations[a];
    const ThresholdShift shift = s.input_noise ? s.input_noise->threshold_shift(a) : ThresholdShift{};
    if (s.options.noise == NoiseModel::master) {
      PhiloxWords words(s.seed, static_cast<std::uint32_t>(a), s.step, physics::kStreamMesoMaster);
      s.counts[a] = eq.draw_spikes_by_age(drive, shift, words, s.expected[a]);
    } else {
      PhiloxWords words(s.seed, static_cast<std::uint32_t>(a), s.step);
      s.expected[a] = eq.expected_spikes(drive, s.options.lambda_correction, shift);
      s.counts[a] = draw_spike_count(s.options.noise, s.expected[a], eq.constants().size, words);
    }
    eq.commit(s.counts[a]);
  }
  for (std::size_t a = 0; a < s.populations.size(); ++a) s.past_counts[a][s.step % s.ring] = s.counts[a];
  ++s.step;
}

const std::vector<double>& MesoSimulator::spike_counts() const { return impl_->counts; }
const std::vector<double>& MesoSimulator::expected_counts() const { return impl_->expected; }
std::uint64_t MesoSimulator::steps_done() const { return impl_->step; }
std::size_t MesoSimulator::history_steps(std::size_t p) const { return impl_->populations[p].constants().layout.total(); }
double MesoSimulator::input_noise_variance_mV2(std::size_t p) const {
  return impl_->input_noise ? impl_->input_noise->variance_mV2(p) : 0.0;
}

}  // namespace micromeso::meso
