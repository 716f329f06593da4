#include "micro/cpu/philox_batch.hpp"

#include "cpu/vector_cap.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::micro {

void philox_blocks_scalar(std::uint64_t seed, std::uint32_t stream, std::uint32_t first_index,
                          std::uint64_t counter, std::size_t n, PhiloxWords& words) {
  for (std::size_t i = 0; i < n; ++i) {
    const physics::Random4 r =
        physics::philox4x32_10(seed, stream, first_index + static_cast<std::uint32_t>(i), counter);
    for (int w = 0; w < 4; ++w) words[w][i] = r.v[w];
  }
}

void philox_counter_blocks_scalar(std::uint64_t seed, std::uint32_t stream, std::uint32_t index,
                                  std::uint64_t first_counter, std::uint64_t counter_step, std::size_t n,
                                  PhiloxWords& words) {
  for (std::size_t i = 0; i < n; ++i) {
    const physics::Random4 r = physics::philox4x32_10(seed, stream, index, first_counter + i * counter_step);
    for (int w = 0; w < 4; ++w) words[w][i] = r.v[w];
  }
}

namespace {

// 2: up to AVX-512, 1: up to AVX2, 0: scalar.
int vector_cap() {
  static const int cap = vector_cap_from_environment("MICROMESO_PHILOX_VECTOR");
  return cap;
}

}  // namespace

#if defined(__x86_64__)  // the vector files are compiled (CMakeLists.txt)
bool philox_avx2_available() { return __builtin_cpu_supports("avx2"); }
bool philox_avx512_available() { return __builtin_cpu_supports("avx512f"); }
#else
bool philox_avx2_available() { return false; }
bool philox_avx512_available() { return false; }
void philox_blocks_avx2(std::uint64_t seed, std::uint32_t stream, std::uint32_t first_index, std::uint64_t counter,
                        std::size_t n, PhiloxWords& words) {
  philox_blocks_scalar(seed, stream, first_index, counter, n, words);
}
void philox_blocks_avx512(std::uint64_t seed, std::uint32_t stream, std::uint32_t first_index,
                          std::uint64_t counter, std::size_t n, PhiloxWords& words) {
  philox_blocks_scalar(seed, stream, first_index, counter, n, words);
}
void philox_counter_blocks_avx2(std::uint64_t seed, std::uint32_t stream, std::uint32_t index,
                                std::uint64_t first_counter, std::uint64_t counter_step, std::size_t n,
                                PhiloxWords& words) {
  philox_counter_blocks_scalar(seed, stream, index, first_counter, counter_step, n, words);
}
void philox_counter_blocks_avx512(std::uint64_t seed, std::uint32_t stream, std::uint32_t index,
                                  std::uint64_t first_counter, std::uint64_t counter_step, std::size_t n,
                                  PhiloxWords& words) {
  philox_counter_blocks_scalar(seed, stream, index, first_counter, counter_step, n, words);
}
#endif

int philox_path() {
  static const int path = [] {
    const int cap = vector_cap();
    if (cap >= 2 && philox_avx512_available()) return 2;
    if (cap >= 1 && philox_avx2_available()) return 1;
    return 0;
  }();
  return path;
}

void philox_blocks(std::uint64_t seed, std::uint32_t stream, std::uint32_t first_index, std::uint64_t counter,
                   std::size_t n, PhiloxWords& words) {
  const int path = philox_path();
  if (path == 2)
    philox_blocks_avx512(seed, stream, first_index, counter, n, words);
  else if (path == 1)
    philox_blocks_avx2(seed, stream, first_index, counter, n, words);
  else
    philox_blocks_scalar(seed, stream, first_index, counter, n, words);
}

void philox_counter_blocks(std::uint64_t seed, std::uint32_t stream, std::uint32_t index,
                           std::uint64_t first_counter, std::uint64_t counter_step, std::size_t n,
                           PhiloxWords& words) {
  const int path = philox_path();
  if (path == 2)
    philox_counter_blocks_avx512(seed, stream, index, first_counter, counter_step, n, words);
  else if (path == 1)
    philox_counter_blocks_avx2(seed, stream, index, first_counter, counter_step, n, words);
  else
    philox_counter_blocks_scalar(seed, stream, index, first_counter, counter_step, n, words);
}

}  // namespace micromeso::micro
