// CPU construction of the connectivity, stored by source neuron.
//
// Pass 1 counts each source's synapses per projection; an exclusive scan
// gives every source its segment. Pass 2 fills the segments. For
// fixed_total_number and pairwise_bernoulli every synapse is drawn from its
// source (see synapse_draw.hpp), so pass 2 runs over sources and writes each
// segment sequentially: no scatter, and any thread count gives the same
// arrays. fixed_indegree draws from the target, so its pass 2 scatters into
// per-thread cursors (same static partition in both passes); only the order
// within a source's segment then depends on the thread count, which integer
// accumulation of the inputs makes irrelevant. one_to_one and fixed_outdegree
// draw from the source, fixed_outdegree without multapses by a walk over the
// targets in ascending order (subset_draw.hpp) that stops at a rank's window.
//
// An MPI rank keeps only the synapses onto its own neurons (Network::local):
// every draw is the single process's, and a synapse whose target lies
// outside is drawn (its target only) and dropped. fixed_indegree draws only
// its local targets; pairwise_bernoulli walks each source up to the end of
// the local targets; fixed_total_number draws only the target blocks that
// meet the local targets (total_number_blocks.hpp): their pairs' sources in
// pass 1 (per block, so the threads share the blocks of all projections),
// each source's targets in pass 2, block after block, written sequentially
// into the source's segment. A projection onto no local neuron draws nothing.
//
// fixed_total_number takes its Philox blocks a run at a time, several per
// vector instruction (micro/cpu/philox_batch.hpp): the sources of 64
// consecutive pair quadruples in pass 1, the first blocks of 64 consecutive
// synapses of a source and block in pass 2; the per-pair and per-synapse
// draws then read those words, as the GPU bodies read their own blocks.
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "micro/cpu/philox_batch.hpp"
#include "micro/network.hpp"
#include "micro/network_plan.hpp"
#include "micromeso/physics/subset_draw.hpp"
#include "micromeso/physics/synapse_draw.hpp"
#include "micromeso/physics/total_number_blocks.hpp"

