// Running a long library call from Python: the GIL released, Ctrl-C honoured,
// progress reported.
//
// Python runs its signal handlers (Ctrl-C's KeyboardInterrupt) only in the
// main thread, and only when that thread runs Python code or calls
// PyErr_CheckSignals. So the work runs in a worker thread, without the GIL,
// while the calling thread waits in slices of 50 ms and, holding the GIL for
// a moment, calls PyErr_CheckSignals. When a handler raises, the run's
// interrupt flag (RunOptions::interrupt) is set, the work stops between steps
// (leaving only '.part' files, as the command line does), and the exception
// is raised once the worker has finished.
#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <pybind11/pybind11.h>

namespace micromeso::python {

namespace py = pybind11;

// What a run reports its progress to: the Python callable
// progress(phase: str, fraction: float), called with the GIL held, at most
// once per 0.1 % per phase. An exception it raises stops the run and is
// raised by run_interruptible.
class ProgressRelay {
 public:
  ProgressRelay(py::object callback, std::atomic<bool>* interrupt);
  // Called by the library, from any thread, without the GIL.
  void operator()(const std::string& phase, double fraction);
  // The callback's exception, if it raised one.
  std::exception_ptr error() const { return error_; }
  bool active() const { return !callback_.is_none(); }

 private:
  py::object callback_;
  std::atomic<bool>* interrupt_;
  std::mutex mutex_;
  std::string phase_;
  int last_permille_ = -1;
  std::exception_ptr error_;
};

// Runs `work` in a worker thread as described above. Rethrows what `work`
// threw; a KeyboardInterrupt (or any exception a signal handler raised)
// after the worker stopped; the progress callback's exception.
void run_interruptible(const std::function<void()>& work, std::atomic<bool>& interrupt,
                       const ProgressRelay* progress);

}  // namespace micromeso::python
