#include "cli/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

namespace micromeso::cli {

ProgressBar::ProgressBar() : enabled_(isatty(STDERR_FILENO) != 0) {}

void ProgressBar::update(const std::string& phase, double fraction) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (phase != phase_) {
    finish();
    phase_ = phase;
    phase_start_ = now;
    last_permille_ = -1;
  }
  const int permille = static_cast<int>(fraction * 1000.0);
  if (permille == last_permille_) return;
  last_permille_ = permille;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(filled, '#');
  bar.resize(kWidth, ' ');
  const double elapsed = std::chrono::duration<double>(now - phase_start_).count();
  const double eta = fraction > 0.0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
  std::fprintf(stderr, "\r%-9s [%s] %5.1f %%  %6.1f s  eta %6.1f s", phase.c_str(), bar.c_str(),
               fraction * 100.0, elapsed, eta);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (enabled_ && last_permille_ >= 0) std::fputc('\n', stderr);
  last_permille_ = -1;
  phase_.clear();
}

}  // namespace micromeso::cli
