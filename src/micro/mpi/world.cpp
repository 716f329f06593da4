// Which ranks this process belongs to, from what MPI launchers put in the
// environment (Open MPI's mpirun, Hydra/MPICH and Intel MPI, PMIx, Slurm's srun
// with --mpi).
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

#include "micro/mpi/communicator.hpp"

namespace micromeso::parallel {
namespace {

int env_int(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return -1;
  char* end = nullptr;
  const long v = std::strtol(value, &end, 10);
  return (*end == '\0' && v >= 0 && v < (1L << 30)) ? static_cast<int>(v) : -1;
}

}  // namespace

namespace detail {
// Defined in communicator_mpi.cpp, in builds with MPI only.
std::unique_ptr<Communicator> make_mpi_world();
}  // namespace detail

int launcher_rank_count() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"})
    if (const int n = env_int(name); n > 0) return n;
  // PMIx (Open MPI 5, srun --mpi=pmix) announces a rank before a size.
  if (env_int("PMIX_RANK") >= 0) return 1;
  return 0;
}

int launcher_local_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "PMI_LOCAL_RANK", "SLURM_LOCALID"})
    if (const int r = env_int(name); r >= 0) return r;
  return 0;
}

bool built_with_mpi() {
#ifdef MICROMESO_HAVE_MPI
  return true;
#else
  return false;
#endif
}

std::unique_ptr<Communicator> make_world_communicator() {
  const int launched = launcher_rank_count();
  if (launched == 0) return make_single_process_communicator();
#ifdef MICROMESO_HAVE_MPI
  return detail::make_mpi_world();
#else
  throw std::runtime_error(fmt::format(
      "started by an MPI launcher ({} rank{}), but this micromeso was built without MPI (no MPI library found, or "
      "-DMICROMESO_MPI=OFF): each rank would simulate the whole circuit into the same output folder. Install "
      "libopenmpi-dev and rebuild (scripts/build.sh), or run micromeso without mpirun",
      launched, launched == 1 ? "" : "s"));
#endif
}

}  // namespace micromeso::parallel
