cmake_minimum_required(VERSION 3.25)
# ctest deb_package (cmake/install.cmake): the .deb that `cpack -G DEB` makes
# from BUILD_DIR
#  1. resolves on Debian 12 from nothing: apt-get simulates its installation
#     against an empty package database, so every dependency (and theirs) must
#     come from the Debian 12 archive (the apt lists that scripts/install-deps.sh
#     updates), as on a fresh Debian 12;
#  2. runs: unpacked (dpkg-deb -x), its program simulates a circuit and plots it
#     with its own plot scripts and the system's python3, and its Python package
#     imports and runs a circuit.
# A CUDA build's package also needs the CUDA runtime of its toolkit, which no
# Debian package provides (see cmake/install.cmake); that part is not checked.
set(work ${WORK_DIR})
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})

function(run_checked what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (exit ${rc}):\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

run_checked("cpack -G DEB" ${CPACK} -G DEB --config ${BUILD_DIR}/CPackConfig.cmake -B ${work})
file(GLOB debs ${work}/micromeso_*.deb)
list(LENGTH debs n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one micromeso_*.deb in ${work}, found: ${debs}")
endif()

file(TOUCH ${work}/empty-dpkg-status)
run_checked("apt-get install --simulate of ${debs} on an empty system" ${APT_GET} install --simulate
            --no-install-recommends -o Dir::State::status=${work}/empty-dpkg-status ${debs})
if(NOT last_output MATCHES "\nConf micromeso ")
  message(FATAL_ERROR "apt-get did not plan to configure micromeso:\n${last_output}")
endif()

set(root ${work}/root)
run_checked("dpkg-deb -x" ${DPKG_DEB} -x ${debs} ${root})
set(prefix ${root}${PREFIX})
run_checked("the packaged micromeso --version" ${prefix}/${BINDIR}/micromeso --version)
run_checked("the packaged micromeso run" ${prefix}/${BINDIR}/micromeso run gif_single --t 300ms --presim 0
            --out ${work}/run)
run_checked("the packaged micromeso plot" ${CMAKE_COMMAND} -E env --unset=MICROMESO_SCRIPTS_DIR
            --unset=MICROMESO_PYTHON ${prefix}/${BINDIR}/micromeso plot ${work}/run)
foreach(figure raster rates activity spectra)
  if(NOT EXISTS ${work}/run/figures/${figure}.png)
    message(FATAL_ERROR "the packaged micromeso plot drew no ${work}/run/figures/${figure}.png")
  endif()
endforeach()
if(WITH_PYTHON)
  # A file, not -c: CMake would split the code at its semicolons.
  file(WRITE ${work}/use_package.py
       "import micromeso, micromeso.pynn\n"
       "r = micromeso.run('gif_single', t=50, presim=0, out='${work}/py', progress=False)\n"
       "assert r.out_dir.startswith('${work}/py'), r.out_dir\n"
       "print(micromeso.__file__)\n")
  run_checked("the packaged Python package" ${CMAKE_COMMAND} -E env PYTHONPATH=${prefix}/${PYTHON_DIR}
              ${PYTHON} ${work}/use_package.py)
  if(NOT last_output MATCHES "^${prefix}/${PYTHON_DIR}/micromeso/__init__.py")
    message(FATAL_ERROR "python3 imported micromeso from '${last_output}', not from the package")
  endif()
endif()
file(REMOVE_RECURSE ${work})
message(STATUS "${debs}: resolves on an empty Debian 12 system, and its program, plots and Python package run")
