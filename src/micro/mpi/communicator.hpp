// The ranks of a run and the few collective operations the microscopic engine
// needs from them: the spike exchange (an all-gather of each rank's spikes of
// one interval), a value per rank (timings, configuration hashes), the
// multimeters' values gathered to rank 0, and aborting every rank. One
// interface, two implementations: a single process (every build; rank 0 of 1,
// no communication) and MPI (builds with MICROMESO_MPI, started by mpirun).
// Callers never branch on which; MPI types never appear outside
// communicator_mpi.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace micromeso::parallel {

// Time spent in collectives so far, split as the benchmark reports it:
// `wait_s` in the first, synchronising collective of each exchange (the
// counts; it ends when the slowest rank arrives, so it holds the imbalance
// and one latency), `transfer_s` in the data transfer after it.
struct CommTimes {
  double wait_s = 0.0;
  double transfer_s = 0.0;
  std::uint64_t exchanges = 0;
  std::uint64_t bytes_received = 0;
  // In gather(): the data transfer after its first, synchronising
  // collective (whose waiting for the slowest rank is not counted here).
  double gather_transfer_s = 0.0;
};

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // "single process" or the MPI library's name and version.
  virtual std::string description() const = 0;
  // Every rank's `mine`, concatenated in rank order into `all`; counts[r] is
  // the length of rank r's part. Timed into times().
  virtual void allgather(const std::vector<std::uint32_t>& mine, std::vector<std::uint32_t>& all,
                         std::vector<std::uint64_t>& counts) = 0;
  // Every rank's `mine`, concatenated in rank order, on rank `root` (empty
  // on the others); counts[r] is the length of rank r's part, on every rank.
  // Any length: parts beyond MPI's int counts go over in rounds. The
  // transfer is timed into times().gather_transfer_s.
  virtual std::vector<double> gather(const std::vector<double>& mine, std::vector<std::uint64_t>& counts,
                                     int root) = 0;
  // One value from every rank, in rank order.
  virtual std::vector<std::uint64_t> allgather_value(std::uint64_t value) = 0;
  virtual std::vector<double> allgather_value(double value) = 0;
  // Rank `root`'s text on every rank.
  virtual std::string broadcast(const std::string& text, int root) = 0;
  // Ends every rank of the job with `exit_code` (MPI_Abort); the caller has
  // printed why. The single process exits.
  [[noreturn]] virtual void abort(int exit_code) = 0;
  const CommTimes& times() const { return times_; }

 protected:
  CommTimes times_;
};

// A failure every rank has found at the same collective (a configuration
// that differs between ranks): each rank throws it, rank 0 prints it, and all
// exit with exit_code, without MPI_Abort.
class AgreedFailure : public std::runtime_error {
 public:
  AgreedFailure(int exit_code, const std::string& message) : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

std::unique_ptr<Communicator> make_single_process_communicator();

// The ranks this process was started with: MPI's world when the build has
// MPI and the process was started by an MPI launcher (launcher_rank_count()
// > 0), else a single process. A build without MPI started by a launcher
// throws std::runtime_error saying so (each rank would simulate the whole
// circuit into the same folder). Initialises MPI; call once, early in main,
// and keep the object until the end of main (its destructor finalises MPI).
std::unique_ptr<Communicator> make_world_communicator();

// The rank count an MPI launcher announced in the environment
// (OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMIX_SIZE, ...), or 0 when there is none.
int launcher_rank_count();
// The rank on this node (OMPI_COMM_WORLD_LOCAL_RANK, MPI_LOCALRANKID,
// SLURM_LOCALID), 0 when unknown: GPU ranks take device local rank modulo the
// device count.
int launcher_local_rank();
// Whether this build can run over MPI ranks.
bool built_with_mpi();

}  // namespace micromeso::parallel
