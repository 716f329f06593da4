#!/usr/bin/env bash
# The whole device check in one call, on the lent GPU machine. Here, first:
#   scripts/device-bundle.sh        (builds, packs devrun/: binaries, libraries,
#                                    launch_floor, commit.txt)
# then, through the device tool:
#   run(command="scripts/device-run.sh", carry=["devrun"], timeout_s=570)
#
# Steps, most valuable first; each under its own `timeout` (a hang costs its
# cap, not the lease), each clipped to what is left of DEVICE_RUN_BUDGET_S
# (default 500 s), each followed by one summary line (exit code, seconds) on
# stdout and in $OUT/summary.txt:
#   info        nvidia-smi, driver, ldd of the binaries, `micromeso devices --json`,
#               nvcc --version, which profilers exist                   45 s
#   gpu-tests   micromeso_tests --gtest_filter='*GpuBackend*:*Gpu*:CudaCheck*-*Emulator*:Hardening*'
#               (the Targets/GpuBackend.*/Device instances, not the CPU emulator's) 90 s
#   bench-N     full-scale potjans2014, 10 s + 0.1 s presim, N = 1..3   3 x 45 s
#   launch-floor devrun/launch_floor (bench/device/launch_floor.cu)      30 s
#   nsys        Nsight Systems trace of one 100-step chunk, 2 x stats   50 + 25 + 15 s
#   memcheck, racecheck, synccheck  compute-sanitizer on potjans2014 at scale
#               0.02, 50 ms                                             45 + 45 + 25 s
# Caps add up to 505 s (8 min 25 s) plus at most 5 s of kill grace per step
# that hangs; the budget clip keeps the total near 500 s whatever happens.
#
# What comes back: the device tool returns at most 8 files from $OUT, so only
# these are written there (everything else lands in a work folder and is
# packed, small files only, into results.tar.gz after every step):
#   summary.txt  commit.txt  gpu-tests.xml  bench-full.txt  launch-floor.jsonl
#   nsys-stats.txt  chunk.nsys-rep (only if under 15 MB)  results.tar.gz
#
# Arguments: the groups to run, any of tests bench floor nsys sanitize (default
# all of them; info always runs), e.g. `scripts/device-run.sh floor sanitize`
# for a short second call.
# Environment: OUT (set by the device tool), DEVRUN (default devrun),
# DEVICE_RUN_BUDGET_S (default 500), DEVICE_RUN_WORK (default a mktemp folder),
# GPU_TESTS_FILTER (default above).
# Dry run without a GPU: OUT=$(mktemp -d) scripts/device-run.sh  (every step
# fails or skips quickly, summary.txt is still written).
# shellcheck disable=SC2317  # the note_* functions are called through step
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
: "${OUT:?the device tool sets OUT; for a dry run: OUT=\$(mktemp -d) $0}"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
DEVRUN=${DEVRUN:-devrun}
[[ $DEVRUN == /* ]] || DEVRUN="$PWD/$DEVRUN"
BUDGET_S=${DEVICE_RUN_BUDGET_S:-500}
W=${DEVICE_RUN_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/device-run.XXXXXX")}
mkdir -p "$W"
export LD_LIBRARY_PATH="$DEVRUN/lib:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
export PATH="$PATH:/usr/local/cuda/bin"
GROUPS_ARG=" ${*:-tests bench floor nsys sanitize} "
for g in $GROUPS_ARG; do
  case $g in tests | bench | floor | nsys | sanitize) ;; *) echo "unknown group: $g" >&2; exit 2 ;; esac
done
want() { [[ $GROUPS_ARG == *" $1 "* ]]; }
SUMMARY="$OUT/summary.txt"
START=$SECONDS
MM="$DEVRUN/micromeso"
REDUCED=(run potjans2014 --scale 0.02 --t 50ms --presim 0 --backend gpu --no-spikes)
# The emulator variants of the parameterized GPU tests run on the CPU (CI runs them): not here.
# Not the CLI tests (Hardening.*): they run the binary at the path it was built at.
GPU_TESTS_FILTER=${GPU_TESTS_FILTER:-'*GpuBackend*:*Gpu*:CudaCheck*-*Emulator*:Hardening*'}
FULL=(run potjans2014 --backend gpu --t 10s --presim 0.1s --no-spikes)

now() { if [[ -n ${EPOCHREALTIME:-} ]]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi; }

# Writes one line to stdout and summary.txt.
say() { echo "$*" | tee -a "$SUMMARY"; }

# record NAME RC SECONDS CAP NOTE
record() {
  local line
  line=$(printf '%-13s exit %-4s %6.1f s  (cap %3s s)  %s' "$1" "$2" "$3" "$4" "$5")
  say "$line"
}

# Packs the small files of the work folder into $OUT/results.tar.gz (so a
# call cut short still returns what was done).
pack() {
  cp -f "$SUMMARY" "$W/summary.txt" 2>/dev/null
  (cd "$W" && find . -type f -size -4M ! -name '*.nsys-rep' ! -name '*.qdstrm' ! -name '*.sqlite' -print0 |
    tar --null -czf "$OUT/results.tar.gz.part" -T - 2>/dev/null) &&
    mv -f "$OUT/results.tar.gz.part" "$OUT/results.tar.gz"
}

# why RC CAP: words for the exit codes timeout and the shell produce.
why() {
  case $1 in
    0) echo "ok" ;;
    124) echo "TIMED OUT after $2 s" ;;
    137) echo "KILLED (after the timeout's grace, or out of memory)" ;;
    126) echo "not executable" ;;
    127) echo "command not found" ;;
    *) echo "failed" ;;
  esac
}

LAST_RC=0
# step NAME CAP LOG NOTE_FN CMD...: runs CMD under timeout, stdout and stderr
# into $W/LOG (LOG may be an absolute path), then NOTE_FN RC prints the note.
step() {
  local name=$1 cap=$2 log=$3 note_fn=$4
  shift 4
  [[ $log == /* ]] || log="$W/$log"
  local left=$((BUDGET_S - (SECONDS - START)))
  if ((left < 8)); then
    LAST_RC=125
    record "$name" skip 0 0 "skipped: the ${BUDGET_S} s budget is spent"
    return
  fi
  ((cap > left)) && cap=$left
  local t0 t1 rc
  t0=$(now)
  timeout -k 5 "$cap" "$@" >"$log" 2>&1
  rc=$?
  t1=$(now)
  LAST_RC=$rc
  local note
  note="$(why "$rc" "$cap")"
  if [[ $note_fn != - ]]; then
    local extra
    extra=$("$note_fn" "$rc" "$log" 2>/dev/null | tr '\n' ' ')
    [[ -n ${extra// /} ]] && note="$note; $extra"
  fi
  ((rc != 0)) && [[ -s $log ]] && note="$note | last line: $(grep -v '^\s*$' "$log" | tail -n 1 | cut -c1-160)"
  record "$name" "$rc" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" "$cap" "$note"
  pack
}

skip() { record "$1" skip 0 0 "skipped: $2"; }

# first_executable CANDIDATE...: prints the first that exists and runs.
first_executable() {
  local c
  for c in "$@"; do
    [[ -n $c && -x $c && ! -d $c ]] && { echo "$c"; return 0; }
  done
  return 1
}

# ---------------------------------------------------------------- header
: >"$SUMMARY"
say "device-run $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname 2>/dev/null || echo '?'), budget ${BUDGET_S} s, groups:${GROUPS_ARG% }, work folder $W"
if [[ -f $DEVRUN/commit.txt ]]; then
  cp -f "$DEVRUN/commit.txt" "$OUT/commit.txt"
  say "bundle: $(tr '\n' ' ' <"$DEVRUN/commit.txt")"
else
  echo "no $DEVRUN/commit.txt (run scripts/device-bundle.sh here first)" >"$OUT/commit.txt"
  say "bundle: no $DEVRUN/commit.txt"
fi

# ---------------------------------------------------------------- 1. info
note_driver() { sed -n 2p "$2"; }
note_devices() {
  python3 - "$2" <<'EOF' 2>/dev/null || grep -o '"name": *"[^"]*"\|"reason": *"[^"]*"' "$2" | head -n 2
import json, sys
j = json.load(open(sys.argv[1]))
d = j.get("devices") or []
print("; ".join(f'{x["name"]} cc {x["compute_capability"]}, {x["multiprocessors"]} SMs' for x in d) or j.get("reason"),
    "| driver", j.get("driver_version"), "runtime", j.get("runtime_version"))
EOF
}
note_ldd() { grep -c 'not found' "$2" | sed 's/$/ libraries not found/'; }
note_nvcc() { grep -o 'release [0-9.]*, V[0-9.]*' "$2"; }

step nvidia-smi 10 nvidia-smi.txt - nvidia-smi
step driver 10 driver.csv note_driver nvidia-smi \
  --query-gpu=name,driver_version,memory.total,memory.used,clocks.sm,clocks.max.sm,clocks.mem,temperature.gpu,power.draw,persistence_mode,compute_mode \
  --format=csv
# shellcheck disable=SC2016  # expanded by the inner bash
step ldd 5 ldd.txt note_ldd bash -c 'for b in "$@"; do echo "== $b"; ldd "$b" || exit 1; done' _ \
  "$MM" "$DEVRUN/micromeso_tests" "$DEVRUN/launch_floor"
step devices 15 devices.json note_devices "$MM" devices --json
step nvcc 5 nvcc.txt note_nvcc nvcc --version

NSYS=$(first_executable "$(command -v nsys 2>/dev/null)" /usr/local/cuda/bin/nsys \
  /opt/nvidia/nsight-systems/*/bin/nsys /opt/nvidia/nsight-systems-cli/*/bin/nsys \
  /usr/local/cuda/nsight-systems-*/bin/nsys /opt/nvidia/nsight-compute/*/host/target-linux-x64/nsys) || NSYS=""
SANITIZER=$(first_executable "$(command -v compute-sanitizer 2>/dev/null)" /usr/local/cuda/bin/compute-sanitizer \
  /usr/local/cuda/compute-sanitizer/compute-sanitizer /opt/nvidia/compute-sanitizer/compute-sanitizer) || SANITIZER=""
{
  echo "nsys: ${NSYS:-none}"
  echo "compute-sanitizer: ${SANITIZER:-none}"
  echo "python3: $(command -v python3 || echo none)"
  echo "cuda: $(readlink -f /usr/local/cuda 2>/dev/null || echo none)"
  uname -a
  nproc
} >"$W/tools.txt" 2>&1
say "tools         nsys: ${NSYS:-none}; compute-sanitizer: ${SANITIZER:-none}"

# ---------------------------------------------------------------- 2. GPU tests
if want tests; then
  note_gtest() {
    local passed skipped failed
    passed=$(grep -o '^\[  PASSED  \] [0-9]* test' "$2" | grep -o '[0-9]*')
    skipped=$(grep -o '^\[  SKIPPED \] [0-9]* test' "$2" | grep -o '[0-9]*')
    # Each failed test is named twice (when it ends, and in the closing list).
    failed=$(grep -o '^\[  FAILED  \] [A-Za-z0-9_/]*\.[A-Za-z0-9_/]*' "$2" | sort -u)
    echo "passed ${passed:-?}, skipped ${skipped:-0}, failed $(grep -c . <<<"$failed")"
    [[ -n $failed ]] && head -n 5 <<<"$failed" | sed 's/^\[  FAILED  \]/ FAILED:/'
  }
  step gpu-tests 90 gpu-tests.txt note_gtest "$DEVRUN/micromeso_tests" \
    --gtest_filter="$GPU_TESTS_FILTER" --gtest_output="xml:$OUT/gpu-tests.xml"
fi

# ---------------------------------------------------------------- 3. full-scale benchmark
if want bench; then
  note_rtf() {
    local f="${2%.txt}/summary.json"
    [[ -f $f ]] || { echo "no summary.json"; return; }
    echo "rtf $(grep -o '"real_time_factor": *[^,}]*' "$f" | sed 's/.*: *//')," \
      "build $(grep -o '"build_time_s": *[^,}]*' "$f" | sed 's/.*: *//') s"
  }
  for n in 1 2 3; do
    if ((n > 1 && bench_rc != 0)); then
      skip "bench-$n" "bench-1 did not succeed (exit $bench_rc)"
      continue
    fi
    step "bench-$n" 45 "pd-full-$n.txt" note_rtf "$MM" "${FULL[@]}" --out "$W/pd-full-$n"
    ((n == 1)) && bench_rc=$LAST_RC
  done
  collect_bench() {
    python3 - "$W" <<'EOF' && return
import json, os, statistics, sys
w = sys.argv[1]
rtf = []
print("run real_time_factor build_time_s sim_time_s neurons synapses device")
for n in (1, 2, 3):
    f = os.path.join(w, f"pd-full-{n}", "summary.json")
    if not os.path.exists(f):
        print(n, "missing")
        continue
    s = json.load(open(f))
    rtf.append(s["real_time_factor"])
    print(n, s["real_time_factor"], s["build_time_s"], s["sim_time_s"], s.get("neurons"), s.get("synapses"),
          json.dumps(s.get("device")))
if not rtf:
    print("rtf: none of the 3 runs finished")
else:
    print(f"rtf median {statistics.median(rtf):.5g} min {min(rtf):.5g} max {max(rtf):.5g} over {len(rtf)} runs")
EOF
    # No python3: the same numbers with grep.
    echo "run real_time_factor build_time_s sim_time_s"
    for n in 1 2 3; do
      local f="$W/pd-full-$n/summary.json"
      if [[ -f $f ]]; then
        echo "$n $(for k in real_time_factor build_time_s sim_time_s; do
          grep -o "\"$k\": *[^,}]*" "$f" | sed 's/.*: *//'
        done | tr '\n' ' ')"
      else
        echo "$n missing"
      fi
    done
  }
  collect_bench >"$OUT/bench-full.txt" 2>&1
  say "bench-full    $(tail -n 1 "$OUT/bench-full.txt")"
