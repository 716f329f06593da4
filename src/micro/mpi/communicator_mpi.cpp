// The MPI communicator (builds with MICROMESO_MPI only): MPI_COMM_WORLD, the
// spike exchange as MPI_Allgather of the counts then MPI_Allgatherv of the
// data. MPI is initialised with MPI_THREAD_SERIALIZED: the engine calls MPI
// from inside `omp single`, one thread at a time, but not always the thread
// that initialised MPI.
#ifdef MICROMESO_HAVE_MPI

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <limits>
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

  // MPI_Gatherv's counts and displacements are int: each round moves at most
  // INT_MAX / size values per rank, so that a round's total fits too; a run's
  // multimeters take one round below 2^31 values in all (16 GiB).
  std::vector<double> gather(const std::vector<double>& mine, std::vector<std::uint64_t>& counts, int root) override {
    const auto my_count = static_cast<std::uint64_t>(mine.size());
    counts.resize(static_cast<std::size_t>(size_));
    check(MPI_Allgather(&my_count, 1, MPI_UINT64_T, counts.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD),
          "MPI_Allgather (gather counts)");
    const double t0 = now_s();
    const std::uint64_t cap = std::numeric_limits<int>::max() / static_cast<std::uint64_t>(size_);
    std::uint64_t rounds = 0, total = 0;
    std::vector<std::uint64_t> first(counts.size());  // where rank r's part begins in the result
    for (std::size_t r = 0; r < counts.size(); ++r) {
      rounds = std::max(rounds, (counts[r] + cap - 1) / cap);
      first[r] = total;
      total += counts[r];
    }
    const bool am_root = rank_ == root;
    std::vector<double> all(am_root ? total : 0), piece;
    std::vector<int> piece_counts(counts.size()), piece_first(counts.size());
    for (std::uint64_t k = 0; k < rounds; ++k) {
      int piece_total = 0;
      for (std::size_t r = 0; r < counts.size(); ++r) {
        const std::uint64_t begin = std::min(counts[r], k * cap), end = std::min(counts[r], (k + 1) * cap);
        piece_counts[r] = static_cast<int>(end - begin);
        piece_first[r] = piece_total;
        piece_total += piece_counts[r];
      }
      if (am_root) piece.resize(static_cast<std::size_t>(piece_total));
      const std::uint64_t my_begin = std::min(my_count, k * cap);
      check(MPI_Gatherv(mine.data() + my_begin, piece_counts[static_cast<std::size_t>(rank_)], MPI_DOUBLE,
                        piece.data(), piece_counts.data(), piece_first.data(), MPI_DOUBLE, root, MPI_COMM_WORLD),
            "MPI_Gatherv (multimeter values)");
      if (!am_root) continue;
      for (std::size_t r = 0; r < counts.size(); ++r)
        std::copy_n(piece.begin() + piece_first[r], piece_counts[r],
                    all.begin() + static_cast<std::ptrdiff_t>(first[r] + std::min(counts[r], k * cap)));
    }
    times_.gather_transfer_s += now_s() - t0;
    return all;
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
