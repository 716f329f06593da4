// The cortical microcircuit of Potjans & Diesmann (2014), Cerebral Cortex
// 24:785-806, with the parameters of NEST's reference implementation
// (pynest/examples/Potjans_2014/, now the project INM-6/microcircuit-PD14-model).
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "model/builtins.hpp"
#include "model/psp.hpp"

namespace micromeso::model {
namespace {

constexpr int kPops = 8;
constexpr std::array<const char*, kPops> kNames = {"L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"};
constexpr std::array<double, kPops> kFullSize = {20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948};
constexpr std::array<double, kPops> kExternalIndegree = {1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100};
// "optimized" initial membrane potentials (NEST example), mean and sd in mV
constexpr std::array<double, kPops> kV0Mean = {-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43};
constexpr std::array<double, kPops> kV0Sd = {5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48};
// Connection probabilities, row = target, column = source (Table 5 of the paper).
constexpr double kProbability[kPops][kPops] = {
    {0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0},
    {0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0},
    {0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0},
    {0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0},
    {0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0},
    {0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0},
    {0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252},
    {0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443}};
// Rates of the full model (NEST example reference, Hz), used only for the DC
// compensation of down-scaled in-degrees.
constexpr std::array<double, kPops> kReferenceRate = {0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829};

constexpr double kPspMean_mV = 0.15, kG = -4.0, kBackgroundRate_Hz = 8.0;
constexpr double kDelayExc_ms = 1.5, kDelayInh_ms = 0.75, kDelayRelSd = 0.5, kWeightRelSd = 0.1;
constexpr double kCm_pF = 250.0, kTauM_ms = 10.0, kTauSyn_ms = 0.5;

// The thalamic pulse of NEST's microcircuit example (stimulus_params.py):
// 902 thalamic neurons, independent Poisson trains at 120 Hz from 700 to
// 710 ms, connection probabilities onto the cortical populations, PSP 0.15 mV
// and delays 1.5 ms (relative sd 0.5) as the cortical excitatory synapses.
constexpr double kThalamicSize = 902, kThalamicRate_Hz = 120.0, kThalamicStart_ms = 700.0, kThalamicStop_ms = 710.0;
constexpr std::array<double, kPops> kThalamicProbability = {0.0, 0.0, 0.0983, 0.0619, 0.0, 0.0, 0.0512, 0.0196};

bool is_excitatory(int population) { return population % 2 == 0; }

// Potjans & Diesmann (2014) Eq. 1, for any pair of population sizes.
double synapses_for_probability(double p, double n_pre, double n_post) {
  const double pairs = n_pre * n_post;
  return std::log(1.0 - p) / std::log((pairs - 1.0) / pairs);
}

// Synapses of a full-scale projection: K pairs drawn with replacement give a
// connection probability p between two given neurons when
// K = ln(1 - p) / ln(1 - 1/(N_pre N_post)) (Potjans & Diesmann 2014, Eq. 1).
double full_synapse_count(int target, int source) {
  return synapses_for_probability(kProbability[target][source], kFullSize[source], kFullSize[target]);
}

}  // namespace

Circuit potjans2014(const BuiltinOptions& options) {
  const double scale = options.scale, k_scale = options.k_scale;
  const double w_exc = psc_for_psp_peak(kPspMean_mV, kTauM_ms, kTauSyn_ms, kCm_pF);  // 87.81 pA
  const auto mean_weight = [&](int target, int source) {
    if (!is_excitatory(source)) return kG * w_exc;
    return (target == 0 && source == 2) ? 2.0 * w_exc : w_exc;  // L4E -> L23E doubled
  };
  const double weight_factor = 1.0 / std::sqrt(k_scale);

  Circuit c;
  c.name = "potjans2014";
  c.description = fmt::format(
      "Potjans & Diesmann (2014) cortical microcircuit, scale {} (neuron numbers), k-scale {} (in-degrees)", scale,
      k_scale);
  c.simulation.dt_ms = 0.1;
  c.simulation.t_presim_ms = 500.0;
  c.simulation.t_sim_ms = 1000.0;
  c.simulation.seed = 55;
  c.origins[""] = "built-in potjans2014";  // where every key of this circuit comes from

  for (int i = 0; i < kPops; ++i) {
    Population p;
    p.name = kNames[i];
    p.size = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(kFullSize[i] * scale)));
    NeuronParams& n = p.neuron;
    n.model = NeuronModel::iaf_psc_exp;
    n.C_m_pF = kCm_pF;
    n.tau_m_ms = kTauM_ms;
    n.E_L_mV = -65.0;
    n.V_th_mV = -50.0;
    n.V_reset_mV = -65.0;
    n.t_ref_ms = 2.0;
    n.tau_syn_ex_ms = n.tau_syn_in_ms = kTauSyn_ms;
    n.I_e_pA = 0.0;
    p.v_init.distribution = InitDistribution::normal;
    p.v_init.mean_mV = kV0Mean[i];
    p.v_init.sd_mV = kV0Sd[i];
    p.poisson.indegree = static_cast<std::uint32_t>(std::llround(kExternalIndegree[i] * k_scale));
    p.poisson.rate_hz = kBackgroundRate_Hz;
    p.poisson.weight_pA = w_exc * weight_factor;
    if (k_scale < 1.0) {
      // Keep the mean input of the full in-degrees (NEST example): the
      // missing part, (1 - sqrt(k)) of the summed mean PSC * indegree * rate,
      // times tau_syn (ms -> s: 1e-3) as a DC current.
      double input = kExternalIndegree[i] * kBackgroundRate_Hz * w_exc;
      for (int s = 0; s < kPops; ++s)
        input += mean_weight(i, s) * full_synapse_count(i, s) / kFullSize[i] * kReferenceRate[s];
      p.dc_pA = 1e-3 * kTauSyn_ms * (1.0 - std::sqrt(k_scale)) * input;
    }
    c.populations.push_back(p);
  }

  for (int target = 0; target < kPops; ++target)
    for (int source = 0; source < kPops; ++source) {
      if (kProbability[target][source] <= 0.0) continue;
      Projection pr;
      pr.source = kNames[source];
      pr.target = kNames[target];
      pr.rule = ConnectionRule::fixed_total_number;
      // In-degrees are kept when N scales: K scales with the target number.
      pr.n_synapses = static_cast<std::uint64_t>(std::llround(full_synapse_count(target, source) * scale * k_scale));
      pr.allow_autapses = true;
      pr.receptor = is_excitatory(source) ? Receptor::excitatory : Receptor::inhibitory;
      pr.weight_pA = mean_weight(target, source) * weight_factor;
      pr.weight_rel_sd = kWeightRelSd;
      pr.weight_sign = SignPolicy::redraw;
      pr.delay_ms = is_excitatory(source) ? kDelayExc_ms : kDelayInh_ms;
      pr.delay_rel_sd = kDelayRelSd;
      c.projections.push_back(pr);
    }
  return c;
}

