# MICROMESO_MPI: the microscopic engine over MPI ranks (src/micro/mpi/). ON by
# default, used when an MPI C++ library is found (Debian: libopenmpi-dev);
# without one, or with -DMICROMESO_MPI=OFF, the build works as a single
# process and refuses to run under mpirun (src/micro/mpi/world.cpp).
option(MICROMESO_MPI "Distribute the microscopic engine over MPI ranks when MPI is found" ON)
set(MICROMESO_HAVE_MPI OFF)
if(MICROMESO_MPI)
  find_package(MPI COMPONENTS CXX)
  if(MPI_CXX_FOUND)
    set(MICROMESO_HAVE_MPI ON)
    target_link_libraries(micromeso_core PUBLIC MPI::MPI_CXX)
    target_compile_definitions(micromeso_core PUBLIC MICROMESO_HAVE_MPI=1)
    find_program(MICROMESO_MPIEXEC NAMES mpirun mpiexec HINTS ${MPIEXEC_EXECUTABLE})
    message(STATUS "micromeso: MPI ${MPI_CXX_VERSION} (${MICROMESO_MPIEXEC})")
  else()
    message(STATUS "micromeso: no MPI found, single-process build")
  endif()
endif()
