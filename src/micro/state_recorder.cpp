#include "micro/state_recorder.hpp"

#include "micro/network_plan.hpp"
#include "micro/population_setup.hpp"
#include "micromeso/physics/state_readout.hpp"
#include "micro/state_probes.hpp"

namespace micromeso::micro {
namespace {

std::uint64_t interval_steps(const Multimeter& m, double dt_ms) {
  return m.interval_ms > 0.0 ? steps_of(m.interval_ms, dt_ms) : 1;
}

// Stamps (k + 1) dt that are multiples of the interval (from t = 0, as NEST's
// multimeter) within the recorded window, steps [presim, presim + sim).
std::uint64_t n_stamps(std::uint64_t presim, std::uint64_t sim, std::uint64_t interval) {
  return (presim + sim) / interval - presim / interval;
}

std::uint64_t n_stamps(const Circuit& c, const Multimeter& m) {
  const SimulationSpec& sim = c.simulation;
  return n_stamps(steps_of(sim.t_presim_ms, sim.dt_ms), steps_of(sim.t_sim_ms, sim.dt_ms),
                  interval_steps(m, sim.dt_ms));
}

// The positions in m.neurons of the neurons in `local`.
std::vector<std::size_t> meter_columns(const Circuit& c, const std::vector<std::uint64_t>& first, const Multimeter& m,
                                       NeuronRange local) {
  const std::uint64_t pop_first = first.at(c.population_index(m.population));
  std::vector<std::size_t> columns;
  for (std::size_t j = 0; j < m.neurons.size(); ++j)
    if (local.contains(pop_first + m.neurons[j])) columns.push_back(j);
  return columns;
}

}  // namespace

StateRecorder::StateRecorder(const Circuit& c, NeuronRange local) {
  const SimulationSpec& sim = c.simulation;
  presim_steps_ = steps_of(sim.t_presim_ms, sim.dt_ms);
  last_step_ = presim_steps_ + steps_of(sim.t_sim_ms, sim.dt_ms);
  const std::vector<std::uint64_t> first = population_first_ids(c);
  std::size_t value = 0;
  for (const Multimeter& m : c.multimeters) {
    std::vector<std::uint64_t> node_ids;
    for (std::size_t j : meter_columns(c, first, m, local)) node_ids.push_back(m.neurons[j]);
    Meter meter;
    meter.first_value = value;
    meter.n_neurons = node_ids.size();
    meter.first_report = reports_.size();
    meter.n_reports = m.record_from.size();
    meter.interval_steps = interval_steps(m, sim.dt_ms);
    const std::uint64_t first_stamp_step = (presim_steps_ / meter.interval_steps + 1) * meter.interval_steps;
    const std::uint64_t stamps = n_stamps(presim_steps_, last_step_ - presim_steps_, meter.interval_steps);
    for (const std::string& name : m.record_from) {
      StateReport r;
      r.population = m.population;
      r.variable = name;
      r.unit = physics::state_variable_unit(state_variable_of(name));
      r.node_ids = node_ids;
      r.interval_ms = static_cast<double>(meter.interval_steps) * sim.dt_ms;
      r.t_start_ms = static_cast<double>(first_stamp_step) * sim.dt_ms;
      r.t_stop_ms = r.t_start_ms + r.interval_ms * static_cast<double>(stamps);
      r.data.reserve(stamps * node_ids.size());
      reports_.push_back(std::move(r));
    }
    value += meter.n_neurons * meter.n_reports;
    meters_.push_back(meter);
  }
}

void StateRecorder::on_state(std::uint64_t step, const std::vector<double>& values) {
  if (step < presim_steps_ || step >= last_step_) return;
  for (const Meter& m : meters_) {
    if ((step + 1) % m.interval_steps != 0) continue;
    for (std::size_t j = 0; j < m.n_reports; ++j) {
      const auto first = values.begin() + static_cast<std::ptrdiff_t>(m.first_value + j * m.n_neurons);
      std::vector<double>& data = reports_[m.first_report + j].data;
      data.insert(data.end(), first, first + static_cast<std::ptrdiff_t>(m.n_neurons));
    }
  }
}

std::uint64_t StateRecorder::bytes_needed(const Circuit& c) {
  std::uint64_t bytes = 0;
  for (const Multimeter& m : c.multimeters)
    bytes += n_stamps(c, m) * m.neurons.size() * m.record_from.size() * sizeof(double);
  return bytes;
}

std::vector<std::vector<std::size_t>> StateRecorder::local_columns(const Circuit& c, NeuronRange local) {
  const std::vector<std::uint64_t> first = population_first_ids(c);
  std::vector<std::vector<std::size_t>> columns;
  for (const Multimeter& m : c.multimeters) {
    const std::vector<std::size_t> mine = meter_columns(c, first, m, local);
    columns.insert(columns.end(), m.record_from.size(), mine);
  }
  return columns;
}

std::vector<std::uint64_t> StateRecorder::complete_rows(const Circuit& c) {
  std::vector<std::uint64_t> rows;
  for (const Multimeter& m : c.multimeters) rows.insert(rows.end(), m.record_from.size(), n_stamps(c, m));
  return rows;
}

}  // namespace micromeso::micro
