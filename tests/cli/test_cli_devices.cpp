// `micromeso devices` on whatever machine runs the tests: a table where there
// is a GPU, the no-device sentence with its reason where there is none.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "run_cli.hpp"

namespace {

struct Output {
  int exit_code;
  std::string out;  // stdout only, so that --json output parses as it is
};

Output run_stdout(const std::string& args) {
  const auto r = micromeso::testing::run_cli(args, /*with_stderr=*/false);
  return {r.exit_code, r.output};
}

TEST(CliDevices, PrintsTableOrNoDeviceReason) {
  const Output r = run_stdout("devices");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("CUDA driver "), std::string::npos) << r.out;
  const std::size_t none = r.out.find("no CUDA device: ");
  if (none == std::string::npos) {
    EXPECT_NE(r.out.find("compute"), std::string::npos) << r.out;  // the table's header
    EXPECT_NE(r.out.find("SMs"), std::string::npos) << r.out;
  } else {
    // A reason follows the colon, never an empty sentence.
    const std::size_t start = none + std::string("no CUDA device: ").size();
    EXPECT_GT(r.out.find('\n', start), start + 1) << r.out;
  }
}

TEST(CliDevices, JsonHasDevicesAndReason) {
  const Output r = run_stdout("devices --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.at("devices").is_array());
  ASSERT_TRUE(j.contains("reason"));
  EXPECT_TRUE(j.at("built_with_cuda").is_boolean());
  if (j["devices"].empty()) {
    ASSERT_TRUE(j["reason"].is_string());
    EXPECT_FALSE(j["reason"].get<std::string>().empty());
  } else {
    EXPECT_TRUE(j["reason"].is_null());
    for (const auto& d : j["devices"]) {
      EXPECT_FALSE(d.at("name").get<std::string>().empty());
      EXPECT_GT(d.at("total_memory_bytes").get<std::uint64_t>(), 0u);
      EXPECT_GT(d.at("multiprocessors").get<int>(), 0);
    }
  }
}

TEST(CliDevices, TextAndJsonAgreeOnTheReason) {
  const nlohmann::json j = nlohmann::json::parse(run_stdout("devices --json").out);
  if (!j["devices"].empty()) GTEST_SKIP() << "this machine has a CUDA device";
  EXPECT_NE(run_stdout("devices").out.find("no CUDA device: " + j["reason"].get<std::string>()), std::string::npos);
}

}  // namespace
