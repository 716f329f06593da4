# The Python module (python/) and its tests. MICROMESO_PYTHON (default ON)
# builds it when pybind11 (Debian: pybind11-dev) and Python 3's development
# files (python3-dev) are found; it is skipped with a message otherwise, and
# in sanitizer builds (an instrumented extension cannot be loaded into an
# uninstrumented python3). Debian's /usr/bin/python3 is preferred: it has
# numpy, h5py, PyNN and Brian 2 from Debian's packages.
set(MICROMESO_PYTHON_DEFAULT ON)
if(CMAKE_CXX_FLAGS MATCHES "-fsanitize")
  set(MICROMESO_PYTHON_DEFAULT OFF)
endif()
option(MICROMESO_PYTHON "Build the Python module when pybind11 and Python 3 development files are found"
       ${MICROMESO_PYTHON_DEFAULT})
set(MICROMESO_HAVE_PYTHON OFF)
if(MICROMESO_PYTHON)
  if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python3_EXECUTABLE /usr/bin/python3)
  endif()
  find_package(Python3 COMPONENTS Interpreter Development.Module)
  if(Python3_FOUND)
    find_package(pybind11 CONFIG QUIET)
  endif()
  if(Python3_FOUND AND pybind11_FOUND)
    set(MICROMESO_HAVE_PYTHON ON)
    set(MICROMESO_PYTHON_BUILD_DIR ${CMAKE_BINARY_DIR}/python)
    add_subdirectory(python)
  else()
    message(STATUS "micromeso: pybind11 or Python 3 development files not found, no Python module "
                   "(Debian: pybind11-dev python3-dev)")
  endif()
endif()

# The Python tests: files under tests/python (unittest test cases, which
# pytest runs and reports), each one ctest test, run by pytest (Debian
# python3-pytest) with the module of this build tree.
if(MICROMESO_HAVE_PYTHON AND MICROMESO_TESTS)
  file(GLOB MICROMESO_PYTHON_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/python/test_*.py)
  foreach(test_file IN LISTS MICROMESO_PYTHON_TESTS)
    get_filename_component(test_name ${test_file} NAME_WE)
    set(label unit)
    set(timeout 600)
    if(test_name MATCHES "_validation$")
      set(label validation)
      set(timeout 1800)
    endif()
    add_test(NAME python_${test_name}
             COMMAND ${Python3_EXECUTABLE} -m pytest -v -p no:cacheprovider ${test_name}.py
             WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/tests/python)
    set_tests_properties(python_${test_name} PROPERTIES LABELS ${label} TIMEOUT ${timeout} ENVIRONMENT
      "PYTHONPATH=${MICROMESO_PYTHON_BUILD_DIR};MICROMESO_BINARY=$<TARGET_FILE:micromeso>;OMP_WAIT_POLICY=passive;PYTHONDONTWRITEBYTECODE=1")
  endforeach()
endif()
