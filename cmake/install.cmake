# `cmake --install build` (prefix: CMAKE_INSTALL_PREFIX, /usr/local by default):
#   bin/micromeso                              the program
#   share/micromeso/scripts/plot_*.py          the plot scripts (micromeso/plot.hpp finds them)
#   MICROMESO_PYTHON_INSTALL_DIR/micromeso/    the Python package, when it is built
# and `cpack -G DEB` (in build/) a Debian package of the same files under
# the same prefix: configure with -DCMAKE_INSTALL_PREFIX=/usr for a package
# that installs under /usr.
include(GNUInstallDirs)

install(TARGETS micromeso RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
set(MICROMESO_SCRIPTS_INSTALL_DIR ${CMAKE_INSTALL_DATADIR}/micromeso/scripts)
install(PROGRAMS ${CMAKE_SOURCE_DIR}/scripts/plot_run.py ${CMAKE_SOURCE_DIR}/scripts/plot_compare.py
        DESTINATION ${MICROMESO_SCRIPTS_INSTALL_DIR})
# The figures plot_run.py draws (it imports them from its own folder).
install(FILES ${CMAKE_SOURCE_DIR}/scripts/micromeso_figures.py DESTINATION ${MICROMESO_SCRIPTS_INSTALL_DIR})
# Where the library looks for them (src/run/plot.cpp): the source tree for a
# build-tree program or module, then the installed folder.
set_property(SOURCE ${CMAKE_SOURCE_DIR}/src/run/plot.cpp APPEND PROPERTY COMPILE_DEFINITIONS
  MICROMESO_SOURCE_SCRIPTS_DIR="${CMAKE_SOURCE_DIR}/scripts"
  MICROMESO_INSTALL_SCRIPTS_DIR="${CMAKE_INSTALL_PREFIX}/${MICROMESO_SCRIPTS_INSTALL_DIR}")

if(MICROMESO_HAVE_PYTHON)
  # Debian's python3 reads /usr/lib/python3/dist-packages (packages) and
  # /usr/local/lib/python3.X/dist-packages (local installs).
  if(NOT MICROMESO_PYTHON_INSTALL_DIR)
    if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
      set(MICROMESO_PYTHON_INSTALL_DIR lib/python3/dist-packages)
    else()
      set(MICROMESO_PYTHON_INSTALL_DIR lib/python${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}/dist-packages)
    endif()
  endif()
  install(TARGETS micromeso_python LIBRARY DESTINATION ${MICROMESO_PYTHON_INSTALL_DIR}/micromeso)
  # The same figures as micromeso.figures (python/CMakeLists.txt).
  install(FILES ${CMAKE_SOURCE_DIR}/scripts/micromeso_figures.py DESTINATION ${MICROMESO_PYTHON_INSTALL_DIR}/micromeso
          RENAME figures.py)
  install(DIRECTORY ${CMAKE_SOURCE_DIR}/python/micromeso/ DESTINATION ${MICROMESO_PYTHON_INSTALL_DIR}/micromeso
          FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
endif()

# The install, checked in ctest: into a DESTDIR folder, then the installed
# program's --version, its plot scripts found beside it, and the installed
# package imported.
if(MICROMESO_TESTS)
  add_test(NAME install_destdir COMMAND ${CMAKE_COMMAND}
    -DBUILD_DIR=${CMAKE_BINARY_DIR} -DPREFIX=${CMAKE_INSTALL_PREFIX} -DBINDIR=${CMAKE_INSTALL_BINDIR}
    -DSCRIPTS_DIR=${MICROMESO_SCRIPTS_INSTALL_DIR} -DPYTHON=${Python3_EXECUTABLE}
    -DPYTHON_DIR=${MICROMESO_PYTHON_INSTALL_DIR} -DWITH_PYTHON=${MICROMESO_HAVE_PYTHON}
    -P ${CMAKE_SOURCE_DIR}/cmake/test_install.cmake)
  set_tests_properties(install_destdir PROPERTIES LABELS unit)
endif()

# Debian package. The dependencies are the runtime libraries the program and
# the module link (as dpkg-shlibdeps finds them on Debian 12) and the Python
# packages the module and the plot scripts import. A CUDA build also needs the
# CUDA runtime (libcudart) of the CUDA Toolkit it was built with.
set(CPACK_PACKAGE_NAME micromeso)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Spiking cortical circuits, neuron by neuron (micro) and as finite-size population equations (meso)")
set(CPACK_PACKAGE_CONTACT "micromeso developers <micromeso@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(MICROMESO_DEB_LIBRARIES
    "libc6 (>= 2.34), libstdc++6 (>= 11), libgcc-s1 (>= 3.0), libgomp1 (>= 6), libhdf5-103-1, libfftw3-double3 (>= 3.3.10), libsleef3 (>= 3.5.1), libfmt9 (>= 9.1.0+ds1), libtomlplusplus3 (>= 3.2.0)")
if(MICROMESO_HAVE_MPI)  # cmake/mpi.cmake: the program links Open MPI; mpirun is in openmpi-bin
  string(APPEND MICROMESO_DEB_LIBRARIES ", libopenmpi3 (>= 4.1.4)")
  set(MICROMESO_DEB_MPI_RECOMMENDS "openmpi-bin")
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${MICROMESO_DEB_LIBRARIES}, python3-numpy, python3-h5py, python3-matplotlib")
if(MICROMESO_HAVE_PYTHON)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS
         ", python3 (>= ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}), python3 (<< ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}.99)")
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-pynn, python3-neo, python3-quantities")
else()
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", python3")
endif()
if(MICROMESO_DEB_MPI_RECOMMENDS)
  if(CPACK_DEBIAN_PACKAGE_RECOMMENDS)
    string(APPEND CPACK_DEBIAN_PACKAGE_RECOMMENDS ", ${MICROMESO_DEB_MPI_RECOMMENDS}")
  else()
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "${MICROMESO_DEB_MPI_RECOMMENDS}")
  endif()
