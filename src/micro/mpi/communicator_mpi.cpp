// The MPI communicator (builds with MICROMESO_MPI only): MPI_COMM_WORLD, the
// spike exchange as MPI_Allgather of the counts then MPI_Allgatherv of the
// data. MPI is initialised with MPI_THREAD_SERIALIZED: the engine calls MPI
// from inside `omp single`, one thread at a time, but not always the thread
// that initialised MPI.
#ifdef MICROMESO_HAVE_MPI

#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "micro/mpi/communicator.hpp"

namespace micromeso::parallel {
namespace {

void check(int code, const char* call) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw std::runtime_error(fmt::format("{} failed: {}", call, std::string(text, static_cast<std::size_t>(length))));
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

class MpiWorld final : public Communicator {
 public:
  MpiWorld() {
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
    // Errors come back as codes (check() turns them into exceptions), not as
    // MPI's default abort without a message of ours.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    if (provided < MPI_THREAD_SERIALIZED)
      throw std::runtime_error("the MPI library does not provide MPI_THREAD_SERIALIZED (one OpenMP thread at a time calls MPI)");
  }
  ~MpiWorld() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string description() const override {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(version, &length);
    std::string text(version, static_cast<std::size_t>(length));
    if (const auto cut = text.find_first_of(",\n"); cut != std::string::npos) text.resize(cut);
    return text;
  }

  void allgather(const std::vector<std::uint32_t>& mine, std::vector<std::uint32_t>& all,
                 std::vector<std::uint64_t>& counts) override {
    const double t0 = now_s();
    const auto my_count = static_cast<std::uint64_t>(mine.size());
    counts.resize(static_cast<std::size_t>(size_));
    check(MPI_Allgather(&my_count, 1, MPI_UINT64_T, counts.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD),
          "MPI_Allgather (spike counts)");
    const double t1 = now_s();
    recv_counts_.resize(counts.size());
    displacements_.resize(counts.size());
    std::uint64_t total = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
      // MPI counts are int: 2^31 - 1 ids per rank and exchange, far beyond a
      // neuron's one spike per step.
      if (counts[r] > 0x7FFFFFFFull || total > 0x7FFFFFFFull)
        throw std::runtime_error(fmt::format("spike exchange: {} ids from rank {} exceed MPI's int counts", counts[r], r));
      recv_counts_[r] = static_cast<int>(counts[r]);
      displacements_[r] = static_cast<int>(total);
      total += counts[r];
    }
    all.resize(total);
    check(MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_UINT32_T, all.data(), recv_counts_.data(),
                         displacements_.data(), MPI_UINT32_T, MPI_COMM_WORLD),
          "MPI_Allgatherv (spikes)");
    times_.wait_s += t1 - t0;
    times_.transfer_s += now_s() - t1;
    ++times_.exchanges;
    times_.bytes_received += total * sizeof(std::uint32_t) + counts.size() * sizeof(std::uint64_t);
  }

  std::vector<std::uint64_t> allgather_value(std::uint64_t value) override {
    std::vector<std::uint64_t> all(static_cast<std::size_t>(size_));
    check(MPI_Allgather(&value, 1, MPI_UINT64_T, all.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD), "MPI_Allgather");
    return all;
  }
  std::vector<double> allgather_value(double value) override {
    std::vector<double> all(static_cast<std::size_t>(size_));
    check(MPI_Allgather(&value, 1, MPI_DOUBLE, all.data(), 1, MPI_DOUBLE, MPI_COMM_WORLD), "MPI_Allgather");
    return all;
  }
  std::string broadcast(const std::string& text, int root) override {
    std::uint64_t length = text.size();
    check(MPI_Bcast(&length, 1, MPI_UINT64_T, root, MPI_COMM_WORLD), "MPI_Bcast");
    std::string out = rank_ == root ? text : std::string(length, '\0');
    check(MPI_Bcast(out.data(), static_cast<int>(length), MPI_CHAR, root, MPI_COMM_WORLD), "MPI_Bcast");
    return out;
  }
  [[noreturn]] void abort(int exit_code) override {
    MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::_Exit(exit_code);  // MPI_Abort does not return; in case it does
  }

 private:
  int rank_ = 0, size_ = 1;
  std::vector<int> recv_counts_, displacements_;
};

}  // namespace

namespace detail {
std::unique_ptr<Communicator> make_mpi_world() { return std::make_unique<MpiWorld>(); }
}  // namespace detail

}  // namespace micromeso::parallel

#endif  // MICROMESO_HAVE_MPI
