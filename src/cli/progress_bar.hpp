// A one-line progress bar on stderr, drawn only when stderr is a terminal.
#pragma once

#include <chrono>
#include <string>

namespace micromeso::cli {

class ProgressBar {
 public:
  ProgressBar();
  // Redraws "phase [#####     ]  42 %  eta 12 s" when something visible changed.
  void update(const std::string& phase, double fraction);
  // Ends the current line (if a bar was drawn).
  void finish();

 private:
  bool enabled_;
  std::string phase_;
  int last_permille_ = -1;
  std::chrono::steady_clock::time_point phase_start_;
};

}  // namespace micromeso::cli
