// The single-process communicator: rank 0 of 1, collectives are copies.
#include <cstdlib>

#include "micro/mpi/communicator.hpp"

namespace micromeso::parallel {
namespace {

class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::string description() const override { return "single process"; }
  void allgather(const std::vector<std::uint32_t>& mine, std::vector<std::uint32_t>& all,
                 std::vector<std::uint64_t>& counts) override {
    all = mine;
    counts.assign(1, mine.size());
    ++times_.exchanges;
  }
  std::vector<double> gather(const std::vector<double>& mine, std::vector<std::uint64_t>& counts, int) override {
    counts.assign(1, mine.size());
    return mine;
  }
  std::vector<std::uint64_t> allgather_value(std::uint64_t value) override { return {value}; }
  std::vector<double> allgather_value(double value) override { return {value}; }
  std::string broadcast(const std::string& text, int) override { return text; }
  [[noreturn]] void abort(int exit_code) override { std::exit(exit_code); }
};

}  // namespace

std::unique_ptr<Communicator> make_single_process_communicator() { return std::make_unique<SingleProcess>(); }

}  // namespace micromeso::parallel
