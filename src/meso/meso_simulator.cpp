#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "meso/coupling.hpp"
#include "meso/input_noise.hpp"
#include "meso/lif_population.hpp"
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
  std::vector<PopulationCoupling> coupling;   // external and constant input per population
  DelayedCoupling delayed;                    // recurrent input (coupling.hpp)
  std::vector<double> filtered;               // this step's value of each delay filter
  // Per population, one of the two equations: escape noise (gif_psc_exp)
  // or hard threshold under input noise (iaf_psc_exp).
  struct Equation {
    std::optional<PopulationEquation> gif;
    std::optional<LifPopulationEquation> lif;
    const physics::ExpSynapsePropagators& prop() const { return gif ? gif->constants().prop : lif->constants().prop; }
    double size() const { return gif ? gif->constants().size : lif->constants().size; }
  };
  std::vector<Equation> populations;
  std::vector<physics::MembraneState> currents;  // mean synaptic currents per population (V unused)
  std::vector<std::vector<double>> past_counts;  // ring of spike counts, per population, held twice (step)
  std::size_t ring = 1;
  std::vector<double> counts, expected;
  // Built where MesoOptions::input_noise asks for it or a hard-threshold
  // population needs its variance for a hazard; the escape-noise
  // populations' thresholds are shifted only under the option.
  std::optional<InputNoise> input_noise;
  std::uint64_t step = 0;
  // Scratch of a step: the hard-threshold populations' runs of bins and
  // blocks (LifPopulationEquation::begin_step) and those populations.
  std::vector<LifBinSegment> segments;
  std::size_t segment_count = 0;
  std::vector<std::size_t> lif_pending;
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
  s.delayed = make_delayed_coupling(circuit);
  s.filtered.assign(s.delayed.filters.size(), 0.0);
  std::uint32_t longest_delay = 1;
  for (const DelayFilter& f : s.delayed.filters)
    for (const auto& tap : f.taps) longest_delay = std::max(longest_delay, tap.first);
  // A power of two, so that the ring's index is a mask rather than a division
  // (the coupling's terms, one per projection and delay step, are a good
  // part of a step's time in circuits of hard-threshold populations).
  s.ring = std::bit_ceil(std::size_t{longest_delay} + 1);
  bool hard_threshold = false;
  for (const Population& p : circuit.populations) {
    Impl::Equation& eq = s.populations.emplace_back();
    if (p.neuron.model == NeuronModel::iaf_psc_exp) {
      // The exact history: one bin per step over t_ref + 5 tau_m; also under
      // the paper's free pool, which forgets its members' reset (lif_population.hpp).
      const bool exact_history = block_change == 0.0 || options.paper_free_pool;
      eq.lif.emplace(make_lif_constants(p, s.dt_ms, exact_history), options.paper_free_pool);
      hard_threshold = true;
    } else {
      // Blocks of young ages (population_equation.hpp) as for the
      // hard-threshold populations, not under the paper's free pool.
      eq.gif.emplace(make_population_constants(p, s.dt_ms, block_change, !options.paper_free_pool),
                     options.paper_free_pool);
    }
    s.past_counts.emplace_back(2 * s.ring, 0.0);
  }
  s.currents.assign(circuit.populations.size(), physics::MembraneState{0.0, 0.0, 0.0, 0});
  if (options.input_noise || hard_threshold) s.input_noise.emplace(circuit, s.dt_ms);
  s.counts.assign(circuit.populations.size(), 0.0);
  s.expected.assign(circuit.populations.size(), 0.0);
}

MesoSimulator::~MesoSimulator() = default;
MesoSimulator::MesoSimulator(MesoSimulator&&) noexcept = default;

