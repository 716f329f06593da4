# Compiler warnings for every micromeso target (issue 11).
#   micromeso_warnings(<target>)
# C++: -Wall -Wextra; CUDA (nvcc): the same for the host compiler through
# -Xcompiler. With -DMICROMESO_WERROR=ON warnings are errors: -Werror for C++,
# --Werror=all-warnings for nvcc's own warnings and -Xcompiler=-Werror for the
# host compiler under nvcc. scripts/ci.sh builds with it ON.
option(MICROMESO_WERROR "Treat compiler warnings as errors (C++ and CUDA)" OFF)

# GCC 12 (Debian 12's compiler) warns -Wrestrict on `"P" + std::to_string(i)`
# at -O2 and above, a memcpy of 2^63 bytes inlined from std::string that cannot
# happen: GCC bug 105329, fixed in GCC 13. Off for GCC 12 only.
set(MICROMESO_NO_WARNINGS)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  set(MICROMESO_NO_WARNINGS -Wno-restrict)
endif()

function(micromeso_warnings target)
  set(flags -Wall -Wextra ${MICROMESO_NO_WARNINGS})
  if(MICROMESO_WERROR)
    list(APPEND flags -Werror)
  endif()
  list(JOIN flags "," host_flags)
  target_compile_options(${target} PRIVATE
    "$<$<COMPILE_LANGUAGE:CXX>:${flags}>"
    "$<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=${host_flags}>")
  if(MICROMESO_WERROR)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:--Werror=all-warnings>)
  endif()
endfunction()
