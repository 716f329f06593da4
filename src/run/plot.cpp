// Running the plot scripts: where they are, with which Python.
#include "micromeso/plot.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "micromeso/analyze_run.hpp"

namespace micromeso {
namespace fs = std::filesystem;

namespace {

// The folders searched, in order (plot.hpp).
std::vector<fs::path> script_dirs() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("MICROMESO_SCRIPTS_DIR"); env && *env) dirs.emplace_back(env);
  std::error_code ec;
  // Only the micromeso program itself: a Python module runs inside python3,
  // whose folder says nothing about where micromeso is installed.
  const fs::path exe = fs::canonical("/proc/self/exe", ec);
  if (!ec && exe.filename().string().rfind("micromeso", 0) == 0)
    dirs.push_back(exe.parent_path().parent_path() / "share" / "micromeso" / "scripts");
#ifdef MICROMESO_SOURCE_SCRIPTS_DIR
  dirs.emplace_back(MICROMESO_SOURCE_SCRIPTS_DIR);
#endif
#ifdef MICROMESO_INSTALL_SCRIPTS_DIR
  dirs.emplace_back(MICROMESO_INSTALL_SCRIPTS_DIR);
#endif
  return dirs;
}

void run_script(const std::string& script, const std::string& arguments) {
  const std::string command = fmt::format("'{}' '{}' {}", plot_python(), plot_script(script).string(), arguments);
  std::fflush(stdout);  // the caller's lines before the script's
  const int status = std::system(command.c_str());
  if (status != 0) throw std::runtime_error(fmt::format("plotting failed (exit status {}): {}", status, command));
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

}  // namespace

fs::path plot_script(const std::string& script) {
  std::string searched;
  for (const fs::path& dir : script_dirs()) {
    std::error_code ec;
    if (fs::is_regular_file(dir / script, ec)) return dir / script;
    searched += (searched.empty() ? "" : ", ") + dir.string();
  }
  throw std::runtime_error(fmt::format(
      "plotting script {} not found in {} (set MICROMESO_SCRIPTS_DIR to the folder holding it)", script, searched));
}

std::string plot_python() {
  if (const char* env = std::getenv("MICROMESO_PYTHON"); env && *env) return env;
  std::error_code ec;
  return fs::exists("/usr/bin/python3", ec) ? "/usr/bin/python3" : "python3";
}

void plot_run(const fs::path& run_dir, double trace_ms) {
  if (!fs::exists(run_dir / "analysis.h5")) write_run_analysis(analyze_run(run_dir, AnalyzeOptions{}));
  run_script("plot_run.py", fmt::format("{} --trace-ms {}", quoted(run_dir), trace_ms));
}

void plot_comparison(const fs::path& compare_dir) { run_script("plot_compare.py", quoted(compare_dir)); }

}  // namespace micromeso
