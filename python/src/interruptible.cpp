#include "interruptible.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace micromeso::python {

ProgressRelay::ProgressRelay(py::object callback, std::atomic<bool>* interrupt)
    : callback_(std::move(callback)), interrupt_(interrupt) {}

void ProgressRelay::operator()(const std::string& phase, double fraction) {
  if (callback_.is_none()) return;
  // The engine may report from several threads: one report at a time.
  std::lock_guard<std::mutex> lock(mutex_);
  if (error_) return;
  const int permille = static_cast<int>(fraction * 1000.0);
  if (phase == phase_ && permille == last_permille_) return;
  phase_ = phase;
  last_permille_ = permille;
  py::gil_scoped_acquire gil;
  try {
    callback_(phase, fraction);
  } catch (...) {
    error_ = std::current_exception();
    interrupt_->store(true);
  }
}

void run_interruptible(const std::function<void()>& work, std::atomic<bool>& interrupt,
                       const ProgressRelay* progress) {
  std::mutex mutex;
  std::condition_variable finished_cv;
  bool finished = false;
  std::exception_ptr work_error;
  std::optional<py::error_already_set> signal_error;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        work();
      } catch (...) {
        work_error = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex);
      finished = true;
      finished_cv.notify_all();
    });
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        if (finished_cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return finished; })) break;
      }
      if (signal_error) continue;  // already stopping: wait for the worker
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() != 0) {
        signal_error.emplace();  // takes the raised exception (KeyboardInterrupt)
        interrupt.store(true);
      }
    }
    worker.join();
  }
  if (signal_error) throw std::move(*signal_error);
  if (progress && progress->error()) std::rethrow_exception(progress->error());
  if (work_error) std::rethrow_exception(work_error);
}

}  // namespace micromeso::python