namespace micromeso::micro {
namespace {

using physics::SynapseDrawParams;

// The targets of a projection that this network keeps: indices [lo, hi)
// within the target population.
struct TargetWindow {
  std::uint32_t lo = 0, hi = 0;
  bool contains(std::uint64_t t) const { return t >= lo && t < hi; }
  bool empty() const { return lo >= hi; }
};

TargetWindow target_window(const ProjectionPlan& p, const NeuronRange& local) {
  const std::uint64_t a = std::max(local.first, p.post_first);
  const std::uint64_t b = std::min(local.last, p.post_first + p.draw.n_post);
  if (a >= b) return {};
  return {static_cast<std::uint32_t>(a - p.post_first), static_cast<std::uint32_t>(b - p.post_first)};
}

// Per projection: synapses of each source (local index) that are kept; for
// fixed_total_number the target blocks [block_lo, block_hi) that meet the
// window, their pairs and each source's synapses per block (cells, block
// after block); for fixed_indegree the kept counts split by thread, later
// turned into write cursors.
struct ProjectionCounts {
  std::vector<std::uint32_t> per_source;
  std::uint32_t block_lo = 0, block_hi = 0;
  std::vector<std::uint64_t> block_pairs;
  std::vector<std::uint32_t> cells;
  std::vector<std::vector<std::uint64_t>> per_thread;
};

// fixed_total_number, per block of targets (total_number_blocks.hpp): the
// blocks that meet the window, their pairs (the binomial tree), each source's
// count per block (`cells`), and the kept synapses per source.
struct TotalNumberTask {
  std::size_t projection;
  std::uint32_t block;
};

bool block_inside(const physics::TargetBlock& tb, const TargetWindow& window) {
  return tb.lo >= window.lo && tb.lo + tb.size <= window.hi;
}

std::uint32_t kept_in_block(const ProjectionPlan& p, const TargetWindow& window, const ProjectionCounts& c,
                            std::uint32_t b, std::uint32_t s) {
  return physics::kept_block_synapses(p.draw, b, s, c.cells[std::uint64_t{b - c.block_lo} * p.draw.n_pre + s],
                                      window.lo, window.hi);
}

void count_fixed_total_number(const std::vector<ProjectionPlan>& plans, const std::vector<TargetWindow>& windows,
                              int threads, std::vector<ProjectionCounts>& counts) {
  std::vector<std::size_t> ks;
  for (std::size_t k = 0; k < plans.size(); ++k)
    if (plans[k].rule == ConnectionRule::fixed_total_number && !windows[k].empty() && plans[k].n_synapses > 0)
      ks.push_back(k);
  std::vector<TotalNumberTask> tasks;
  for (std::size_t k : ks) {
    ProjectionCounts& c = counts[k];
    c.block_lo = windows[k].lo / physics::kTotalNumberBlockTargets;
    c.block_hi = physics::total_number_blocks(windows[k].hi);
    c.block_pairs.assign(c.block_hi - c.block_lo, 0);
    c.cells.assign(std::uint64_t{c.block_hi - c.block_lo} * plans[k].draw.n_pre, 0);
    for (std::uint32_t b = c.block_lo; b < c.block_hi; ++b) tasks.push_back({k, b});
  }
#pragma omp parallel num_threads(threads)
  {
#pragma omp for schedule(dynamic, 1)
    for (std::size_t i = 0; i < ks.size(); ++i) {
      ProjectionCounts& c = counts[ks[i]];
      physics::split_total_number(plans[ks[i]].draw, plans[ks[i]].n_synapses, c.block_lo, c.block_hi,
                                  c.block_pairs.data());
    }
#pragma omp for schedule(dynamic, 1)
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      const ProjectionPlan& p = plans[tasks[i].projection];
      ProjectionCounts& c = counts[tasks[i].projection];
      const std::uint32_t b = tasks[i].block;
      const physics::SynapseDrawParams q = physics::block_draw_params(p.draw, b);
      const physics::TargetBlock tb = physics::target_block(p.draw.n_post, b);
      const std::uint64_t pairs = c.block_pairs[b - c.block_lo];
      std::uint32_t* count = c.cells.data() + std::uint64_t{b - c.block_lo} * p.draw.n_pre;
      // The quadruples' Philox blocks a batch at a time (philox_batch.hpp).
      PhiloxWords words;
      const std::uint64_t quads = (pairs + 3) / 4;
      for (std::uint64_t i0 = 0; i0 < quads; i0 += kPhiloxBatch) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kPhiloxBatch, quads - i0));
        philox_counter_blocks(q.seed, q.stream, physics::block_sources_index(q), i0, 1, n, words);
        for (std::size_t k = 0; k < n; ++k) {
          const std::uint64_t i4 = i0 + k;
          const physics::PairSources s = physics::draw_block_sources(
              q, tb.lo, tb.size, i4, physics::Random4{{words[0][k], words[1][k], words[2][k], words[3][k]}});
          const int valid = static_cast<int>(std::min<std::uint64_t>(4, pairs - 4 * i4));
          for (int t = 0; t < valid; ++t) ++count[s.source[t]];
        }
      }
    }
    for (std::size_t k : ks) {
      const ProjectionPlan& p = plans[k];
      ProjectionCounts& c = counts[k];
#pragma omp for schedule(dynamic, 256)
      for (std::uint32_t s = 0; s < p.draw.n_pre; ++s) {
        std::uint32_t total = 0;
        for (std::uint32_t b = c.block_lo; b < c.block_hi; ++b) total += kept_in_block(p, windows[k], c, b, s);
        c.per_source[s] = total;
      }
    }
  }
}

// The walk visits targets in ascending order: it stops at the window's end.
void count_pairwise_bernoulli(const ProjectionPlan& p, int threads, const TargetWindow& window,
                              ProjectionCounts& out) {
  if (p.probability <= 0.0 || window.empty()) return;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64)
  for (std::uint32_t s = 0; s < p.draw.n_pre; ++s) {
    physics::BernoulliWalk walk{&p.draw, p.log1m_probability, s, p.draw.n_post};
    std::uint32_t k = 0;
    for (std::uint64_t t; (t = physics::bernoulli_next(walk, p.probability)) < window.hi;) k += t >= window.lo;
    out.per_source[s] = k;
  }
}

// The sources of one fixed_indegree target, f(source, k) for its k-th synapse.
template <typename F>
void for_each_indegree_source(const ProjectionPlan& p, std::uint32_t target, const F& f) {
  physics::for_each_partner(p.draw, target, p.draw.n_pre, p.indegree, p.allow_multapses, p.draw.n_pre, f);
}

// one_to_one: source s onto target s, kept when s is a local target.
void count_one_to_one(const ProjectionPlan& p, const TargetWindow& window, ProjectionCounts& out) {
  for (std::uint32_t s = window.lo; s < window.hi && s < p.draw.n_pre; ++s) out.per_source[s] = 1;
}

