// The two kinds of failure a caller must tell apart: the input was wrong (an
// option, a file, a folder, a device asked for that is not there: the user
// can fix it) or something failed on the way (memory, a full disk). The
// command line exits 2 for the first and 1 for the second; CircuitError
// (circuit.hpp) is input too.
#pragma once

#include <stdexcept>

namespace micromeso {

// Invalid input: the message names the option, file or folder and what was
// expected.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A run stopped by its interrupt flag (Ctrl-C, SIGTERM) where the caller
// has no summary to return it in (compare): only ".part" files are left.
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace micromeso
