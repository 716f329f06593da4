#include "meso/lif_hazard_table.hpp"

#include <cmath>

#include "meso/lif_hazard.hpp"

namespace micromeso::meso {
namespace {

// d/dT ln P_below(T) = (2 / sqrt(pi)) exp(-T^2) / erfc(-T).
double log_below_slope(double T) { return 1.1283791670955126 * std::exp(-T * T) / std::erfc(-T); }

template <class F, class D>
LifHazardTable::Cubic tabulate(double first_T, F f, D slope) {
  LifHazardTable::Cubic c;
  c.first_T = first_T;
  const double h = 1.0 / LifHazardTable::kPerUnitT;
  c.intervals = static_cast<std::size_t>(std::ceil((LifHazardTable::kLastT - first_T) * LifHazardTable::kPerUnitT));
  for (std::size_t j = 0; j < c.intervals; ++j) {
    // The last interval may reach past kLastT (no T past it is looked up).
    const double T0 = first_T + double(j) * h, T1 = T0 + h;
    const double f0 = f(T0), f1 = f(T1), d0 = h * slope(T0), d1 = h * slope(T1);
    c.c0.push_back(f0);
    c.c1.push_back(d0);
    c.c2.push_back(3.0 * (f1 - f0) - 2.0 * d0 - d1);
    c.c3.push_back(2.0 * (f0 - f1) + d0 + d1);
    c.rows.push_back({{c.c0.back(), c.c1.back(), c.c2.back(), c.c3.back()}});
  }
  return c;
}

LifHazardTable build() {
  LifHazardTable t;
  t.log_below = tabulate(LifHazardTable::kLogBelowFirstT, log_probability_below, log_below_slope);
  return t;
}

}  // namespace

const LifHazardTable& lif_hazard_table() {
  static const LifHazardTable table = build();
  return table;
}

double lif_table_value(const LifHazardTable::Cubic& c, double T) {
  const double x = (T - c.first_T) * LifHazardTable::kPerUnitT;
  double j = std::floor(x);
  j = std::fmin(std::fmax(j, 0.0), double(c.intervals - 1));
  const double t = x - j;
  const auto i = static_cast<std::size_t>(j);
  return c.c0[i] + t * (c.c1[i] + t * (c.c2[i] + t * c.c3[i]));
}

}  // namespace micromeso::meso