fi

# ---------------------------------------------------------------- 4. launch floor
if want floor; then
  note_floor() {
    python3 - "$2" <<'EOF' 2>/dev/null || echo "$(grep -c us_per_step "$2") timings, $(grep -c error "$2") errors"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
t = [f'{r["mode"]}@{r["blocks"]}={r["us_per_step_median"]:.2f}' for r in rows if "us_per_step_median" in r and r["blocks"] == 300]
e = sum("error" in r for r in rows)
print("us/step at 300 blocks:", " ".join(t) or "none", f"| {e} errors")
EOF
  }
  if [[ -x $DEVRUN/launch_floor ]]; then
    step launch-floor 30 "$OUT/launch-floor.jsonl" note_floor "$DEVRUN/launch_floor" --steps 100 --reps 200 --trials 7 --blocks 1,300,528
  else
    skip launch-floor "no $DEVRUN/launch_floor (scripts/device-bundle.sh builds it)"
  fi
fi

# ---------------------------------------------------------------- 5. Nsight Systems trace of one chunk
if want nsys; then
  note_nsys() { grep -o 'Generated:.*\|[A-Za-z ]*[Ee]rror.*' "$2" | head -n 2; }
  note_stats() { grep -m 3 -i 'kernel\|update\|deliver' "$2" | cut -c1-120 | head -n 2; }
  if [[ -n $NSYS ]]; then
    step nsys 50 nsys.txt note_nsys "$NSYS" profile --trace=cuda,nvtx,osrt --cuda-graph-trace=node \
      --sample=none --cpuctxsw=none --force-overwrite=true -o "$W/chunk" \
      "$MM" run potjans2014 --backend gpu --t 10ms --presim 0 --no-spikes --out "$W/pd-trace"
    if [[ ! -f $W/chunk.nsys-rep && -f $W/chunk.qdstrm ]]; then
      # An nsys without its host part leaves the raw stream; convert it if an importer is around.
      IMPORTER=$(first_executable /opt/nvidia/nsight-systems/*/host-linux-x64/QdstrmImporter \
        /usr/local/cuda/nsight-systems-*/host-linux-x64/QdstrmImporter \
        /opt/nvidia/nsight-compute/*/host/*/QdstrmImporter) || IMPORTER=""
      if [[ -n $IMPORTER ]]; then
        step nsys-import 20 nsys-import.txt - "$IMPORTER" -i "$W/chunk.qdstrm"
      else
        skip nsys-import "only chunk.qdstrm was written and no QdstrmImporter was found"
      fi
    fi
    if [[ -f $W/chunk.nsys-rep ]]; then
      step nsys-stats 25 "$OUT/nsys-stats.txt" note_stats "$NSYS" stats --force-export=true \
        --report cuda_gpu_kern_sum,cuda_api_sum "$W/chunk.nsys-rep"
      # Every kernel with its start and duration (the gaps between graph nodes), into results.tar.gz.
      step nsys-trace 15 nsys-trace.txt - "$NSYS" stats --report cuda_gpu_trace --format csv \
        -o "$W/chunk" "$W/chunk.nsys-rep"
      size=$(stat -c %s "$W/chunk.nsys-rep")
      if ((size < 15 * 1024 * 1024)); then
        cp "$W/chunk.nsys-rep" "$OUT/chunk.nsys-rep"
        say "nsys-rep      kept, $((size / 1024)) KiB"
      else
        say "nsys-rep      NOT kept: $((size / 1024 / 1024)) MiB is over the 15 MB the tool returns"
      fi
    else
      skip nsys-stats "no chunk.nsys-rep"
    fi
  else
    skip nsys "no nsys in PATH, /usr/local/cuda/bin or /opt/nvidia/nsight-*"
  fi
