// Standard normal deviates by the ziggurat method (Marsaglia & Tsang 2000,
// "The Ziggurat Method for Generating Random Variables", J. Stat. Softw.
// 5(8)), 256 layers, tables in normal_ziggurat_table.hpp. Exact: the
// rectangles, wedges and tail together sample the normal density itself
// (up to the 2^-32 grid of the uniforms and the double rounding of the
// tables).
//
// Why not Box-Muller: a log, a sqrt and a sincos per pair of deviates cost
// more than the rest of a synapse's construction. Here 99.3 % of the
// deviates take one table look-up, one integer comparison and one multiply;
// the rest (wedges: 0.7 %, tail: 0.03 %) take a log, written with + - * /
// only (below), as is everything else: IEEE rounding of those is the same on
// the CPU (-ffp-contract=off) and the GPU (--fmad=false), so every backend
// draws the very same bits, whatever its math library.
//
// Random words: a draw starts from a 32-bit magnitude word and 9 bits (layer,
// sign) given by the caller; a wedge test, a tail and a refused attempt take
// further words from `next`, a callable `bool next(std::uint32_t&)` that
// returns false when its words run out (the draw then fails: the caller
// decides what a failure gives; with 96 words it has probability < 1e-100).
#pragma once

#include <cmath>
#include <cstdint>

#include "micromeso/physics/host_device.hpp"
#include "micromeso/physics/normal_ziggurat_table.hpp"
#include "micromeso/physics/random.hpp"

namespace micromeso::physics {

inline constexpr int kZigguratLayers = 256;
inline constexpr std::uint32_t kZigguratBits = 9;  // 8 bits of layer, 1 of sign
inline constexpr std::uint32_t kZigguratBitsMask = (1u << kZigguratBits) - 1;

struct ZigguratTable {
  std::uint32_t fast_below[kZigguratLayers];
  double x_scaled[kZigguratLayers];
  double f_edge[kZigguratLayers + 1];
};

// One table for host code and one for device code, from the same literals
// (device code cannot read a host variable).
inline constexpr ZigguratTable kZigguratHost = {MICROMESO_ZIGGURAT_FAST_BELOW, MICROMESO_ZIGGURAT_X_SCALED,
                                                MICROMESO_ZIGGURAT_F_EDGE};
#if defined(__CUDACC__)
static __device__ const ZigguratTable kZigguratDevice = {MICROMESO_ZIGGURAT_FAST_BELOW, MICROMESO_ZIGGURAT_X_SCALED,
                                                         MICROMESO_ZIGGURAT_F_EDGE};
#endif

MM_HD const ZigguratTable& ziggurat_table() {
#if defined(__CUDA_ARCH__)
  return kZigguratDevice;
#else
  return kZigguratHost;
#endif
}

// ln(y) for a positive normal double y, with + - * / only: y = m 2^e with m
// in [sqrt(1/2), sqrt(2)), ln(y) = e ln 2 + 2 atanh((m - 1) / (m + 1)), the
// atanh series to s^23 (|s| <= 0.172: next term below 3e-21), ln 2 split in
// two so that e ln2_hi is exact (Cody & Waite 1980). Within a few 1e-16
// relative of the C library's log (unit test).
MM_HD double log_arithmetic(double y) {
  int e = 0;
  double m = frexp(y, &e);  // [1/2, 1), exact
  if (m < 0.70710678118654752) {
    m *= 2.0;
    --e;
  }
  const double s = (m - 1.0) / (m + 1.0);
  const double q = s * s, q2 = q * q, q4 = q2 * q2;
  // sum_{j=1..11} q^j / (2j + 1), in Estrin's form.
  const double tail =
      q * (((0.3333333333333333 + 0.2 * q) + q2 * (0.14285714285714285 + 0.1111111111111111 * q)) +
           q4 * (((0.09090909090909091 + 0.07692307692307693 * q) +
                  q2 * (0.06666666666666667 + 0.058823529411764705 * q)) +
                 q4 * ((0.05263157894736842 + 0.047619047619047616 * q) + q2 * 0.043478260869565216)));
  const double k = static_cast<double>(e);
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  return k * kLn2Hi + (k * kLn2Lo + (2.0 * s + 2.0 * s * tail));
}

// The tail beyond r (Marsaglia 1964): x = -ln(u1) / r, y = -ln(u2) until
// 2y > x^2; then r + x has the normal's law conditioned on exceeding r.
template <typename Next>
MM_HD bool ziggurat_tail(Next& next, double& z) {
  constexpr double r = MICROMESO_ZIGGURAT_R;
  for (;;) {
    std::uint32_t a = 0, b = 0;
    if (!next(a) || !next(b)) return false;
    const double x = -log_arithmetic(uniform_open(a)) / r;
    const double y = -log_arithmetic(uniform_open(b));
    if (y + y > x * x) {
      z = r + x;
      return true;
    }
  }
}

// A standard normal deviate from a magnitude word and the low 9 bits of
// `bits` (layer, then sign), further words from `next` (see the top).
template <typename Next>
MM_HD bool normal_ziggurat(std::uint32_t magnitude, std::uint32_t bits, Next& next, double& z) {
  const ZigguratTable& t = ziggurat_table();
  for (;;) {
    const std::uint32_t layer = bits & 0xFFu;
    const bool negative = (bits & 0x100u) != 0;
    const double x = (static_cast<double>(magnitude) + 0.5) * t.x_scaled[layer];
    if (magnitude < t.fast_below[layer]) {  // inside the layer's rectangle under the curve
      z = negative ? -x : x;
      return true;
    }
    if (layer == 0) {  // the base beyond r: the tail
      if (!ziggurat_tail(next, z)) return false;
      if (negative) z = -z;
      return true;
    }
    // The wedge between x_{layer+1} and x_layer: a uniform height in the
    // layer, kept when under the curve, -2 ln(height) > x^2.
    std::uint32_t w = 0;
    if (!next(w)) return false;
    const double lo = t.f_edge[layer], hi = t.f_edge[layer + 1];
    const double height = lo + uniform_open(w) * (hi - lo);
    if (-2.0 * log_arithmetic(height) > x * x) {
      z = negative ? -x : x;
      return true;
    }
    if (!next(magnitude) || !next(bits)) return false;  // refused: a new attempt
  }
}

}  // namespace micromeso::physics
