cmake_minimum_required(VERSION 3.25)
# ctest install_destdir (cmake/install.cmake): installs BUILD_DIR into a
# DESTDIR folder and checks what was installed.
set(root ${BUILD_DIR}/install-test)
file(REMOVE_RECURSE ${root})
set(ENV{DESTDIR} ${root})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
unset(ENV{DESTDIR})
set(prefix ${root}${PREFIX})

execute_process(COMMAND ${prefix}/${BINDIR}/micromeso --version RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^micromeso [0-9]")
  message(FATAL_ERROR "installed micromeso --version: exit ${rc}, output '${out}'")
endif()

# The installed program finds its installed plot script: a stand-in python
# records the command line it is given.
execute_process(COMMAND ${prefix}/${BINDIR}/micromeso run gif_single --t 40ms --presim 0 --no-spikes
                        --out ${root}/run RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "installed micromeso run: exit ${rc}: ${err}")
endif()
file(WRITE ${root}/fake-python "#!/bin/sh\necho \"$@\" > '${root}/plot-args'\n")
file(CHMOD ${root}/fake-python PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
set(ENV{MICROMESO_PYTHON} ${root}/fake-python)
execute_process(COMMAND ${prefix}/${BINDIR}/micromeso plot ${root}/run RESULT_VARIABLE rc ERROR_VARIABLE err)
unset(ENV{MICROMESO_PYTHON})
file(READ ${root}/plot-args args)
if(NOT rc EQUAL 0 OR NOT args MATCHES "^${prefix}/${SCRIPTS_DIR}/plot_run.py ")
  message(FATAL_ERROR "installed micromeso plot: exit ${rc} (${err}), script called as '${args}', expected "
                      "${prefix}/${SCRIPTS_DIR}/plot_run.py")
endif()
if(NOT EXISTS ${prefix}/${SCRIPTS_DIR}/micromeso_figures.py)
  message(FATAL_ERROR "installed plot script without its figures: ${prefix}/${SCRIPTS_DIR}/micromeso_figures.py")
endif()

if(WITH_PYTHON)
  set(ENV{PYTHONPATH} ${prefix}/${PYTHON_DIR})
  execute_process(COMMAND ${PYTHON} -c "import micromeso, micromeso.pynn, micromeso.figures; print(micromeso.__file__, micromeso.__version__)"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "^${prefix}/${PYTHON_DIR}/micromeso/__init__.py")
    message(FATAL_ERROR "import of the installed package: exit ${rc}, '${out}' ${err}")
  endif()
endif()
file(REMOVE_RECURSE ${root})
message(STATUS "installed into ${root}: program, plot scripts and Python package work")
