// A temporary folder name of the test process's own (name-PID), so that two
// checkouts, or two ctest runs, testing at once do not share folders.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace micromeso::testing {

inline std::filesystem::path unique_temp_dir(const std::string& name) {
  return std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
}

}  // namespace micromeso::testing
