// Ctrl-C (SIGINT) and SIGTERM (what Slurm and other schedulers send before
// SIGKILL at a time limit) both ask a run to stop between steps or chunks,
// leaving only '.part' files; a second signal ends the program at once.
#pragma once

#include <atomic>
#include <string>

namespace micromeso::cli {

// Installs the handlers; the returned flag becomes true at the first signal.
const std::atomic<bool>* install_interrupt_handlers();
// "Ctrl-C (SIGINT)" or "SIGTERM": what stopped the run.
std::string interruption_name();
// The shell's convention, 128 + the signal: 130 for SIGINT, 143 for SIGTERM.
int interrupted_exit_code();

// What a command returns when its run was interrupted; main turns it into
// interrupted_exit_code().
constexpr int kInterrupted = 130;

}  // namespace micromeso::cli
