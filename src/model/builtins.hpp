// The registry of built-in circuits: one line per circuit in builtins.cpp.
#pragma once

#include "micromeso/circuit_io.hpp"

namespace micromeso::model {

Circuit potjans2014(const BuiltinOptions& options);
Circuit potjans2014_thalamic(const BuiltinOptions& options);
Circuit gif_single(const BuiltinOptions& options);
Circuit bistable_pair(const BuiltinOptions& options);
Circuit schwalger2017_column(const BuiltinOptions& options);
Circuit schwalger2017_column_adapting(const BuiltinOptions& options);

}  // namespace micromeso::model
