#include "micro/mpi/rank_checks.hpp"

#include <exception>
#include <vector>

#include <fmt/format.h>

#include "micromeso/circuit.hpp"
#include "micromeso/errors.hpp"

namespace micromeso::parallel {

std::uint64_t fnv1a_64(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

void check_same_configuration(Communicator& comm, const std::string& configuration) {
  const std::vector<std::uint64_t> hashes = comm.allgather_value(fnv1a_64(configuration));
  std::string differing;
  for (std::size_t r = 1; r < hashes.size(); ++r)
    if (hashes[r] != hashes[0]) differing += fmt::format("{}{}", differing.empty() ? "" : ", ", r);
  if (differing.empty()) return;
  throw AgreedFailure(
      2, fmt::format("the ranks differ: rank{} {} started with another micromeso (version, commit) or other "
                     "options or circuit than rank 0 (configuration hash {:016x}); start every rank with the same "
                     "program and arguments",
                     differing.find(',') == std::string::npos ? "" : "s", differing, hashes[0]));
}

void check_on_root(Communicator& comm, const std::function<void()>& check) {
  std::string failure;  // "<code> <message>", empty when passed
  if (comm.rank() == 0) {
    try {
      check();
    } catch (const InputError& e) {
      failure = std::string("2 invalid input: ") + e.what();
    } catch (const CircuitError& e) {
      failure = std::string("2 invalid circuit: ") + e.what();
    } catch (const std::exception& e) {
      failure = std::string("1 error: ") + e.what();
    }
  }
  failure = comm.broadcast(failure, 0);
  if (!failure.empty()) throw AgreedFailure(failure[0] - '0', failure.substr(2));
}

}  // namespace micromeso::parallel
