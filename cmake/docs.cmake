# The documentation (docs/): Markdown pages built as HTML by Sphinx with MyST
# (Debian: python3-sphinx, python3-myst-parser), the Python API from the
# docstrings of the module this tree builds (sphinx.ext.autodoc). Included
# from the top level after cmake/python.cmake, which finds Python 3 and the
# module; without the module, or without Sphinx, there is no docs target.
#   cmake --build build --target docs      -> build/docs/html/index.html
# ctest docs_html builds every page from scratch (-E) with warnings as errors
# (-W), every cross-reference resolved (-n), and reports every warning
# (--keep-going) before it fails.
if(NOT MICROMESO_HAVE_PYTHON)
  return()
endif()
# docs/conf.py resolves links to standard-library types against the local
# inventory of Python's documentation (Debian: python3-doc).
execute_process(COMMAND ${Python3_EXECUTABLE} -c
                  "import os, sys, sphinx, myst_parser; sys.exit(not os.path.exists('/usr/share/doc/python%d.%d/html/objects.inv' % sys.version_info[:2]))"
                RESULT_VARIABLE micromeso_sphinx_rc OUTPUT_QUIET ERROR_QUIET)
if(NOT micromeso_sphinx_rc EQUAL 0)
  message(STATUS "micromeso: Sphinx, MyST or Python's documentation not found for ${Python3_EXECUTABLE}, "
                 "no docs target (Debian: python3-sphinx python3-myst-parser python3-doc)")
  return()
endif()

set(MICROMESO_SPHINX_ENV PYTHONPATH=${MICROMESO_PYTHON_BUILD_DIR} MPLBACKEND=Agg PYTHONDONTWRITEBYTECODE=1)
set(MICROMESO_SPHINX_FLAGS -W --keep-going -n -q -b html)

add_custom_target(docs
  COMMAND ${CMAKE_COMMAND} -E env ${MICROMESO_SPHINX_ENV}
          ${Python3_EXECUTABLE} -m sphinx ${MICROMESO_SPHINX_FLAGS} -d ${CMAKE_BINARY_DIR}/docs/doctrees
          ${CMAKE_SOURCE_DIR}/docs ${CMAKE_BINARY_DIR}/docs/html
  COMMENT "Sphinx: docs/ -> ${CMAKE_BINARY_DIR}/docs/html"
  VERBATIM)
add_dependencies(docs micromeso_python)   # autodoc imports the module of this tree

if(MICROMESO_TESTS)
  add_test(NAME docs_html
           COMMAND ${Python3_EXECUTABLE} -m sphinx ${MICROMESO_SPHINX_FLAGS} -E
                   -d ${CMAKE_BINARY_DIR}/docs/test-doctrees
                   ${CMAKE_SOURCE_DIR}/docs ${CMAKE_BINARY_DIR}/docs/test-html)
  set_tests_properties(docs_html PROPERTIES LABELS unit TIMEOUT 600 ENVIRONMENT "${MICROMESO_SPHINX_ENV}")
endif()
