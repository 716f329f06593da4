// Output folders whose files appear under their final names only when the
// run has finished (see output.hpp).
#include <ctime>
#include <stdexcept>

#include <fmt/format.h>

#include "micromeso/errors.hpp"
#include "micromeso/output.hpp"

namespace micromeso {

OutputDir::OutputDir(std::filesystem::path dir) : dir_(std::move(dir)) {
  check_output_dir(dir_);
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) throw InputError(fmt::format("--out {}: cannot create the output folder: {}", dir_.string(), ec.message()));
}

void check_output_dir(const std::filesystem::path& dir) {
  if (dir.empty()) throw InputError("--out: expected a folder name, got an empty string");
  if (std::filesystem::exists(dir / "summary.json"))
    throw InputError(fmt::format("--out {}: already holds a finished run (summary.json); choose another folder",
                                 dir.string()));
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec))
    throw InputError(fmt::format("--out {}: exists and is not a folder", dir.string()));
}

std::filesystem::path OutputDir::staging_path(const std::string& name) {
  staged_.push_back(name);
  return dir_ / (name + ".part");
}

void OutputDir::commit() {
  // summary.json marks a complete run, so it appears last.
  std::vector<std::string> order;
  for (const auto& name : staged_)
    if (name != "summary.json") order.push_back(name);
  for (const auto& name : staged_)
    if (name == "summary.json") order.push_back(name);
  for (const auto& name : order) {
    const auto part = dir_ / (name + ".part");
    if (!std::filesystem::exists(part)) continue;  // staged but never written (e.g. no spikes recorded)
    std::error_code ec;
    std::filesystem::rename(part, dir_ / name, ec);
    if (ec) throw std::runtime_error(fmt::format("{}: cannot rename to {}: {}", part.string(), name, ec.message()));
  }
  committed_ = true;
}

std::filesystem::path default_output_dir(const std::string& circuit_name) {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  const std::filesystem::path base = std::filesystem::path("runs") / fmt::format("{}-{}", circuit_name, stamp);
  std::filesystem::path dir = base;
  for (int k = 2; std::filesystem::exists(dir); ++k) dir = base.string() + fmt::format("-{}", k);
  return dir;
}

}  // namespace micromeso
