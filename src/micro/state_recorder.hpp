// The multimeters' side of a run's recording: each step's probe values
// (StepObserver::on_state, in make_state_probes' order) kept at each
// multimeter's interval over the recorded window, as StateReports. Over ranks
// a rank records the columns of its own neurons only, and
// gather_state_reports (state_gather.hpp) puts the columns back together on
// rank 0.
#pragma once

#include <cstdint>
#include <vector>

#include "micro/network.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/output.hpp"

namespace micromeso::micro {

class StateRecorder {
 public:
  // Records the probes of the neurons in `local` (the backend's
  // make_state_probes(..., local)): each report's node_ids and columns are
  // those of its multimeter's neurons in `local`, in the listed order.
  StateRecorder(const Circuit& circuit, NeuronRange local);
  void on_state(std::uint64_t step, const std::vector<double>& values);
  const std::vector<StateReport>& reports() const { return reports_; }
  // Memory the reports of a whole run take (bytes), over all ranks.
  static std::uint64_t bytes_needed(const Circuit& circuit);
  // Per report (in reports()' order): the positions, within its multimeter's
  // neuron list, of the neurons in `local`, ascending.
  static std::vector<std::vector<std::size_t>> local_columns(const Circuit& circuit, NeuronRange local);
  // Per report: its rows (time stamps) once the whole run is recorded.
  static std::vector<std::uint64_t> complete_rows(const Circuit& circuit);

 private:
  struct Meter {
    std::size_t first_value = 0;  // its first probe
    std::size_t n_neurons = 0;    // recorded here (in `local`)
    std::size_t first_report = 0, n_reports = 0;  // one per variable
    std::uint64_t interval_steps = 1;
  };
  std::vector<Meter> meters_;
  std::vector<StateReport> reports_;
  std::uint64_t presim_steps_ = 0, last_step_ = 0;
};

}  // namespace micromeso::micro
