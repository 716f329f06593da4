// Launch floor of the GPU engine's step structure, measured with empty kernels.
//
// Standalone: no project headers, nothing beyond the CUDA runtime. Built by
// scripts/device-bundle.sh:
//   /usr/local/cuda/bin/nvcc -O2 -arch=sm_90 -o devrun/launch_floor bench/device/launch_floor.cu
// and run by scripts/device-run.sh (one JSON object per line on stdout).
//
// The engine runs a chunk of S = 100 steps as one CUDA graph; each step is two
// kernels in stream order (neuron update, then spike delivery). What does that
// structure cost with no work at all? For each grid size (blocks of 256
// threads) this times, per step:
//   graph_two_nodes       a captured graph of 2S kernel nodes, replayed R times
//                         back to back (device time, CUDA events)
//   graph_two_nodes_sync  the same graph, launched and synchronized one replay
//                         at a time (host wall clock: what a chunk loop that
//                         waits for each chunk pays)
//   stream_two_kernels    the same 2S kernels as plain stream launches
//   graph_one_node        a graph of S kernel nodes, one kernel per step
//   graph_two_nodes_pdl   2S nodes launched with programmatic dependent launch
//                         (each kernel triggers at entry, then waits for its
//                         predecessor with griddepcontrol.wait)
//   persistent_grid_sync  one cooperative kernel per chunk looping S steps with
//                         two grid-wide barriers per step (the "one persistent
//                         kernel" lead in kernels/GPU_NOTES.md)
// Each mode is timed in `trials` trials of R replays; the median and minimum
// over the trials are reported. A mode that fails reports its error and the
// program goes on with the next one.
//
// Usage: launch_floor [--steps S] [--reps R] [--trials T] [--blocks 1,300,528]
#include <cooperative_groups.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace cg = cooperative_groups;

