// The CUDA devices this process can use, as `micromeso devices` shows them.
// Having no GPU (no driver, no device, or a CPU-only build) is an answer,
// not an error: the report then has no devices and says why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace micromeso {

struct DeviceInfo {
  int index = 0;
  std::string name;
  int compute_major = 0, compute_minor = 0;
  std::uint64_t total_memory_bytes = 0;
  // Unknown when no context could be made on the device (for example an
  // exclusive-process GPU in use by another program); free_memory_error says why.
  std::optional<std::uint64_t> free_memory_bytes;
  std::string free_memory_error;
  int multiprocessors = 0;
};

struct DeviceReport {
  bool built_with_cuda = false;
  // CUDA's encoding, 1000 * major + 10 * minor; 0 when absent (no driver
  // installed, or a build without the runtime).
  int driver_version = 0, runtime_version = 0;
  std::vector<DeviceInfo> devices;
  std::string reason;  // why there are no devices; empty when there are some
};

// Queries the CUDA runtime. Throws CudaError (a std::runtime_error) only when
// a device that was counted then fails to answer.
DeviceReport list_devices();

// "13.0" for 13000, "none" for 0.
std::string cuda_version_string(int version);
// "no CUDA device: <reason>".
std::string no_device_message(const DeviceReport& report);
// {"built_with_cuda", "driver_version", "runtime_version", "devices": [...], "reason"}.
std::string devices_to_json(const DeviceReport& report);

}  // namespace micromeso