endif()
include(CPack)

# The list above against what dpkg-shlibdeps finds in the program and the
# module (where dpkg-dev is installed): a library linked later and not listed
# fails this test. Not in sanitizer builds, which link the sanitizers' runtimes.
find_program(MICROMESO_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(MICROMESO_TESTS AND MICROMESO_DPKG_SHLIBDEPS AND NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize")
  set(shlib_files $<TARGET_FILE:micromeso>)
  if(MICROMESO_HAVE_PYTHON)
    list(APPEND shlib_files $<TARGET_FILE:micromeso_python>)
  endif()
  add_test(NAME deb_dependencies COMMAND ${CMAKE_COMMAND} -DSHLIBDEPS=${MICROMESO_DPKG_SHLIBDEPS}
    "-DFILES=${shlib_files}" "-DDECLARED=${MICROMESO_DEB_LIBRARIES}" -DWORK_DIR=${CMAKE_BINARY_DIR}/deb-deps-test
    -P ${CMAKE_SOURCE_DIR}/cmake/test_deb_dependencies.cmake)
  set_tests_properties(deb_dependencies PROPERTIES LABELS unit)
endif()

# The package itself: built, resolved by apt against an empty system, unpacked
# and run (cmake/test_deb_package.cmake). Needs dpkg-deb and apt-get (Debian).
find_program(MICROMESO_DPKG_DEB dpkg-deb)
find_program(MICROMESO_APT_GET apt-get)
if(MICROMESO_TESTS AND MICROMESO_DPKG_DEB AND MICROMESO_APT_GET AND NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize")
  add_test(NAME deb_package COMMAND ${CMAKE_COMMAND} -DCPACK=${CMAKE_CPACK_COMMAND} -DBUILD_DIR=${CMAKE_BINARY_DIR}
    -DWORK_DIR=${CMAKE_BINARY_DIR}/deb-package-test -DDPKG_DEB=${MICROMESO_DPKG_DEB} -DAPT_GET=${MICROMESO_APT_GET}
    -DPREFIX=${CMAKE_INSTALL_PREFIX} -DBINDIR=${CMAKE_INSTALL_BINDIR} -DPYTHON=${Python3_EXECUTABLE}
    -DPYTHON_DIR=${MICROMESO_PYTHON_INSTALL_DIR} -DWITH_PYTHON=${MICROMESO_HAVE_PYTHON}
    -P ${CMAKE_SOURCE_DIR}/cmake/test_deb_package.cmake)
  set_tests_properties(deb_package PROPERTIES LABELS unit)
endif()