// fixed_outdegree: the targets of source s, f(target, k) for its k-th
// synapse; without multapses they come in ascending order and the walk stops
// at the window's end.
template <typename F>
void for_each_outdegree_target(const ProjectionPlan& p, const TargetWindow& window, std::uint32_t s, const F& f) {
  physics::for_each_partner(p.draw, s, p.draw.n_post, p.outdegree, p.allow_multapses, window.hi, f);
}

void count_fixed_outdegree(const ProjectionPlan& p, int threads, const TargetWindow& window, ProjectionCounts& out) {
  if (window.empty() || p.outdegree == 0) return;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64)
  for (std::uint32_t s = 0; s < p.draw.n_pre; ++s) {
    std::uint32_t kept = 0;
    for_each_outdegree_target(p, window, s, [&](std::uint32_t t, std::uint32_t) { kept += window.contains(t); });
    out.per_source[s] = kept;
  }
}

void count_fixed_indegree(const ProjectionPlan& p, int threads, const TargetWindow& window,
                          ProjectionCounts& out) {
  out.per_thread.assign(threads, std::vector<std::uint64_t>(p.draw.n_pre, 0));
#pragma omp parallel num_threads(threads)
  {
    std::uint64_t* count = out.per_thread[omp_get_thread_num()].data();
#pragma omp for schedule(static)
    for (std::uint32_t target = window.lo; target < window.hi; ++target)
      for_each_indegree_source(p, target, [&](std::uint32_t source, std::uint32_t) { ++count[source]; });
#pragma omp for schedule(static)
    for (std::uint32_t s = 0; s < p.draw.n_pre; ++s) {
      std::uint64_t total = 0;
      for (const auto& c : out.per_thread) total += c[s];
      out.per_source[s] = static_cast<std::uint32_t>(total);
    }
  }
}

struct SynapseArrays {
  std::uint32_t* target;
  physics::WeightFixed* weight;
  std::uint16_t* delay;
  std::uint64_t local_first;  // targets are stored as local ids
  void write(std::uint64_t at, std::uint64_t target_gid, const physics::SynapseValues& v) const {
    target[at] = static_cast<std::uint32_t>(target_gid - local_first);
    weight[at] = v.weight;
    delay[at] = v.delay_steps;
  }
};

// Writes the kept synapses of local source s of a source-drawn projection
// from `at` on.
void fill_from_source(const ProjectionPlan& p, const TargetWindow& window, const ProjectionCounts& c, std::uint32_t s,
                      std::uint64_t at, const SynapseArrays& out) {
  if (p.rule == ConnectionRule::one_to_one) {
    if (window.contains(s)) out.write(at, p.post_first + s, physics::draw_synapse_values(p.draw, physics::synapse_key(s, 0)));
  } else if (p.rule == ConnectionRule::fixed_outdegree) {
    for_each_outdegree_target(p, window, s, [&](std::uint32_t target, std::uint32_t k) {
      if (window.contains(target))
        out.write(at++, p.post_first + target, physics::draw_synapse_values(p.draw, physics::synapse_key(s, k)));
    });
  } else if (p.rule == ConnectionRule::fixed_total_number) {  // block after block, as counted
    PhiloxWords words;
    for (std::uint32_t b = c.block_lo; b < c.block_hi; ++b) {
      const std::uint32_t drawn = c.cells[std::uint64_t{b - c.block_lo} * p.draw.n_pre + s];
      if (drawn == 0) continue;
      const physics::SynapseDrawParams q = physics::block_draw_params(p.draw, b);
      const physics::TargetBlock tb = physics::target_block(p.draw.n_post, b);
      const bool inside = block_inside(tb, window);
      // The first blocks (target, weight and delay) of synapses j0 .. j0 + n - 1 at once.
      for (std::uint32_t j0 = 0; j0 < drawn; j0 += kPhiloxBatch) {
        const auto n = static_cast<std::size_t>(std::min<std::uint32_t>(kPhiloxBatch, drawn - j0));
        philox_counter_blocks(q.seed, q.stream, physics::first_block_index(q),
                              physics::first_block_counter(physics::synapse_key(s, j0)), physics::kBlocksPerSynapse,
                              n, words);
        for (std::size_t k = 0; k < n; ++k) {
          const std::uint64_t key = physics::synapse_key(s, j0 + static_cast<std::uint32_t>(k));
          const physics::Random4 first{{words[0][k], words[1][k], words[2][k], words[3][k]}};
          const std::uint32_t target = physics::draw_block_target(q, s, key, tb.lo, tb.size, first);
          if (inside || window.contains(target))
            out.write(at++, p.post_first + target, physics::draw_synapse_values(q, key, first));
        }
      }
    }
  } else {  // pairwise_bernoulli: the same walk as in the count pass; k numbers every synapse of the source
    physics::BernoulliWalk walk{&p.draw, p.log1m_probability, s, p.draw.n_post};
    std::uint32_t k = 0;
    for (std::uint64_t target; (target = physics::bernoulli_next(walk, p.probability)) < window.hi; ++k)
      if (target >= window.lo)
        out.write(at++, p.post_first + target, physics::draw_synapse_values(p.draw, physics::synapse_key(s, k)));
  }
}

