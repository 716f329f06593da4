// Checks that every rank of a run must pass together, so that a refusal
// stops all ranks with one message instead of leaving some waiting in a
// collective: the same program and options on every rank, and the checks
// only rank 0 can make (its output folder).
#pragma once

#include <functional>
#include <string>

#include "micro/mpi/communicator.hpp"

namespace micromeso::parallel {

// FNV-1a, 64 bits: a hash that is the same in every build, unlike std::hash.
std::uint64_t fnv1a_64(const std::string& text);

// Compares the hash of `configuration` (program version and commit, the
// circuit after overrides, the options) across ranks; throws AgreedFailure
// (exit code 2) on every rank naming the ranks that differ from rank 0.
void check_same_configuration(Communicator& comm, const std::string& configuration);

// Runs `check` on rank 0 only; when it throws, every rank throws
// AgreedFailure with its message (exit code 2 for invalid input, else 1).
void check_on_root(Communicator& comm, const std::function<void()>& check);

}  // namespace micromeso::parallel
