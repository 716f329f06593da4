#include "cli/interrupt.hpp"

#include <csignal>

namespace micromeso::cli {
namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};

extern "C" void on_signal(int signal) {
  g_signal.store(signal);
  g_interrupted.store(true);
  std::signal(signal, SIG_DFL);  // a second one ends the program at once
}

}  // namespace

const std::atomic<bool>* install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  return &g_interrupted;
}

std::string interruption_name() { return g_signal.load() == SIGTERM ? "SIGTERM" : "Ctrl-C (SIGINT)"; }

int interrupted_exit_code() { return 128 + (g_signal.load() == SIGTERM ? SIGTERM : SIGINT); }

}  // namespace micromeso::cli
