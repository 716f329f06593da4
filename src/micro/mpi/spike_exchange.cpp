#include "micro/mpi/spike_exchange.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace micromeso::micro {

SpikeExchange::SpikeExchange(parallel::Communicator& comm, std::uint32_t interval_steps)
    : comm_(comm), interval_(std::max<std::uint32_t>(interval_steps, 1)) {}

void SpikeExchange::add_local(std::uint64_t step, const std::vector<std::uint32_t>& spikes) {
  if (counts_.empty()) first_step_ = step;
  counts_.push_back(static_cast<std::uint32_t>(spikes.size()));
  ids_.insert(ids_.end(), spikes.begin(), spikes.end());
}

bool SpikeExchange::exchange(bool stop) {
  n_steps_ = counts_.size();
  send_.clear();
  send_.push_back(stop ? 1u : 0u);
  send_.push_back(static_cast<std::uint32_t>(n_steps_));
  send_.insert(send_.end(), counts_.begin(), counts_.end());
  send_.insert(send_.end(), ids_.begin(), ids_.end());
  counts_.clear();
  ids_.clear();
  comm_.allgather(send_, received_, rank_words_);

  if (global_.size() < n_steps_) global_.resize(n_steps_);
  for (std::size_t i = 0; i < n_steps_; ++i) global_[i].clear();
  bool any_stop = false;
  std::uint64_t at = 0;  // start of rank r's words
  for (std::size_t r = 0; r < rank_words_.size(); ++r) {
    const std::uint32_t* words = received_.data() + at;
    // Every rank runs the same schedule: a different step count is a bug or
    // a rank out of step, never something to deliver.
    if (rank_words_[r] < 2 || words[1] != n_steps_)
      throw std::logic_error(fmt::format("spike exchange: rank {} sent {} steps, this rank {}", r,
                                         rank_words_[r] < 2 ? 0u : words[1], n_steps_));
    any_stop = any_stop || words[0] != 0;
    const std::uint32_t* ids = words + 2 + n_steps_;
    for (std::size_t i = 0; i < n_steps_; ++i) {
      global_[i].insert(global_[i].end(), ids, ids + words[2 + i]);
      ids += words[2 + i];
    }
    at += rank_words_[r];
  }
  return any_stop;
}

}  // namespace micromeso::micro
