# Runs at every build: writes the version header with the current git commit
# (configure_file leaves the file untouched when nothing changed, so nothing
# recompiles needlessly). A tree with uncommitted changes is marked "-dirty".
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE MICROMESO_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT MICROMESO_GIT_COMMIT)
  set(MICROMESO_GIT_COMMIT unknown)
else()
  execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
    OUTPUT_VARIABLE DIRTY OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(DIRTY)
    set(MICROMESO_GIT_COMMIT "${MICROMESO_GIT_COMMIT}-dirty")
  endif()
endif()
configure_file(${SOURCE_DIR}/include/micromeso/version.hpp.in ${OUTPUT} @ONLY)
