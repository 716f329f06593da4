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

// with_stderr = false keeps stderr out, so that --json output parses as it is.
inline CliResult run_cli(const std::string& args, bool with_stderr = true) {
  const std::string command = std::string(MICROMESO_BINARY) + " " + args + (with_stderr ? " 2>&1" : "");
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string out;
  std::array<char, 4096> buffer;
  while (fgets(buffer.data(), buffer.size(), pipe.get())) out += buffer.data();
  const int status = pclose(pipe.release());
  return {WEXITSTATUS(status), out};
}

}  // namespace micromeso::testing