void MesoSimulator::step() {
  Impl& s = *impl_;
  if (s.input_noise) s.input_noise->advance(s.past_counts, s.ring, s.step);
  // Each delay filter's count once (coupling.hpp, DelayedCoupling), then per
  // target one term per projection.
  // The ring of past counts holds each count twice (at i and i + ring), so
  // that a filter's window of past steps is contiguous; before t = 0 it holds
  // zeros (nothing was sent), as the ring is longer than the longest delay.
  for (std::size_t f = 0; f < s.delayed.filters.size(); ++f) {
    const DelayFilter& filter = s.delayed.filters[f];
    const double* const past = s.past_counts[filter.source].data() + ((s.step - filter.longest) & (s.ring - 1));
    const double* const window = filter.window.data();
    double value = 0.0;
#pragma omp simd reduction(+ : value)
    for (std::size_t j = 0; j < filter.window.size(); ++j) value += window[j] * past[j];
    s.filtered[f] = value;
  }
  for (std::size_t a = 0; a < s.populations.size(); ++a) {
    const PopulationCoupling& pc = s.coupling[a];
    double arriving_ex = pc.external_ex_pA_per_step, arriving_in = pc.external_in_pA_per_step;
    for (const FilteredInput& in : s.delayed.inputs[a])
      (in.excitatory ? arriving_ex : arriving_in) += in.weight_per_spike_pA * s.filtered[in.filter];
    physics::MembraneState& I = s.currents[a];
    I.V_rel_mV = 0.0;
    Impl::Equation& equation = s.populations[a];
    if (equation.lif) {
      // iaf_psc_exp order (iaf_psc_exp_step): the membrane moves with the
      // currents as they were, then the arriving input joins them and acts
      // on V from the next step on.
      const double drive = physics::propagate_membrane(I, equation.prop(), pc.constant_current_pA);
      physics::propagate_currents(I, equation.prop(), arriving_ex, arriving_in);
      LifPopulationEquation& eq = *equation.lif;
      const InputNoise::Variances noise = s.input_noise->variances(a);
      if (s.options.noise == NoiseModel::master) {
        PhiloxWords words(s.seed, static_cast<std::uint32_t>(a), s.step, physics::kStreamMesoMaster);
        s.counts[a] = eq.draw_spikes_by_age(drive, noise, words, s.expected[a]);
        eq.commit(s.counts[a]);
      } else {
        // Its hazards run below with every other population's (one call:
        // lif_bin_hazard_runs); the count is drawn after them.
        s.segments.resize(s.segment_count + LifPopulationEquation::kLifSegments);
        s.segment_count += eq.begin_step(drive, noise, s.segments.data() + s.segment_count);
        s.lif_pending.push_back(a);
      }
      continue;
    }
    // The currents take this step's arriving input first, then give the
    // membrane increment of the step: input acts on V in the step it
    // arrives, as in gif_psc_exp_step (NEST's gif_psc_exp order).
    physics::propagate_currents(I, equation.prop(), arriving_ex, arriving_in);
    const double drive = physics::propagate_membrane(I, equation.prop(), pc.constant_current_pA);
    PopulationEquation& eq = *equation.gif;
    const ThresholdShift shift =
        s.input_noise && s.options.input_noise ? s.input_noise->threshold_shift(a) : ThresholdShift{};
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
  // The hard-threshold populations' hazards, then their counts. Each draws
  // from its own counter (seed, population, step), so the order of the
  // populations' draws changes no number.
  lif_bin_hazard_runs(s.segments.data(), s.segment_count);
  for (const std::size_t a : s.lif_pending) {
    LifPopulationEquation& eq = *s.populations[a].lif;
    PhiloxWords words(s.seed, static_cast<std::uint32_t>(a), s.step);
    s.expected[a] = eq.end_step(s.options.lambda_correction);
    s.counts[a] = draw_spike_count(s.options.noise, s.expected[a], eq.constants().size, words);
    eq.commit(s.counts[a]);
  }
  s.segment_count = 0;
  s.lif_pending.clear();
  for (std::size_t a = 0; a < s.populations.size(); ++a)
    s.past_counts[a][s.step & (s.ring - 1)] = s.past_counts[a][(s.step & (s.ring - 1)) + s.ring] = s.counts[a];
  ++s.step;
}

const std::vector<double>& MesoSimulator::spike_counts() const { return impl_->counts; }
const std::vector<double>& MesoSimulator::expected_counts() const { return impl_->expected; }
std::uint64_t MesoSimulator::steps_done() const { return impl_->step; }
std::size_t MesoSimulator::history_steps(std::size_t p) const {
  const Impl::Equation& eq = impl_->populations[p];
  return eq.gif ? eq.gif->constants().layout.total() : eq.lif->constants().history;
}
double MesoSimulator::input_noise_variance_mV2(std::size_t p) const {
  const Impl& s = *impl_;
  if (!s.input_noise || (!s.options.input_noise && !s.populations[p].lif)) return 0.0;
  return s.input_noise->variance_mV2(p);
}

}  // namespace micromeso::meso
