"""micromeso.figures (scripts/micromeso_figures.py, also drawn by `micromeso plot`):
what each figure shows is checked against the run's own files: the raster's dots are
exactly the spikes of the sampled neurons in its window, the bars are summary.json's
rates, the re-binned activity sums the stored counts (its mean is the window's rate)."""
import json
import os
import unittest

import h5py
import numpy as np

import micromeso
figures = micromeso.figures  # through the package attribute, as users write it
from mm_testing import TempDirTest, small_circuit_dict


class Figures(TempDirTest):
    def setUp(self):
        super().setUp()
        self.run = micromeso.run(micromeso.Circuit.from_dict(small_circuit_dict()), t=300, presim=50,
                                 out=self.path("r"), progress=False, threads=1)
        self.dir_ = self.run.out_dir
        with open(os.path.join(self.dir_, "summary.json")) as f:
            self.summary = json.load(f)

    def test_raster_dots_are_the_sampled_neurons_spikes_in_the_window(self):
        sample, window = 30, 120.0
        fig = figures.raster(self.dir_, sample=sample, window_ms=window)
        ax = fig.axes[0]
        self.assertEqual([t.get_text() for t in ax.get_yticklabels()], ["E", "I"])
        with h5py.File(os.path.join(self.dir_, "spikes.h5"), "r") as f:
            for line, name in zip(ax.get_lines(), ["E", "I"]):
                ids = f["spikes"][name]["node_ids"][()]
                times = f["spikes"][name]["timestamps"][()]
                keep = (ids < sample) & (times < 50.0 + window)
                self.assertGreater(keep.sum(), 0, name)
                np.testing.assert_array_equal(np.sort(line.get_xdata()), np.sort(times[keep]))
        # E (excitatory) and I (inhibitory) in their two colours, E above I
        self.assertNotEqual(ax.get_lines()[0].get_color(), ax.get_lines()[1].get_color())
        self.assertGreater(ax.get_lines()[0].get_ydata().min(), ax.get_lines()[1].get_ydata().max())

    def test_raster_without_spike_file_says_so(self):
        os.remove(os.path.join(self.dir_, "spikes.h5"))
        with self.assertRaisesRegex(FileNotFoundError, "no spike file"):
            figures.raster(self.dir_)

    def test_rate_bars_are_the_summarys_rates(self):
        ax = figures.rates(self.dir_).axes[0]
        widths = [bar.get_width() for bar in ax.patches]
        self.assertEqual(widths, [p["rate_hz"] for p in self.summary["populations"]])

    def test_activity_rebinned_sums_the_stored_counts(self):
        fig = figures.activity(self.dir_, trace_ms=300.0, bin_ms=2.0)
        self.assertIn("bin 2 ms", fig._suptitle.get_text())
        for ax, p in zip(fig.axes, self.summary["populations"]):
            rate = ax.get_lines()[0].get_ydata()
            self.assertEqual(len(rate), 150)
            # 2 ms bins over the whole 300 ms window: their mean is the population's rate
            self.assertAlmostEqual(rate.mean(), p["rate_hz"], places=9)
        with self.assertRaisesRegex(ValueError, "not a multiple"):
            figures.activity(self.dir_, bin_ms=0.25)

    def test_default_bin_is_the_stored_bins_multiple_nearest_1_ms(self):
        r = micromeso.run(micromeso.Circuit.from_dict(small_circuit_dict()), t=300, presim=50, activity_bin=0.3,
                          out=self.path("r03"), progress=False, threads=1)
        fig = figures.activity(r.out_dir, trace_ms=300.0)
        self.assertIn("bin 0.9 ms", fig._suptitle.get_text())
        self.assertEqual(len(fig.axes[0].get_lines()[0].get_ydata()), 333)  # 1000 stored bins, 3 per point
        # `plot` analyses such a run at the same automatic bin instead of refusing 1 ms
        out = micromeso.plot(r.out_dir, trace=100)
        self.assertGreater(os.path.getsize(os.path.join(out, "spectra.png")), 1000)
        with open(os.path.join(r.out_dir, "analysis.json")) as f:
            self.assertAlmostEqual(json.load(f)["bin_ms"], 0.9, places=12)

    def test_plot_writes_every_figure(self):
        out = micromeso.plot(self.dir_, trace=100)
        for stem in ("raster", "rates", "activity", "spectra"):
            for ext in ("png", "svg"):
                self.assertGreater(os.path.getsize(os.path.join(out, f"{stem}.{ext}")), 1000, (stem, ext))


if __name__ == "__main__":
    unittest.main()
