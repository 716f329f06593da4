"""The Python module against the command line and the library's contracts:
same spikes and recorded state as the CLI for the same seed, dict circuits,
results as numpy arrays and dicts, progress."""
import os
import threading
import time
import unittest

import h5py
import numpy as np

import micromeso
from mm_testing import TempDirTest, run_cli, small_circuit_dict


def read_spikes_h5(path):
    with h5py.File(path, "r") as f:
        return {name: (f["spikes"][name]["timestamps"][()], f["spikes"][name]["node_ids"][()])
                for name in f["spikes"]}


class SameAsCli(TempDirTest):
    def test_builtin_spikes_equal_the_cli_run_with_the_same_seed(self):
        args = dict(scale=0.02, t=100, presim=20, seed=7)
        code, out = run_cli("run", "potjans2014", "--scale", 0.02, "--t", 100, "--presim", 20, "--seed", 7,
                            "--threads", 2, "--out", self.path("cli"))
        self.assertEqual(code, 0, out)
        r = micromeso.run("potjans2014", threads=1, out=self.path("py"), progress=False, **args)
        cli = read_spikes_h5(self.path("cli", "spikes.h5"))
        self.assertEqual(list(r.spikes), ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"])
        total = 0
        for name, (times, ids) in r.spikes.items():
            self.assertEqual(times.dtype, np.float64)
            self.assertEqual(ids.dtype, np.uint64)
            np.testing.assert_array_equal(times, cli[name][0])
            np.testing.assert_array_equal(ids, cli[name][1])
            total += len(times)
        self.assertGreater(total, 100)
        self.assertTrue(r.summary["complete"])
        self.assertEqual(r.summary["seed"], 7)
        self.assertEqual(r.summary["circuit"], "potjans2014")
        for p in r.summary["populations"]:
            self.assertEqual(p["spikes"], len(r.spikes[p["name"]].times_ms))
        # The activity is the spike counts per bin of dt over the recorded window.
        a = r.activity
        self.assertAlmostEqual(a.bin_ms, 0.1)
        self.assertAlmostEqual(a.t_start_ms, 20.0)
        self.assertEqual(a.counts["L4E"].sum(), len(r.spikes["L4E"].times_ms))

    def test_recorded_state_equals_the_cli_state_file(self):
        path = self.path("small.toml")
        c = micromeso.Circuit.from_dict(small_circuit_dict())
        with open(path, "w") as f:
            f.write(c.to_toml())
        code, out = run_cli("run", path, "--out", self.path("cli"))
        self.assertEqual(code, 0, out)
        r = micromeso.run(c, out=self.path("py"), progress=False)
        trace = r.state["E"]["V_m"]
        self.assertEqual(trace.unit, "mV")
        np.testing.assert_array_equal(trace.node_ids, [0, 3, 7])
        self.assertEqual(trace.data.shape, (200, 3))  # 200 ms at 1 ms
        np.testing.assert_allclose(trace.times_ms, 51.0 + np.arange(200) * 1.0)  # stamps (k + 1) dt
        with h5py.File(self.path("cli", "state.h5"), "r") as f:
            np.testing.assert_array_equal(trace.data, f["report/E/V_m/data"][()])
            np.testing.assert_array_equal(r.state["E"]["I_syn_ex"].data, f["report/E/I_syn_ex/data"][()])
        self.assertTrue(np.all(trace.data < -50.0 + 1e-9))  # below threshold at the end of each step


class Circuits(TempDirTest):
    def test_dict_toml_and_dict_round_trips(self):
        c = micromeso.Circuit.from_dict(small_circuit_dict())
        self.assertEqual(c.name, "small")
        self.assertEqual(c.populations, [("E", 400, "iaf_psc_exp"), ("I", 100, "iaf_psc_exp")])
        self.assertEqual(c.n_neurons, 500)
        self.assertEqual((c.dt_ms, c.t_sim_ms, c.t_presim_ms, c.seed), (0.1, 200.0, 50.0, 5))
        text = c.to_toml()
        self.assertEqual(micromeso.Circuit.from_toml(text).to_toml(), text)
        self.assertEqual(micromeso.Circuit.from_dict(c.to_dict()).to_toml(), text)

    def test_numpy_values_in_dicts(self):
        d = small_circuit_dict()
        d["population"][0]["size"] = np.int64(400)
        d["population"][0]["C_m"] = np.float64(250.0)
        d["multimeter"][0]["neurons"] = np.array([0, 3, 7])
        self.assertEqual(micromeso.Circuit.from_dict(d).to_toml(),
                         micromeso.Circuit.from_dict(small_circuit_dict()).to_toml())

    def test_builtin_with_scalings(self):
        c = micromeso.Circuit.builtin("potjans2014", scale=0.02)
        self.assertEqual(len(c.populations), 8)
        self.assertLess(c.n_neurons, 2000)
        self.assertIn("potjans2014", micromeso.builtins())
        self.assertEqual(micromeso.load_circuit("potjans2014", scale=0.02).to_toml(), c.to_toml())

    def test_file_circuit(self):
        path = self.path("c.toml")
        with open(path, "w") as f:
            f.write(micromeso.Circuit.from_dict(small_circuit_dict()).to_toml())
        self.assertEqual(micromeso.load_circuit(path).name, "small")
        self.assertEqual(micromeso.Circuit.from_file(path).name, "small")

    def test_run_does_not_change_the_circuit(self):
        c = micromeso.Circuit.from_dict(small_circuit_dict())
        r = micromeso.run(c, t=20, presim=0, seed=9, out=self.path("r"), progress=False)
        self.assertEqual((r.summary["t_sim_ms"], r.summary["seed"]), (20.0, 9))
        self.assertEqual((c.t_sim_ms, c.seed), (200.0, 5))


class OtherCommands(TempDirTest):
    def test_meso_analyze_compare_plot(self):
        m = micromeso.meso("gif_single", t=200, presim=100, noise="none", out=self.path("m"), progress=False)
        self.assertEqual(m.summary["engine"], "meso")
        counts = next(iter(m.activity.counts.values()))
        self.assertEqual(len(counts), round(200 / m.activity.bin_ms))
        with self.assertRaises(FileNotFoundError):
            m.spikes
        a = micromeso.analyze(m.out_dir, bin=1.0, segment=50)
        self.assertEqual(a["engine"], "meso")
        p = a["populations"][0]
        self.assertEqual(len(p["frequency_hz"]), len(p["power_hz"]))
        self.assertTrue(os.path.exists(os.path.join(m.out_dir, "analysis.json")))
        c = micromeso.compare("gif_single", t=400, presim=100, no_plot=True, out=self.path("cmp"), progress=False,
                              threads=1)
        self.assertEqual(set(c["populations"][0]) >= {"rate_micro_hz", "rate_meso_hz"}, True)
        self.assertGreater(c["populations"][0]["rate_micro_hz"], 0.0)
        self.assertTrue(os.path.exists(self.path("cmp", "compare.json")))
        self.assertEqual(c["micro"]["engine"], "micro")
        figures = micromeso.plot(self.path("cmp", "micro"), trace=100)
        self.assertTrue(os.path.getsize(os.path.join(figures, "activity.png")) > 1000)

    def test_progress_callback_and_the_gil_released(self):
        calls = []
        ticks = []
        stop = threading.Event()

        def ticker():
            while not stop.is_set():
                ticks.append(1)
                time.sleep(0.005)

        t = threading.Thread(target=ticker)
        t.start()
        try:
            micromeso.run("potjans2014", scale=0.02, t=200, presim=0, out=self.path("r"), threads=1,
                          progress=lambda phase, f: calls.append((phase, f)))
        finally:
            stop.set()
            t.join()
        phases = [p for p, _ in calls]
        self.assertIn("build", phases)
        self.assertIn("simulate", phases)
        self.assertEqual(calls[-1], ("simulate", 1.0))
        fractions = [f for p, f in calls if p == "simulate"]
        self.assertEqual(fractions, sorted(fractions))
        # Another Python thread ran while the simulation did (the GIL was released).
        self.assertGreater(len(ticks), 3)

    def test_an_exception_in_the_progress_callback_stops_the_run(self):
        def fail(phase, fraction):
            if phase == "simulate" and fraction > 0.1:
                raise ZeroDivisionError("from the callback")

        with self.assertRaises(ZeroDivisionError):
            micromeso.run("potjans2014", scale=0.02, t=500, presim=0, out=self.path("r"), progress=fail)
        self.assertFalse(os.path.exists(self.path("r", "summary.json")))


if __name__ == "__main__":
    unittest.main()
