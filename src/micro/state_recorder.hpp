// The multimeters' side of a run's recording: each step's probe values
// (StepObserver::on_state, in make_state_probes' order) kept at each
// multimeter's interval over the recorded window, as StateReports.
#pragma once

#include <cstdint>
#include <vector>

#include "micromeso/circuit.hpp"
#include "micromeso/output.hpp"

namespace micromeso::micro {

class StateRecorder {
 public:
  explicit StateRecorder(const Circuit& circuit);
  void on_state(std::uint64_t step, const std::vector<double>& values);
  const std::vector<StateReport>& reports() const { return reports_; }
  // Memory the reports of a whole run take (bytes).
  static std::uint64_t bytes_needed(const Circuit& circuit);

 private:
  struct Meter {
    std::size_t first_value = 0;  // its first probe
    std::size_t n_neurons = 0;
    std::size_t first_report = 0, n_reports = 0;  // one per variable
    std::uint64_t interval_steps = 1;
  };
  std::vector<Meter> meters_;
  std::vector<StateReport> reports_;
  std::uint64_t presim_steps_ = 0, last_step_ = 0;
};

}  // namespace micromeso::micro
