// Ranks as threads of one test process: a Communicator whose collectives
// meet at a std::barrier, so that the engine's multi-rank code (partitioned
// construction, spike exchange, agreed stop) runs in a unit test without an
// MPI launcher, and under the sanitizers. run_ranks(R, body) runs body(comm)
// on R threads, one per rank.
#pragma once

#include <barrier>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "micro/mpi/communicator.hpp"

namespace micromeso::testing {

struct ThreadRanksShared {
  explicit ThreadRanksShared(int n) : ranks(n), barrier(n), words(n), values(n), doubles(n), parts(n) {}
  int ranks;
  std::barrier<> barrier;
  std::vector<std::vector<std::uint32_t>> words;
  std::vector<std::uint64_t> values;
  std::vector<double> doubles;
  std::vector<std::vector<double>> parts;
  std::string text;
};

class ThreadRank final : public parallel::Communicator {
 public:
  ThreadRank(ThreadRanksShared& shared, int rank) : shared_(shared), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return shared_.ranks; }
  std::string description() const override { return "test threads"; }
  void allgather(const std::vector<std::uint32_t>& mine, std::vector<std::uint32_t>& all,
                 std::vector<std::uint64_t>& counts) override {
    shared_.words[rank_] = mine;
    shared_.barrier.arrive_and_wait();
    all.clear();
    counts.clear();
    for (const auto& w : shared_.words) {
      all.insert(all.end(), w.begin(), w.end());
      counts.push_back(w.size());
    }
    shared_.barrier.arrive_and_wait();  // nobody writes before everyone has read
    ++times_.exchanges;
  }
  std::vector<double> gather(const std::vector<double>& mine, std::vector<std::uint64_t>& counts, int root) override {
    shared_.parts[rank_] = mine;
    shared_.barrier.arrive_and_wait();
    const auto start = std::chrono::steady_clock::now();
    std::vector<double> all;
    counts.clear();
    for (const auto& p : shared_.parts) {
      if (rank_ == root) all.insert(all.end(), p.begin(), p.end());
      counts.push_back(p.size());
    }
    times_.gather_transfer_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    shared_.barrier.arrive_and_wait();
    return all;
  }
  std::vector<std::uint64_t> allgather_value(std::uint64_t value) override {
    shared_.values[rank_] = value;
    shared_.barrier.arrive_and_wait();
    std::vector<std::uint64_t> all = shared_.values;
    shared_.barrier.arrive_and_wait();
    return all;
  }
  std::vector<double> allgather_value(double value) override {
    shared_.doubles[rank_] = value;
    shared_.barrier.arrive_and_wait();
    std::vector<double> all = shared_.doubles;
    shared_.barrier.arrive_and_wait();
    return all;
  }
  std::string broadcast(const std::string& text, int root) override {
    if (rank_ == root) shared_.text = text;
    shared_.barrier.arrive_and_wait();
    std::string out = shared_.text;
    shared_.barrier.arrive_and_wait();
    return out;
  }
  [[noreturn]] void abort(int) override { std::abort(); }

 private:
  ThreadRanksShared& shared_;
  int rank_;
};

// Runs body(rank's communicator) on `ranks` threads; rethrows the first
// exception. A body that throws before a collective the others reach would
// hang them: the test bodies throw only through EXPECT/ASSERT, after the
// collectives.
inline void run_ranks(int ranks, const std::function<void(parallel::Communicator&)>& body) {
  ThreadRanksShared shared(ranks);
  std::vector<std::exception_ptr> errors(ranks);
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r)
    threads.emplace_back([&, r] {
      ThreadRank comm(shared, r);
      try {
        body(comm);
      } catch (...) {
        errors[r] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace micromeso::testing