Circuit potjans2014_thalamic(const BuiltinOptions& options) {
  Circuit c = potjans2014(options);
  c.name = "potjans2014_thalamic";
  c.description += fmt::format("; thalamic pulse: {} neurons at {} Hz from {} to {} ms (NEST's microcircuit example)",
                               kThalamicSize, kThalamicRate_Hz, kThalamicStart_ms, kThalamicStop_ms);
  Population th;
  th.name = "TH";
  th.size = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(kThalamicSize * options.scale)));
  th.neuron.model = NeuronModel::poisson_generator;
  th.neuron.rate_Hz = kThalamicRate_Hz;
  th.neuron.start_ms = kThalamicStart_ms;
  th.neuron.stop_ms = kThalamicStop_ms;
  th.v_init.value_mV = 0.0;
  c.populations.push_back(th);
  const double w_exc = psc_for_psp_peak(kPspMean_mV, kTauM_ms, kTauSyn_ms, kCm_pF);
  for (int target = 0; target < kPops; ++target) {
    if (kThalamicProbability[target] <= 0.0) continue;
    Projection pr;
    pr.source = th.name;
    pr.target = kNames[target];
    pr.rule = ConnectionRule::fixed_total_number;
    pr.n_synapses = static_cast<std::uint64_t>(std::llround(
        synapses_for_probability(kThalamicProbability[target], kThalamicSize, kFullSize[target]) * options.scale *
        options.k_scale));
    pr.receptor = Receptor::excitatory;
    pr.weight_pA = w_exc / std::sqrt(options.k_scale);
    pr.weight_rel_sd = kWeightRelSd;
    pr.delay_ms = kDelayExc_ms;
    pr.delay_rel_sd = kDelayRelSd;
    c.projections.push_back(pr);
  }
  return c;
}

}  // namespace micromeso::model