void fill_fixed_indegree(const ProjectionPlan& p, int threads, const TargetWindow& window, ProjectionCounts& counts,
                         const SynapseArrays& out) {
#pragma omp parallel num_threads(threads)
  {
    std::uint64_t* cursor = counts.per_thread[omp_get_thread_num()].data();
#pragma omp for schedule(static)
    for (std::uint32_t target = window.lo; target < window.hi; ++target)
      if (p.allow_multapses) {
        for (std::uint32_t j = 0; j < p.indegree; ++j) {
          const std::uint64_t key = physics::synapse_key(target, j);
          const physics::Random4 first = physics::synapse_first_block(p.draw, key);  // partner, weight and delay
          const std::uint32_t source = physics::draw_partner(p.draw, target, key, p.draw.n_pre, first);
          out.write(cursor[source]++, p.post_first + target, physics::draw_synapse_values(p.draw, key, first));
        }
      } else {
        for_each_indegree_source(p, target, [&](std::uint32_t source, std::uint32_t k) {
          out.write(cursor[source]++, p.post_first + target,
                    physics::draw_synapse_values(p.draw, physics::synapse_key(target, k)));
        });
      }
  }
}

}  // namespace

NeuronRange rank_neurons(std::uint64_t n, int rank, int ranks) {
  const auto r = static_cast<std::uint64_t>(rank), R = static_cast<std::uint64_t>(std::max(ranks, 1));
  return NeuronRange{n / R * r + std::min(r, n % R), n / R * (r + 1) + std::min(r + 1, n % R)};
}

std::uint64_t Network::connectivity_bytes() const {
  return synapse_offset.bytes() + synapse_target.bytes() + synapse_weight.bytes() + synapse_delay_steps.bytes();
}

std::size_t Network::population_of(std::uint64_t gid) const {
  const auto it = std::upper_bound(population_first.begin(), population_first.end(), gid);
  return static_cast<std::size_t>(it - population_first.begin()) - 1;
}

std::uint32_t max_delay_steps(const Circuit& circuit) {
  std::uint32_t longest = 1;
  for (const Projection& pr : circuit.projections)
    longest = std::max(longest, projection_max_delay_steps(pr, circuit.simulation.dt_ms));
  return longest;
}

std::uint32_t min_delay_steps(const Circuit& circuit) {
  std::uint32_t shortest = 0;
  const double dt = circuit.simulation.dt_ms;
  for (const Projection& pr : circuit.projections) {
    // draw_delay: sd 0 keeps the mean (rounded, at least one step).
    const double steps = pr.delay_rel_sd > 0.0 ? 1.0 : std::max(1.0, std::floor(pr.delay_ms / dt + 0.5));
    const auto s = static_cast<std::uint32_t>(std::min(steps, 65535.0));
    shortest = shortest == 0 ? s : std::min(shortest, s);
  }
  return std::max<std::uint32_t>(shortest, 1);
}

