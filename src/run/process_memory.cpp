#include <sys/resource.h>

#include "micromeso/run.hpp"

namespace micromeso {

std::uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // ru_maxrss is KiB on Linux
}

}  // namespace micromeso
