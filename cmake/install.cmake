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
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.34), libstdc++6 (>= 12), libgcc-s1, libgomp1, libhdf5-103-1, libfftw3-double3, libsleef3, libfmt9, python3-numpy, python3-h5py, python3-matplotlib")
if(MICROMESO_HAVE_PYTHON)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS
         ", python3 (>= ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}), python3 (<< ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}.99)")
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-pynn, python3-neo, python3-quantities")
else()
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", python3")
endif()
include(CPack)
