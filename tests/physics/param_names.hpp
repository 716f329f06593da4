// Readable names for value-parameterised tests: a number as gtest allows it in
// a test name ([A-Za-z0-9_] only), e.g. 0.05 -> "0_05", -2 -> "m2", 1e-05 -> "1em05".
#pragma once

#include <cstdio>
#include <string>

namespace micromeso::testing {

inline std::string number_name(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  std::string name;
  for (const char c : std::string(text)) {
    if (c == '.') name += '_';
    else if (c == '-') name += 'm';
    else if (c != '+') name += c;
  }
  return name;
}

}  // namespace micromeso::testing
