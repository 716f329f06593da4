// A run of age bins kept contiguous in memory: per bin the spikes n that
// started it, the expected survivors m, their variance v and their membrane
// potential u (mV relative to E_L). Bins are ordered oldest first; new bins
// join at the young end and leave from the old end, and the run slides along
// a buffer of twice its largest length, moving back to the buffer's start
// when it reaches the end (one copy per `capacity` pushes: amortised O(1)),
// so that the vectorised bin update always sees one contiguous array.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace micromeso::meso {

class AgeBins {
 public:
  AgeBins() = default;
  explicit AgeBins(std::size_t capacity) : n_(2 * capacity), m_(2 * capacity), v_(2 * capacity), u_(2 * capacity) {}

  std::size_t size() const { return size_; }
  // Bin i (0 = oldest).
  double& n(std::size_t i) { return n_[oldest_ + i]; }
  double& m(std::size_t i) { return m_[oldest_ + i]; }
  double& v(std::size_t i) { return v_[oldest_ + i]; }
  double& u(std::size_t i) { return u_[oldest_ + i]; }
  double n(std::size_t i) const { return n_[oldest_ + i]; }
  double m(std::size_t i) const { return m_[oldest_ + i]; }
  double v(std::size_t i) const { return v_[oldest_ + i]; }
  // Contiguous arrays from the oldest bin, for the vector loop.
  double* m_data() { return m_.data() + oldest_; }
  double* v_data() { return v_.data() + oldest_; }
  double* u_data() { return u_.data() + oldest_; }

  void push_youngest(double n, double m, double v, double u) {
    if (oldest_ + size_ == n_.size()) {
      for (std::vector<double>* x : {&n_, &m_, &v_, &u_})
        std::copy(x->begin() + oldest_, x->begin() + oldest_ + size_, x->begin());
      oldest_ = 0;
    }
    const std::size_t at = oldest_ + size_++;
    n_[at] = n;
    m_[at] = m;
    v_[at] = v;
    u_[at] = u;
  }
  void pop_oldest(std::size_t count) {
    oldest_ += count;
    size_ -= count;
  }

  double survivors() const {
    double total = 0.0;
    for (std::size_t i = 0; i < size_; ++i) total += m_[oldest_ + i];
    return total;
  }

 private:
  std::vector<double> n_, m_, v_, u_;
  std::size_t oldest_ = 0, size_ = 0;
};

}  // namespace micromeso::meso