namespace {

constexpr int kThreads = 256;

// Empty bodies; the pointer argument keeps the launch the shape of a real one.
__global__ void update_kernel(int* /*unused*/) {}
__global__ void deliver_kernel(int* /*unused*/) {}
__global__ void step_kernel(int* /*unused*/) {}

// Programmatic dependent launch: let the successor start its launch now,
// then wait until the predecessor grid has finished (and its writes are visible).
__global__ void update_kernel_pdl(int* /*unused*/) {
  cudaTriggerProgrammaticLaunchCompletion();
  cudaGridDependencySynchronize();
}
__global__ void deliver_kernel_pdl(int* /*unused*/) {
  cudaTriggerProgrammaticLaunchCompletion();
  cudaGridDependencySynchronize();
}

__global__ void persistent_kernel(int steps, int* sink) {
  cg::grid_group grid = cg::this_grid();
  for (int s = 0; s < steps; ++s) {
    grid.sync();  // after "update"
    grid.sync();  // after "delivery"
  }
  if (sink != nullptr && grid.thread_rank() == 0) *sink = steps;
}

struct Options {
  int steps = 100;
  int reps = 200;
  int trials = 7;
  std::vector<int> blocks{1, 300, 528};
};

struct Result {
  std::vector<double> us_per_step;  // one per trial
  double extra_us = -1;             // mode-specific (graph instantiation time)
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

#define TRY(call)                                \
  do {                                           \
    const cudaError_t err_ = (call);             \
    if (err_ != cudaSuccess) {                   \
      *where = #call;                            \
      return err_;                               \
    }                                            \
  } while (0)

// Times `reps` back-to-back calls of enqueue(stream) per trial with events.
template <class Enqueue>
cudaError_t time_device(cudaStream_t stream, const Options& o, Enqueue enqueue, Result& r, const char** where) {
  cudaEvent_t start, stop;
  TRY(cudaEventCreate(&start));
  TRY(cudaEventCreate(&stop));
  TRY(enqueue(stream));  // warm-up (module load, graph upload)
  TRY(cudaStreamSynchronize(stream));
  for (int t = 0; t < o.trials; ++t) {
    TRY(cudaEventRecord(start, stream));
    for (int i = 0; i < o.reps; ++i) TRY(enqueue(stream));
    TRY(cudaEventRecord(stop, stream));
    TRY(cudaEventSynchronize(stop));
    float ms = 0;
    TRY(cudaEventElapsedTime(&ms, start, stop));
    r.us_per_step.push_back(1e3 * ms / (double(o.reps) * o.steps));
  }
  TRY(cudaEventDestroy(start));
  TRY(cudaEventDestroy(stop));
  return cudaSuccess;
}

// Captures `steps` steps, each enqueue_step(stream), into an executable graph.
template <class EnqueueStep>
cudaError_t capture(cudaStream_t stream, int steps, EnqueueStep enqueue_step, cudaGraphExec_t* exec,
                    double* instantiate_us, const char** where) {
  cudaGraph_t graph;
  TRY(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
  for (int s = 0; s < steps; ++s) {
    const cudaError_t e = enqueue_step(stream);
    if (e != cudaSuccess) {
      cudaGraph_t dropped;
      cudaStreamEndCapture(stream, &dropped);
      if (dropped) cudaGraphDestroy(dropped);
      cudaGetLastError();
      *where = "launch inside capture";
      return e;
    }
  }
  TRY(cudaStreamEndCapture(stream, &graph));
  const auto t0 = std::chrono::steady_clock::now();
  TRY(cudaGraphInstantiate(exec, graph, 0));
  TRY(cudaGraphUpload(*exec, stream));
  TRY(cudaStreamSynchronize(stream));
  *instantiate_us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  TRY(cudaGraphDestroy(graph));
  return cudaSuccess;
}

cudaError_t launch_pdl(void (*kernel)(int*), int blocks, cudaStream_t stream, int* arg) {
  cudaLaunchConfig_t config = {};
  config.gridDim = dim3(blocks);
  config.blockDim = dim3(kThreads);
  config.stream = stream;
  cudaLaunchAttribute attribute[1];
  attribute[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
  attribute[0].val.programmaticStreamSerializationAllowed = 1;
  config.attrs = attribute;
  config.numAttrs = 1;
  return cudaLaunchKernelEx(&config, kernel, arg);
}

cudaError_t two_kernels(cudaStream_t s, int blocks, int* arg) {
  update_kernel<<<blocks, kThreads, 0, s>>>(arg);
  deliver_kernel<<<blocks, kThreads, 0, s>>>(arg);
  return cudaGetLastError();
}

cudaError_t run_mode(const std::string& mode, int blocks, const Options& o, cudaStream_t stream, int* arg,
                     Result& r, const char** where) {
  const int S = o.steps;
  if (mode == "graph_two_nodes" || mode == "graph_two_nodes_sync" || mode == "graph_one_node" ||
      mode == "graph_two_nodes_pdl") {
    cudaGraphExec_t exec = nullptr;
    cudaError_t e;
    if (mode == "graph_one_node")
      e = capture(stream, S, [&](cudaStream_t s) {
            step_kernel<<<blocks, kThreads, 0, s>>>(arg);
            return cudaGetLastError();
          }, &exec, &r.extra_us, where);
    else if (mode == "graph_two_nodes_pdl")
      e = capture(stream, S, [&](cudaStream_t s) {
            const cudaError_t a = launch_pdl(update_kernel_pdl, blocks, s, arg);
            return a != cudaSuccess ? a : launch_pdl(deliver_kernel_pdl, blocks, s, arg);
          }, &exec, &r.extra_us, where);
    else
      e = capture(stream, S, [&](cudaStream_t s) { return two_kernels(s, blocks, arg); }, &exec, &r.extra_us,
                  where);
    if (e != cudaSuccess) return e;
    if (mode == "graph_two_nodes_sync") {
      TRY(cudaGraphLaunch(exec, stream));
      TRY(cudaStreamSynchronize(stream));
      for (int t = 0; t < o.trials; ++t) {
        std::vector<double> per_replay;
        for (int i = 0; i < o.reps; ++i) {
          const auto t0 = std::chrono::steady_clock::now();
          TRY(cudaGraphLaunch(exec, stream));
          TRY(cudaStreamSynchronize(stream));
          per_replay.push_back(
              std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / S);
        }
        r.us_per_step.push_back(median(per_replay));
      }
    } else {
      e = time_device(stream, o, [&](cudaStream_t s) { return cudaGraphLaunch(exec, s); }, r, where);
      if (e != cudaSuccess) return e;
    }
    TRY(cudaGraphExecDestroy(exec));
    return cudaSuccess;
  }
  if (mode == "stream_two_kernels") {
    return time_device(stream, o, [&](cudaStream_t s) {
      for (int i = 0; i < S; ++i) {
        const cudaError_t e = two_kernels(s, blocks, arg);
        if (e != cudaSuccess) return e;
      }
      return cudaSuccess;
    }, r, where);
  }
  if (mode == "persistent_grid_sync") {
    int device = 0, cooperative = 0, per_sm = 0, sms = 0;
    TRY(cudaGetDevice(&device));
    TRY(cudaDeviceGetAttribute(&cooperative, cudaDevAttrCooperativeLaunch, device));
    TRY(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
    TRY(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, persistent_kernel, kThreads, 0));
    if (!cooperative || blocks > per_sm * sms) {
      *where = "cooperative launch unsupported or grid not co-resident";
      return cudaErrorCooperativeLaunchTooLarge;
    }
    int steps = S;
    void* args[] = {&steps, &arg};
    return time_device(stream, o, [&](cudaStream_t s) {
      return cudaLaunchCooperativeKernel(reinterpret_cast<void*>(persistent_kernel), dim3(blocks), dim3(kThreads),
                                         args, 0, s);
    }, r, where);
  }
  *where = "unknown mode";
  return cudaErrorInvalidValue;
}

std::vector<int> parse_list(const char* s) {
  std::vector<int> v;
  for (const char* p = s; *p;) {
    char* end = nullptr;
    const long x = std::strtol(p, &end, 10);
    if (end == p) break;
    if (x > 0) v.push_back(int(x));
    p = *end ? end + 1 : end;
  }
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
    if (a == "--steps" && next) o.steps = std::max(1, std::atoi(argv[++i]));
    else if (a == "--reps" && next) o.reps = std::max(1, std::atoi(argv[++i]));
    else if (a == "--trials" && next) o.trials = std::max(1, std::atoi(argv[++i]));
    else if (a == "--blocks" && next) o.blocks = parse_list(argv[++i]);
    else {
      std::fprintf(stderr, "usage: %s [--steps S] [--reps R] [--trials T] [--blocks 1,300,528]\n", argv[0]);
      std::exit(2);
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  int device = 0, driver = 0, runtime = 0;
  cudaDeviceProp prop;
  cudaError_t e = cudaGetDevice(&device);
  if (e == cudaSuccess) e = cudaGetDeviceProperties(&prop, device);
  if (e != cudaSuccess) {
    std::printf("{\"error\":\"no device: %s\"}\n", cudaGetErrorString(e));
    return 1;
  }
  cudaDriverGetVersion(&driver);
  cudaRuntimeGetVersion(&runtime);
  int clock_khz = 0;
  cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, device);
  std::printf(
      "{\"device\":\"%s\",\"cc\":\"%d.%d\",\"sms\":%d,\"max_sm_clock_mhz\":%d,\"driver\":%d,\"runtime\":%d,"
      "\"steps\":%d,\"reps\":%d,\"trials\":%d,\"threads\":%d}\n",
      prop.name, prop.major, prop.minor, prop.multiProcessorCount, clock_khz / 1000, driver, runtime, o.steps,
      o.reps, o.trials, kThreads);
  std::fflush(stdout);

  int* arg = nullptr;
  cudaStream_t stream;
  if ((e = cudaMalloc(&arg, sizeof(int))) != cudaSuccess ||
      (e = cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking)) != cudaSuccess) {
    std::printf("{\"error\":\"setup: %s\"}\n", cudaGetErrorString(e));
    return 1;
  }
  int failures = 0;
  const char* modes[] = {"graph_two_nodes",    "graph_two_nodes_sync", "stream_two_kernels",
                         "graph_one_node",     "graph_two_nodes_pdl",  "persistent_grid_sync"};
  for (int blocks : o.blocks) {
    for (const char* mode : modes) {
      Result r;
      const char* where = "";
      e = run_mode(mode, blocks, o, stream, arg, r, &where);
      if (e != cudaSuccess) {
        ++failures;
        std::printf("{\"mode\":\"%s\",\"blocks\":%d,\"error\":\"%s: %s\"}\n", mode, blocks, where,
                    cudaGetErrorString(e));
        cudaGetLastError();  // clear a non-sticky error; a sticky one fails the modes after it too
        cudaStreamSynchronize(stream);
      } else {
        std::printf(
            "{\"mode\":\"%s\",\"blocks\":%d,\"threads\":%d,\"steps\":%d,\"us_per_step_median\":%.4f,"
            "\"us_per_step_min\":%.4f,\"us_per_step_max\":%.4f",
            mode, blocks, kThreads, o.steps, median(r.us_per_step),
            *std::min_element(r.us_per_step.begin(), r.us_per_step.end()),
            *std::max_element(r.us_per_step.begin(), r.us_per_step.end()));
        if (r.extra_us >= 0) std::printf(",\"instantiate_upload_us\":%.1f", r.extra_us);
        std::printf("}\n");
      }
      std::fflush(stdout);
    }
  }
  cudaFree(arg);
  cudaStreamDestroy(stream);
  return failures ? 3 : 0;
}