Network build_network(const Circuit& circuit, int threads, const ProgressFn& progress,
                      std::optional<NeuronRange> local) {
  threads = std::max(threads, 1);
  philox_path();  // an unknown MICROMESO_PHILOX_VECTOR is refused here, not inside the threads
  Network net;
  net.population_first = population_first_ids(circuit);
  const std::uint64_t n = net.n_neurons();
  net.local = local.value_or(NeuronRange{0, n});
  const std::vector<ProjectionPlan> plans = plan_projections(circuit, net.population_first);
  std::vector<TargetWindow> windows;
  for (const ProjectionPlan& p : plans) windows.push_back(target_window(p, net.local));
  net.max_delay_steps = max_delay_steps(circuit);

  // Progress: the count pass is about a fifth of the work.
  double total_work = 1.0, work_done = 0.0;
  for (const ProjectionPlan& p : plans) total_work += p.expected_synapses;
  const auto report = [&](double synapses, double weight) {
    work_done += synapses * weight;
    if (progress) progress(std::min(1.0, work_done / (1.2 * total_work)));
  };

  // Pass 1: counts.
  std::vector<ProjectionCounts> counts(plans.size());
  for (std::size_t k = 0; k < plans.size(); ++k) counts[k].per_source.assign(plans[k].draw.n_pre, 0);
  count_fixed_total_number(plans, windows, threads, counts);  // all of them at once: blocks balance the threads
  for (std::size_t k = 0; k < plans.size(); ++k) {
    const ProjectionPlan& p = plans[k];
    switch (p.rule) {
      case ConnectionRule::fixed_total_number: break;
      case ConnectionRule::pairwise_bernoulli: count_pairwise_bernoulli(p, threads, windows[k], counts[k]); break;
      case ConnectionRule::fixed_indegree: count_fixed_indegree(p, threads, windows[k], counts[k]); break;
      case ConnectionRule::one_to_one: count_one_to_one(p, windows[k], counts[k]); break;
      case ConnectionRule::fixed_outdegree: count_fixed_outdegree(p, threads, windows[k], counts[k]); break;
    }
    report(p.expected_synapses, 0.2);
  }

  // Segments: each source's synapses, projection after projection.
  net.synapse_offset = RawArray<std::uint64_t>(n + 1);
  for (std::uint64_t s = 0; s <= n; ++s) net.synapse_offset[s] = 0;
  for (std::size_t k = 0; k < plans.size(); ++k)
    for (std::uint32_t s = 0; s < plans[k].draw.n_pre; ++s)
      net.synapse_offset[plans[k].pre_first + s + 1] += counts[k].per_source[s];
  for (std::uint64_t s = 0; s < n; ++s) net.synapse_offset[s + 1] += net.synapse_offset[s];
  const std::uint64_t total = net.synapse_offset[n];
  net.synapse_target = RawArray<std::uint32_t>(total);
  net.synapse_weight = RawArray<physics::WeightFixed>(total);
  net.synapse_delay_steps = RawArray<std::uint16_t>(total);
  const SynapseArrays arrays{net.synapse_target.data(), net.synapse_weight.data(), net.synapse_delay_steps.data(),
                             net.local.first};

  // Pass 2a: source-drawn projections, population by population, in chunks
  // of sources so that progress can be reported; fixed_indegree segments
  // get their per-thread cursors here.
  std::vector<std::vector<std::size_t>> outgoing(circuit.populations.size());
  for (std::size_t k = 0; k < plans.size(); ++k) outgoing[plans[k].pre_population].push_back(k);
  for (std::size_t pop = 0; pop < outgoing.size(); ++pop) {
    if (outgoing[pop].empty()) continue;
    const std::uint64_t first = net.population_first[pop], size = circuit.populations[pop].size;
    double pop_synapses = 0.0;
    for (std::size_t k : outgoing[pop])
      if (plans[k].rule != ConnectionRule::fixed_indegree) pop_synapses += plans[k].expected_synapses;
    const std::uint64_t chunk = std::max<std::uint64_t>(4096, size / 16);
    for (std::uint64_t lo = 0; lo < size; lo += chunk) {
      const std::uint64_t hi = std::min(size, lo + chunk);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 16)
      for (std::uint64_t s = lo; s < hi; ++s) {
        std::uint64_t at = net.synapse_offset[first + s];
        const auto local = static_cast<std::uint32_t>(s);
        for (std::size_t k : outgoing[pop]) {
          const std::uint32_t count = counts[k].per_source[s];
          if (plans[k].rule == ConnectionRule::fixed_indegree) {
            for (auto& cursor : counts[k].per_thread) {
              const std::uint64_t c = cursor[s];
              cursor[s] = at;
              at += c;
            }
            continue;
          }
          fill_from_source(plans[k], windows[k], counts[k], local, at, arrays);
          at += count;
        }
      }
      report(pop_synapses * double(hi - lo) / double(size), 1.0);
    }
  }

  // Pass 2b: target-drawn projections.
  for (std::size_t k = 0; k < plans.size(); ++k)
    if (plans[k].rule == ConnectionRule::fixed_indegree) {
      fill_fixed_indegree(plans[k], threads, windows[k], counts[k], arrays);
      report(plans[k].expected_synapses, 1.0);
    }
  if (progress) progress(1.0);
  return net;
}

}  // namespace micromeso::micro
