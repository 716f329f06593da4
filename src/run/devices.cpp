// What every build shares of the device report (formatting, JSON), and
// list_devices() for a build without CUDA; the CUDA one is kernels/devices.cu.
#include "micromeso/devices.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace micromeso {

using Json = nlohmann::ordered_json;

#ifndef MICROMESO_HAVE_CUDA
DeviceReport list_devices() {
  DeviceReport r;
  r.reason = "built without CUDA (configured with MICROMESO_CUDA=OFF, or no nvcc was found)";
  return r;
}
#endif

std::string cuda_version_string(int version) {
  if (version <= 0) return "none";
  return fmt::format("{}.{}", version / 1000, version % 1000 / 10);
}

std::string no_device_message(const DeviceReport& report) { return "no CUDA device: " + report.reason; }

std::string devices_to_json(const DeviceReport& report) {
  // Keys in the order of the table; versions as "13.0" or null, so a reader need not know CUDA's encoding.
  const auto version = [](int v) { return v > 0 ? Json(cuda_version_string(v)) : Json(nullptr); };
  Json devices = Json::array();
  for (const DeviceInfo& d : report.devices) {
    devices.push_back({{"index", d.index},
                       {"name", d.name},
                       {"compute_capability", fmt::format("{}.{}", d.compute_major, d.compute_minor)},
                       {"total_memory_bytes", d.total_memory_bytes},
                       {"free_memory_bytes", d.free_memory_bytes ? Json(*d.free_memory_bytes) : Json(nullptr)},
                       {"multiprocessors", d.multiprocessors}});
    if (!d.free_memory_bytes) devices.back()["free_memory_error"] = d.free_memory_error;
  }
  const Json j = {{"built_with_cuda", report.built_with_cuda},
                  {"driver_version", version(report.driver_version)},
                  {"runtime_version", version(report.runtime_version)},
                  {"devices", devices},
                  {"reason", report.reason.empty() ? Json(nullptr) : Json(report.reason)}};
  return j.dump(2);
}

}  // namespace micromeso
