"""Shared helpers of the Python tests: the CLI binary of this build, temporary folders."""
import os
import subprocess
import tempfile
import unittest

BINARY = os.environ.get("MICROMESO_BINARY", "")


def run_cli(*args):
    """Runs the micromeso program of this build; returns (exit code, stdout + stderr)."""
    if not BINARY:
        raise unittest.SkipTest("MICROMESO_BINARY is not set (ctest sets it)")
    p = subprocess.run([BINARY, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


class TempDirTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="micromeso-py-")
        self.dir = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, *parts):
        return os.path.join(self.dir, *parts)


# A small circuit: one excitatory and one inhibitory population under Poisson
# input, sparse random coupling, one multimeter.
def small_circuit_dict(seed=5):
    return {
        "name": "small",
        "simulation": {"dt": 0.1, "t_sim": 200.0, "t_presim": 50.0, "seed": seed},
        "population": [
            {"name": "E", "size": 400, "model": "iaf_psc_exp", "C_m": 250.0, "tau_m": 10.0, "E_L": -65.0,
             "V_th": -50.0, "V_reset": -65.0, "t_ref": 2.0, "tau_syn_ex": 0.5, "tau_syn_in": 0.5,
             "V_m": {"distribution": "normal", "mean": -58.0, "sd": 5.0},
             "poisson": {"indegree": 2000, "rate": 8.0, "weight": 87.8}},
            {"name": "I", "size": 100, "model": "iaf_psc_exp", "E_L": -65.0, "V_reset": -65.0, "V_th": -50.0,
             "poisson": {"indegree": 1800, "rate": 8.0, "weight": 87.8}},
        ],
        "projection": [
            {"source": "E", "target": "I", "rule": "fixed_indegree", "indegree": 40, "weight": 87.8,
             "delay": 1.5, "delay_rel_sd": 0.5, "weight_rel_sd": 0.1},
            {"source": "I", "target": "E", "rule": "pairwise_bernoulli", "probability": 0.1, "weight": -351.2,
             "delay": 0.8},
        ],
        "multimeter": [{"population": "E", "neurons": [0, 3, 7], "record_from": ["V_m", "I_syn_ex"],
                        "interval": 1.0}],
    }
