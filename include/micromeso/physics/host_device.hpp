// One macro so that every physics function compiles for the CPU backend and,
// unchanged, inside the CUDA kernels (DESIGN.md: physics written once).
#pragma once

#if defined(__CUDACC__)
#define MM_HD __host__ __device__ inline
#else
#define MM_HD inline
#endif
