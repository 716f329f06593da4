#include "micro/mpi/state_gather.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "micro/state_recorder.hpp"

namespace micromeso::micro {

std::vector<StateReport> gather_state_reports(parallel::Communicator& comm, const Circuit& circuit,
                                              const std::vector<StateReport>& mine) {
  // One message per rank: its reports one after the other, each [time][its columns].
  std::vector<double> part;
  for (const StateReport& r : mine) part.insert(part.end(), r.data.begin(), r.data.end());
  std::vector<std::uint64_t> counts;
  const std::vector<double> all = comm.gather(part, counts, 0);
  if (comm.rank() != 0) return {};

  const NeuronRange everything{0, circuit.total_neurons()};
  std::vector<StateReport> whole = StateRecorder(circuit, everything).reports();  // names, units, times
  const std::vector<std::uint64_t> rows = StateRecorder::complete_rows(circuit);
  for (std::size_t i = 0; i < whole.size(); ++i) whole[i].data.resize(rows[i] * whole[i].node_ids.size());
  std::uint64_t offset = 0;  // of rank r's part in `all`
  for (int r = 0; r < comm.size(); ++r) {
    const auto columns = StateRecorder::local_columns(circuit, rank_neurons(circuit.total_neurons(), r, comm.size()));
    std::uint64_t expected = 0;
    for (std::size_t i = 0; i < whole.size(); ++i) expected += rows[i] * columns[i].size();
    if (counts[static_cast<std::size_t>(r)] != expected)
      throw std::runtime_error(fmt::format("multimeters: rank {} sent {} values, not the {} of its neurons' columns", r,
                                           counts[static_cast<std::size_t>(r)], expected));
    const double* in = all.data() + offset;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      const std::size_t width = whole[i].node_ids.size();
      for (std::uint64_t t = 0; t < rows[i]; ++t)
        for (std::size_t c : columns[i]) whole[i].data[t * width + c] = *in++;
    }
    offset += expected;
  }
  return whole;
}

}  // namespace micromeso::micro
