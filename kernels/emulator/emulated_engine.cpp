// The device engine on the host grid emulator: EngineDriver over
// EmulatedRuntime, in every build (also without the CUDA Toolkit).
#include <memory>

#include "kernels/emulator/emulated_runtime.hpp"
#include "kernels/engine_driver.hpp"

namespace micromeso::kernels {

DeviceProperties emulated_device_properties(const EmulatorOptions& options) {
  DeviceProperties p;
  p.name = "GPU emulator (host)";
  p.free_bytes = p.total_bytes = options.free_bytes;
  p.multiprocessors = options.multiprocessors;
  return p;
}

std::unique_ptr<DeviceEngine> make_emulated_engine(const EngineConfig& config, const EmulatorOptions& options) {
  return std::make_unique<EngineDriver<EmulatedRuntime>>(config, options);
}

}  // namespace micromeso::kernels
