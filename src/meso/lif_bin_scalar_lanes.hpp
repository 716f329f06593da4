// One double as the "lanes" of lif_bin_lanes.hpp, through SLEEF's scalar
// functions of the vector paths' accuracy. max is x86's maxsd (a > b ? a :
// b, so a NaN first argument gives b), as the vector paths' max.
//
// In an unnamed namespace: the AVX2 and AVX-512 files, compiled with their
// instruction sets, use it for a run's last bins, and the scalar path without
// them. Each file must keep its own copy of this code (internal linkage);
// one shared inline copy, chosen by the linker from any of them, could put
// AVX instructions into the scalar path.
#pragma once

#include <sleef.h>

#include <cmath>
#include <cstddef>

namespace micromeso::meso {
namespace {

struct ScalarLanes {
  using V = double;
  using M = bool;
  static constexpr std::size_t width = 1;
  static V set(double x) { return x; }
  static V load(const double* p) { return *p; }
  static void store(double* p, V x) { *p = x; }
  // (width 1: never partial)
  static V load_n(const double* p, std::size_t) { return *p; }
  static void store_n(double* p, V x, std::size_t) { *p = x; }
  static V add(V a, V b) { return a + b; }
  static V sub(V a, V b) { return a - b; }
  static V mul(V a, V b) { return a * b; }
  static V div(V a, V b) { return a / b; }
  static V sqrt(V a) { return std::sqrt(a); }
  static V max(V a, V b) { return a > b ? a : b; }
  static V min(V a, V b) { return a < b ? a : b; }
  static V floor(V a) { return std::floor(a); }
  using I = std::ptrdiff_t;
  static I index(V j) { return static_cast<I>(j); }
  static void rows(const double* base, I i, V& c0, V& c1, V& c2, V& c3) {
    const double* r = base + 4 * i;
    c0 = r[0];
    c1 = r[1];
    c2 = r[2];
    c3 = r[3];
  }
  static bool any(M m) { return m; }
  static M gt(V a, V b) { return a > b; }
  static M lt(V a, V b) { return a < b; }
  static M eq(V a, V b) { return a == b; }
  static V select(M m, V a, V b) { return m ? a : b; }
  static V exp(V a) { return Sleef_exp_u10(a); }
  static V expm1(V a) { return Sleef_expm1_u10(a); }
  static V log(V a) { return Sleef_log_u10(a); }
  static V erfc(V a) { return Sleef_erfc_u15(a); }
};

}  // namespace
}  // namespace micromeso::meso