fi

# ---------------------------------------------------------------- 6. compute-sanitizer
if want sanitize; then
  note_sanitizer() { grep -h 'ERROR SUMMARY\|RACECHECK SUMMARY\|========= Error\|Device not supported' "${2%.txt}.log" "$2" 2>/dev/null | head -n 2; }
  if [[ -n $SANITIZER ]]; then
    step memcheck 45 memcheck.txt note_sanitizer "$SANITIZER" --tool memcheck --error-exitcode 1 \
      --print-limit 50 --log-file "$W/memcheck.log" "$MM" "${REDUCED[@]}" --out "$W/san-memcheck"
    step racecheck 45 racecheck.txt note_sanitizer "$SANITIZER" --tool racecheck \
      --error-exitcode 1 --print-limit 50 --log-file "$W/racecheck.log" "$MM" "${REDUCED[@]}" --out "$W/san-racecheck"
    step synccheck 25 synccheck.txt note_sanitizer "$SANITIZER" --tool synccheck --error-exitcode 1 \
      --print-limit 50 --log-file "$W/synccheck.log" "$MM" "${REDUCED[@]}" --out "$W/san-synccheck"
  else
    skip sanitizers "no compute-sanitizer in PATH or /usr/local/cuda"
  fi
fi

say "total         $((SECONDS - START)) s of the ${BUDGET_S} s budget; files in \$OUT: $(find "$OUT" -maxdepth 1 -type f -printf '%f ')"
pack
exit 0
