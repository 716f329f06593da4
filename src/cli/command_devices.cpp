#include <fmt/format.h>

#include "cli/commands.hpp"
#include "micromeso/devices.hpp"

namespace micromeso::cli {

void add_devices_options(CLI::App& app, DevicesArgs& args) {
  app.add_flag("--json", args.json, "Print the report as JSON");
  app.footer("No device (no driver, no GPU, or a CPU-only build) is reported with its reason; the exit code is 0.");
}

int command_devices(const DevicesArgs& args) {
  const DeviceReport r = list_devices();
  if (args.json) {
    fmt::print("{}\n", devices_to_json(r));
    return 0;
  }
  fmt::print("CUDA driver {}, runtime {}\n", cuda_version_string(r.driver_version),
             cuda_version_string(r.runtime_version));
  if (r.devices.empty()) {
    fmt::print("{}\n", no_device_message(r));
    return 0;
  }
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  fmt::print("{:>5}  {:<32} {:>7} {:>9} {:>9} {:>5}\n", "index", "name", "compute", "GiB total", "GiB free", "SMs");
  for (const DeviceInfo& d : r.devices) {
    const std::string free = d.free_memory_bytes ? fmt::format("{:.1f}", *d.free_memory_bytes / kGiB) : "-";
    fmt::print("{:>5}  {:<32} {:>7} {:>9.1f} {:>9} {:>5}\n", d.index, d.name,
               fmt::format("{}.{}", d.compute_major, d.compute_minor), d.total_memory_bytes / kGiB, free,
               d.multiprocessors);
  }
  for (const DeviceInfo& d : r.devices)
    if (!d.free_memory_bytes) fmt::print("device {}: free memory unknown: {}\n", d.index, d.free_memory_error);
  return 0;
}

}  // namespace micromeso::cli
