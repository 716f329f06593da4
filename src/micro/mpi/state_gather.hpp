// The multimeters over ranks: each rank records the columns of its own
// neurons (StateRecorder), rank 0 gathers them in one collective and puts
// every report back in the single process's column order, so that state.h5
// is the same file, bit for bit, for any number of ranks.
#pragma once

#include <vector>

#include "micro/mpi/communicator.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/output.hpp"

namespace micromeso::micro {

// Collective: every rank calls it with its own reports of a complete run
// (StateRecorder::reports(), the neurons rank_neurons gives it). Returns the
// whole reports on rank 0, an empty list on the others. Throws when a rank's
// part is not the size its neurons and the run's length imply.
std::vector<StateReport> gather_state_reports(parallel::Communicator& comm, const Circuit& circuit,
                                              const std::vector<StateReport>& mine);

}  // namespace micromeso::micro
