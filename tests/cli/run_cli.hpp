// Runs the micromeso binary with arguments and captures its output.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

namespace micromeso::testing {

struct CliResult {
  int exit_code;
  std::string output;  // stdout, with stderr merged in unless asked not to
};

// The exit code as a shell reports it: 128 + the signal for a process a
// signal ended (139 for SIGSEGV), so that a crash never reads as 0.
inline int exit_code_of(int status) {
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

// with_stderr = false keeps stderr out, so that --json output parses as it is.
// `env` ("NAME=value ...") is set for the program only.
inline CliResult run_cli(const std::string& args, bool with_stderr = true, const std::string& env = "") {
  const std::string command = (env.empty() ? "" : "env " + env + " ") + std::string(MICROMESO_BINARY) + " " + args +
                              (with_stderr ? " 2>&1" : "");
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string out;
  std::array<char, 4096> buffer;
  while (fgets(buffer.data(), buffer.size(), pipe.get())) out += buffer.data();
  const int status = pclose(pipe.release());
  return {exit_code_of(status), out};
}

}  // namespace micromeso::testing
