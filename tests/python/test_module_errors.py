"""Errors from the Python module: the command line's messages, as Python
exceptions (invalid input: ValueError subclasses; the rest RuntimeError), and
Ctrl-C."""
import os
import signal
import subprocess
import sys
import textwrap
import unittest

import micromeso
from mm_testing import TempDirTest, run_cli, small_circuit_dict


class Errors(TempDirTest):
    def test_exception_classes(self):
        self.assertTrue(issubclass(micromeso.CircuitError, ValueError))
        self.assertTrue(issubclass(micromeso.InputError, ValueError))

    def test_dict_errors_name_the_key_as_a_file_would(self):
        d = small_circuit_dict()
        d["population"][0]["size"] = -3
        with self.assertRaises(micromeso.CircuitError) as e:
            micromeso.Circuit.from_dict(d)
        self.assertEqual(str(e.exception), "Python dict: population[0].size: expected an integer >= 1, got -3")
        # The file's message: the same after its position.
        path = self.path("bad.toml")
        good = micromeso.Circuit.from_dict(small_circuit_dict()).to_toml()
        with open(path, "w") as f:
            f.write(good.replace("size = 400", "size = -3"))
        code, out = run_cli("run", path, "--out", self.path("never"))
        self.assertEqual(code, 2)
        self.assertIn("population[0].size: expected an integer >= 1, got -3", out)

    def test_dict_semantic_errors_and_unknown_keys(self):
        d = small_circuit_dict()
        d["projection"][0]["wieght"] = d["projection"][0].pop("weight")
        with self.assertRaisesRegex(micromeso.CircuitError, r"^Python dict: projection\[0\]\.wieght: unknown key.*"
                                                            r"did you mean 'weight'"):
            micromeso.Circuit.from_dict(d)
        d = small_circuit_dict()
        d["population"][1]["name"] = "E"
        with self.assertRaisesRegex(micromeso.CircuitError, "Python dict"):
            micromeso.Circuit.from_dict(d)
        d = small_circuit_dict()
        d["simulation"]["dt"] = None
        with self.assertRaisesRegex(micromeso.CircuitError, r"^Python dict: simulation\.dt: NoneType is not a value"):
            micromeso.Circuit.from_dict(d)

    def test_option_errors_have_the_cli_messages(self):
        c = micromeso.Circuit.from_dict(small_circuit_dict())
        cases = [
            (dict(dt=-1), "dt: must be positive, got -1"),
            (dict(seed=-1), "seed: expected an integer from 0 to 9223372036854775807 (as seed in a circuit file), "
                            "got -1"),
            (dict(t="5 parsecs"), "t: '5 parsecs': unknown unit; expected a duration such as 500ms, 10s or 250 (ms)"),
            (dict(backend="tpu"), "--backend: 'tpu' is not one of cpu, gpu, gpu-emulator, auto"),
            (dict(threads=-2), "threads: expected a whole number >= 0, got -2"),
            (dict(out=""), "out: expected a folder name, got an empty string"),
            (dict(activity_bin=0), "activity_bin: must be positive, got 0"),
        ]
        for kwargs, message in cases:
            with self.subTest(**{k: str(v) for k, v in kwargs.items()}):
                with self.assertRaises(ValueError) as e:
                    micromeso.run(c, progress=False, **kwargs)
                self.assertEqual(str(e.exception), message)
        code, out = run_cli("run", "potjans2014", "--dt", "-1")
        self.assertEqual(code, 2)
        self.assertIn("must be positive, got -1", out)

    def test_scalings(self):
        with self.assertRaisesRegex(ValueError, r"^scale: expected a scaling in \(0, 1\], got 2$"):
            micromeso.run("potjans2014", scale=2)
        with self.assertRaisesRegex(micromeso.CircuitError, "built-in circuits only"):
            micromeso.run(small_circuit_dict(), scale=0.5)
        with self.assertRaisesRegex(micromeso.CircuitError, "neither a built-in circuit"):
            micromeso.run("no_such_circuit")

    def test_circuit_validation_after_overrides(self):
        with self.assertRaises(micromeso.CircuitError) as e:
            micromeso.run("potjans2014", scale=0.02, dt=0.3, progress=False, out=self.path("never"))
        self.assertIn("does not divide it", str(e.exception))
        self.assertFalse(os.path.exists(self.path("never")))

    def test_finished_folder_is_refused_as_input_error(self):
        c = micromeso.Circuit.from_dict(small_circuit_dict())
        micromeso.run(c, t=10, presim=0, out=self.path("r"), progress=False)
        with self.assertRaisesRegex(micromeso.InputError, "summary.json"):
            micromeso.run(c, t=10, presim=0, out=self.path("r"), progress=False)
        with self.assertRaisesRegex(ValueError, "no summary.json"):
            micromeso.analyze(self.path("nothing"))

    def test_meso_refusal(self):
        hh = {"name": "hh", "population": [{"name": "H", "size": 10, "model": "hh_psc_alpha"}]}
        with self.assertRaisesRegex(micromeso.CircuitError, "hh_psc_alpha"):
            micromeso.meso(hh, progress=False, out=self.path("never"))
        self.assertFalse(os.path.exists(self.path("never")))
        with self.assertRaisesRegex(ValueError, "--noise: 'loud' is not one of"):
            micromeso.meso("gif_single", noise="loud", progress=False, out=self.path("never2"))


class CtrlC(TempDirTest):
    def test_ctrl_c_stops_the_run_cleanly(self):
        script = textwrap.dedent("""
            import sys, micromeso
            started = []
            def progress(phase, fraction):
                if phase == "simulate" and not started:
                    started.append(1)
                    print("started", flush=True)
            try:
                micromeso.run("potjans2014", scale=0.02, t="100s", presim=0, out=sys.argv[1], threads=1,
                              progress=progress)
                print("finished")
            except KeyboardInterrupt:
                print("interrupted", flush=True)
        """)
        out_dir = self.path("r")
        p = subprocess.Popen([sys.executable, "-c", script, out_dir], stdout=subprocess.PIPE, text=True,
                             env=os.environ)
        self.assertEqual(p.stdout.readline().strip(), "started")
        p.send_signal(signal.SIGINT)
        rest, _ = p.communicate(timeout=120)
        self.assertEqual(rest.strip(), "interrupted")
        self.assertEqual(p.returncode, 0)
        left = sorted(os.listdir(out_dir))
        self.assertNotIn("summary.json", left)
        self.assertTrue(all(name.endswith(".part") for name in left), left)


if __name__ == "__main__":
    unittest.main()
