"""Recorded data of micromeso.pynn populations, read from the finished run."""
import numpy as np
import quantities as pq
from pyNN import recording

from . import simulator


class Recorder(recording.Recorder):
    _simulator = simulator

    def __init__(self, population, file=None):
        recording.Recorder.__init__(self, population, file)
        self.interval_ms = None

    def _record(self, variable, new_ids, sampling_interval=None):
        if sampling_interval is not None:
            self.sampling_interval = sampling_interval

    def _run_data(self):
        result = self._simulator.state.result
        if result is None:
            raise RuntimeError("micromeso.pynn: no data before run()")
        return result, self._simulator.state.names[self.population]

    def _get_spiketimes(self, ids, clear=False):
        result, name = self._run_data()
        times, node_ids = result.spikes[name]
        cells = self.population.all_cells
        recorded = np.zeros(len(cells), dtype=bool)
        recorded[[self.population.id_to_index(i) for i in ids]] = True
        keep = recorded[node_ids.astype(np.int64)]
        return cells[node_ids[keep].astype(np.int64)].astype(int), times[keep]

    def _get_all_signals(self, variable, ids, clear=False):
        result, name = self._run_data()
        native, scale = self.population.celltype.recorded_variables[variable]
        trace = result.state[name][native]
        column = {int(n): j for j, n in enumerate(trace.node_ids)}
        indices = [column[int(self.population.id_to_index(i))] for i in ids]
        return trace.data[:, indices] * scale, None

    def _get_current_segment(self, filter_ids=None, variables='all', clear=False):
        segment = recording.Recorder._get_current_segment(self, filter_ids, variables, clear)
        # micromeso (as NEST) stamps the state at the end of step k with (k + 1) dt: the first
        # sample is at one interval, not at 0.
        for signal in segment.analogsignals:
            signal.t_start = self._recording_start_time + self.sampling_interval * pq.ms
        return segment

    def _local_count(self, variable, filter_ids=None):
        result, name = self._run_data()
        _, node_ids = result.spikes[name]
        counts = np.bincount(node_ids.astype(np.int64), minlength=self.population.size)
        return {int(id): int(counts[self.population.id_to_index(id)])
                for id in self.filter_recorded(variable, filter_ids)}

    def _clear_simulator(self):
        pass

    def _reset(self):
        pass
