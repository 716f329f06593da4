// The checked-call macros turn a failing CUDA call into a CudaError naming the
// call. cudaSetDevice(9999) fails on every machine: an invalid ordinal where
// there is a GPU, no driver or no device where there is none.
#include <gtest/gtest.h>

#include <string>

#ifdef MICROMESO_HAVE_CUDA
#include "kernels/cuda_check.cuh"
#endif

namespace {

#ifdef MICROMESO_HAVE_CUDA

std::string message_of_failing_check() {
  try {
    MICROMESO_CUDA_CHECK(cudaSetDevice(9999));
  } catch (const micromeso::CudaError& e) {
    EXPECT_NE(e.code(), cudaSuccess);
    return e.what();
  }
  ADD_FAILURE() << "cudaSetDevice(9999) did not throw";
  return {};
}

TEST(CudaCheck, FailingCallThrowsWithCallFileAndReason) {
  const std::string message = message_of_failing_check();
  EXPECT_NE(message.find("cudaSetDevice(9999)"), std::string::npos) << message;
  EXPECT_NE(message.find("test_cuda_check.cpp:"), std::string::npos) << message;
  EXPECT_NE(message.find("(cudaError"), std::string::npos) << message;  // the error's name
  (void)cudaGetLastError();
}

TEST(CudaCheck, SuccessDoesNotThrow) { EXPECT_NO_THROW(MICROMESO_CUDA_CHECK(cudaSuccess)); }

TEST(CudaCheck, CudaErrorIsARuntimeError) {
  EXPECT_THROW(MICROMESO_CUDA_CHECK(cudaErrorInvalidValue), std::runtime_error);
}

// The launch check reads the runtime's last error after the statement; a
// failed runtime call leaves one just as a bad launch configuration does.
TEST(CudaCheck, LaunchCheckReadsTheLastError) {
  try {
    MICROMESO_CUDA_CHECK_LAUNCH(static_cast<void>(cudaSetDevice(9999)));
    FAIL() << "no throw";
  } catch (const micromeso::CudaError& e) {
    EXPECT_NE(std::string(e.what()).find("cudaSetDevice(9999)"), std::string::npos) << e.what();
  }
  (void)cudaGetLastError();
}

// A failed checked call must not stay behind as the runtime's last error: the
// next MICROMESO_CUDA_CHECK_LAUNCH would throw it, blamed on its kernel (e.g.
// the first launch of a new engine after one ran out of memory). Needs a
// device: without a driver every runtime call, cudaGetLastError included,
// keeps answering cudaErrorInsufficientDriver.
TEST(CudaCheck, FailedCheckLeavesNoStaleLastError) {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    (void)cudaGetLastError();
    GTEST_SKIP() << "needs a CUDA device";
  }
  EXPECT_THROW(MICROMESO_CUDA_CHECK(cudaSetDevice(9999)), micromeso::CudaError);  // invalid ordinal
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);
  EXPECT_NO_THROW(MICROMESO_CUDA_CHECK_LAUNCH(static_cast<void>(0)));
}

#else

TEST(CudaCheck, NeedsCuda) { GTEST_SKIP() << "built without CUDA"; }

#endif

}  // namespace
