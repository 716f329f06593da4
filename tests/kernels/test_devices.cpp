// list_devices() answers on every machine, GPU or not, and never throws for
// the want of one.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "micromeso/devices.hpp"

namespace {

TEST(Devices, ListsDevicesOrSaysWhyNot) {
  micromeso::DeviceReport r;
  ASSERT_NO_THROW(r = micromeso::list_devices());
#ifdef MICROMESO_HAVE_CUDA
  EXPECT_TRUE(r.built_with_cuda);
  EXPECT_GT(r.runtime_version, 0);
#else
  EXPECT_FALSE(r.built_with_cuda);
#endif
  if (r.devices.empty()) {
    EXPECT_FALSE(r.reason.empty());
    EXPECT_EQ(micromeso::no_device_message(r), "no CUDA device: " + r.reason);
  } else {
    EXPECT_TRUE(r.reason.empty());
    for (const micromeso::DeviceInfo& d : r.devices) {
      EXPECT_GT(d.total_memory_bytes, 0u);
      EXPECT_GT(d.compute_major, 0);
      if (d.free_memory_bytes) {
        EXPECT_LE(*d.free_memory_bytes, d.total_memory_bytes);
      }
    }
  }
}

TEST(Devices, VersionStrings) {
  EXPECT_EQ(micromeso::cuda_version_string(13000), "13.0");
  EXPECT_EQ(micromeso::cuda_version_string(12060), "12.6");
  EXPECT_EQ(micromeso::cuda_version_string(0), "none");
}

TEST(Devices, JsonOfAReportWithoutDevices) {
  micromeso::DeviceReport r;
  r.built_with_cuda = true;
  r.runtime_version = 13000;
  r.reason = "no CUDA-capable device is detected (cudaErrorNoDevice)";
  const nlohmann::json j = nlohmann::json::parse(micromeso::devices_to_json(r));
  EXPECT_TRUE(j["devices"].is_array());
  EXPECT_TRUE(j["devices"].empty());
  EXPECT_EQ(j["reason"], r.reason);
  EXPECT_EQ(j["runtime_version"], "13.0");
  EXPECT_TRUE(j["driver_version"].is_null());
}

TEST(Devices, JsonOfADevice) {
  micromeso::DeviceReport r;
  r.built_with_cuda = true;
  r.devices.push_back({0, "NVIDIA H100", 9, 0, 80ull << 30, std::nullopt, "busy", 132});
  const nlohmann::json j = nlohmann::json::parse(micromeso::devices_to_json(r));
  ASSERT_EQ(j["devices"].size(), 1u);
  EXPECT_EQ(j["devices"][0]["compute_capability"], "9.0");
  EXPECT_EQ(j["devices"][0]["total_memory_bytes"], 80ull << 30);
  EXPECT_TRUE(j["devices"][0]["free_memory_bytes"].is_null());
  EXPECT_EQ(j["devices"][0]["free_memory_error"], "busy");
  EXPECT_TRUE(j["reason"].is_null());
}

}  // namespace
