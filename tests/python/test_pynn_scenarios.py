"""PyNN scenarios on micromeso.pynn: the connectors' statistics (from the
synapses the engine draws, Projection.get), stimuli against closed forms and
Poisson statistics, Neo output written and read back, and continued runs and
reset(). Fixed seeds; tolerances are 5 standard errors, or the upper 0.1 %
point of a chi-square."""
import math
import pickle
import unittest

import neo
import numpy as np
import quantities as pq

import micromeso.pynn as sim
from mm_testing import TempDirTest

CELL = dict(cm=0.25, tau_m=10.0, v_rest=-65.0, v_thresh=-50.0, v_reset=-65.0, tau_refrac=2.0, tau_syn_E=0.5,
            tau_syn_I=0.5, i_offset=0.0)


def chi2_critical(dof):
    """Upper 0.1 % point of chi-square (Wilson & Hilferty 1931)."""
    z, a = 3.09, 2.0 / (9.0 * dof)
    return dof * (1.0 - a + z * math.sqrt(a)) ** 3


def chi2(counts, expected):
    counts = np.asarray(counts, dtype=float)
    return float(np.sum((counts - expected) ** 2 / expected))


class Connectors(TempDirTest):
    def setUp(self):
        super().setUp()
        sim.setup(timestep=0.1, rng_seed=11, out=self.path("run"))
        self.a = sim.Population(300, sim.IF_curr_exp(**CELL), label="a")
        self.b = sim.Population(120, sim.IF_curr_exp(**CELL), label="b")

    def tearDown(self):
        sim.end()
        super().tearDown()

    def connect(self, connector, pre=None, post=None, weight=0.05, delay=1.0):
        prj = sim.Projection(pre or self.a, post or self.b, connector, sim.StaticSynapse(weight=weight, delay=delay))
        pairs = np.array([(i, j) for i, j, _ in prj.get("weight", format="list")], dtype=np.int64).reshape(-1, 2)
        return prj, pairs

    def assert_no_duplicates(self, pairs):
        self.assertEqual(len(np.unique(pairs, axis=0)), len(pairs))

    def test_fixed_probability_in_degrees_binomial(self):
        p = 0.1
        _, pairs = self.connect(sim.FixedProbabilityConnector(p))
        self.assert_no_duplicates(pairs)
        indegree = np.bincount(pairs[:, 1], minlength=120)
        n, var = 300, 300 * p * (1 - p)
        self.assertAlmostEqual(indegree.mean(), n * p, delta=5 * math.sqrt(var / 120))
        self.assertAlmostEqual(indegree.var(ddof=1), var, delta=5 * var * math.sqrt(2.0 / 119))

    def test_fixed_total_number_exact_total_multinomial_spread(self):
        n = 6000
        _, pairs = self.connect(sim.FixedTotalNumberConnector(n, with_replacement=True))
        self.assertEqual(len(pairs), n)
        # Each synapse's pair uniform: in-degrees multinomial(n, 1/120), out-degrees multinomial(n, 1/300).
        self.assertLess(chi2(np.bincount(pairs[:, 1], minlength=120), n / 120), chi2_critical(119))
        self.assertLess(chi2(np.bincount(pairs[:, 0], minlength=300), n / 300), chi2_critical(299))

    def check_fixed_number(self, connector, anchor_column, anchors, candidates, k, replacement):
        _, pairs = self.connect(connector)
        self.assertEqual(len(pairs), anchors * k)
        self.assertTrue(np.all(np.bincount(pairs[:, anchor_column], minlength=anchors) == k))
        if not replacement:
            self.assert_no_duplicates(pairs)
        else:  # k draws of `candidates` repeat within some anchor
            self.assertLess(len(np.unique(pairs, axis=0)), len(pairs))
        # Partner frequencies: multinomial with replacement; without, a sum of uniform
        # k-subsets, whose indicator covariance scales chi-square by (1 - k/n) n / (n - 1).
        freq = np.bincount(pairs[:, 1 - anchor_column], minlength=candidates)
        stat = chi2(freq, anchors * k / candidates)
        if not replacement:
            stat /= (1 - k / candidates) * candidates / (candidates - 1)
        self.assertLess(stat, chi2_critical(candidates - 1))

    def test_fixed_number_pre_exact_in_degrees(self):
        self.check_fixed_number(sim.FixedNumberPreConnector(40), 1, 120, 300, 40, False)

    def test_fixed_number_pre_with_replacement(self):
        self.check_fixed_number(sim.FixedNumberPreConnector(40, with_replacement=True), 1, 120, 300, 40, True)

    def test_fixed_number_post_exact_out_degrees(self):
        self.check_fixed_number(sim.FixedNumberPostConnector(30), 0, 300, 120, 30, False)

    def test_fixed_number_post_with_replacement(self):
        self.check_fixed_number(sim.FixedNumberPostConnector(30, with_replacement=True), 0, 300, 120, 30, True)

    def test_no_self_connections_within_a_population(self):
        for connector in (sim.FixedNumberPreConnector(119, allow_self_connections=False),
                          sim.FixedNumberPostConnector(119, allow_self_connections=False),
                          sim.AllToAllConnector(allow_self_connections=False)):
            _, pairs = self.connect(connector, self.b, self.b)
            self.assertEqual(len(pairs), 120 * 119, type(connector).__name__)
            self.assertFalse(np.any(pairs[:, 0] == pairs[:, 1]))
            self.assert_no_duplicates(pairs)

    def test_one_to_one_pairs(self):
        c = sim.Population(120, sim.IF_curr_exp(**CELL), label="c")
        prj, pairs = self.connect(sim.OneToOneConnector(), self.b, c)
        np.testing.assert_array_equal(pairs, np.stack([np.arange(120), np.arange(120)], axis=1))
        self.assertEqual(len(prj), 120)

    def test_get_units_and_the_run_draws_the_same_synapses(self):
        prj, _ = self.connect(sim.FixedNumberPreConnector(5), weight=-0.03, delay=1.5)
        w = prj.get("weight", format="array")
        self.assertEqual(w.shape, (300, 120))
        self.assertEqual(int(np.sum(~np.isnan(w))), 600)  # no multapses: one synapse per pair
        np.testing.assert_allclose(w[~np.isnan(w)], -0.03, atol=1e-4)  # nA (fixed-point weights)
        d = prj.get(["delay"], format="list", with_address=False)
        self.assertEqual(set(d), {(1.5,)})
        sim.run(5.0)
        self.assertEqual(sim.get_run_result().summary["synapses"], len(prj))


class Stimuli(TempDirTest):
    def setUp(self):
        super().setUp()
        sim.setup(timestep=0.1, rng_seed=3, out=self.path("run"))

    def tearDown(self):
        sim.end()
        super().tearDown()

    def test_step_current_response(self):
        # Below threshold, a step of I from t0: V = E_L + R I (1 - exp(-(t - t0) / tau_m)),
        # R I = I tau_m / C; the step acts from the step after t0.
        p = sim.Population(2, sim.IF_curr_exp(**CELL), label="p")
        sim.StepCurrentSource(times=[10.0, 30.0], amplitudes=[0.2, 0.0]).inject_into(p)
        p.record("v")
        sim.run(50.0)
        v = p.get_data().segments[0].analogsignals[0]
        self.assertEqual(v.shape, (500, 2))
        t = v.times.rescale(pq.ms).magnitude
        v = v.magnitude[:, 0]
        self.assertTrue(np.all(v[t <= 10.0 + 1e-9] == -65.0))
        on = (t > 10.0 + 1e-9) & (t <= 30.0 + 1e-9)
        np.testing.assert_allclose(v[on], -65.0 + 8.0 * (1.0 - np.exp(-(t[on] - 10.0) / 10.0)), atol=1e-9)
        v30 = -65.0 + 8.0 * (1.0 - math.exp(-2.0))
        off = t > 30.0 + 1e-9
        np.testing.assert_allclose(v[off], -65.0 + (v30 + 65.0) * np.exp(-(t[off] - 30.0) / 10.0), atol=1e-9)

    def test_poisson_source_rate_and_window(self):
        src = sim.Population(200, sim.SpikeSourcePoisson(rate=20.0, start=100.0, duration=300.0), label="src")
        src.record("spikes")
        sim.run(500.0)
        trains = src.get_data().segments[0].spiketrains
        self.assertEqual(len(trains), 200)
        times = np.concatenate([st.magnitude for st in trains])
        self.assertTrue(np.all((times > 100.0) & (times <= 400.0 + 1e-9)))
        mean = 200 * 20.0 * 0.3  # Poisson count over (100, 400] ms
        self.assertAlmostEqual(len(times), mean, delta=5 * math.sqrt(mean))
        # Counts per neuron: Poisson, variance = mean (dispersion test).
        counts = np.array([len(st) for st in trains])
        self.assertLess(chi2(counts, counts.mean()), chi2_critical(199))

    def test_dc_source_window(self):
        p = sim.Population(1, sim.IF_curr_exp(**CELL), label="p")
        sim.DCSource(amplitude=0.1, start=5.0, stop=15.0).inject_into(p)
        p.record("v")
        sim.run(20.0)
        v = p.get_data().segments[0].analogsignals[0]
        t = v.times.rescale(pq.ms).magnitude
        v = v.magnitude[:, 0]
        on = (t > 5.0 + 1e-9) & (t <= 15.0 + 1e-9)
        np.testing.assert_allclose(v[on], -65.0 + 4.0 * (1.0 - np.exp(-(t[on] - 5.0) / 10.0)), atol=1e-9)


class NeoOutput(TempDirTest):
    def test_spikes_and_v_written_and_read_back(self):
        sim.setup(timestep=0.1, rng_seed=8, out=self.path("run"))
        p = sim.Population(20, sim.IF_curr_exp(**dict(CELL, i_offset=0.5)), label="driven")
        p.record(["spikes", "v"])
        p[3:5].record("v")  # a subset is recorded the same
        sim.run(40.0)
        path = self.path("driven.pkl")
        p.write_data(path)
        block = p.get_data()
        sim.end()
        with open(path, "rb") as f:
            back = pickle.load(f)
        self.assertIsInstance(back, neo.Block)
        for seg in (block.segments[0], back.segments[0]):
            self.assertEqual(len(seg.spiketrains), 20)
            st = seg.spiketrains[0]
            self.assertEqual(st.units, pq.ms)
            self.assertAlmostEqual(float(st.t_stop.rescale(pq.ms)), 40.0)
            self.assertGreater(len(st), 0)
            v = seg.filter(name="v")[0]
            self.assertEqual(v.shape, (400, 20))
            self.assertEqual(v.units, pq.mV)
        np.testing.assert_array_equal(block.segments[0].spiketrains[5].magnitude,
                                      back.segments[0].spiketrains[5].magnitude)


class ContinuedRuns(TempDirTest):
    """run(t1); run(t2) is one run of t1 + t2 whose first t1 is the run of t1;
    reset() starts again from 0 with the same seed."""

    def build(self, i_offset=0.0, seed=21):
        sim.setup(timestep=0.1, rng_seed=seed, out=self.path("run%d" % self.runs))
        self.runs += 1
        e = sim.Population(80, sim.IF_curr_exp(**dict(CELL, i_offset=i_offset)), label="E")
        bg = sim.Population(80, sim.SpikeSourcePoisson(rate=8000.0), label="bg")
        sim.Projection(bg, e, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.09, delay=1.0))
        sim.Projection(e, e, sim.FixedNumberPreConnector(10), sim.StaticSynapse(weight=0.02, delay=1.5))
        e.record(["spikes", "v"])
        return e

    def setUp(self):
        super().setUp()
        self.runs = 0

    def tearDown(self):
        sim.end()
        super().tearDown()

    @staticmethod
    def spikes(seg):
        return [st.magnitude.copy() for st in seg.spiketrains]

    def test_second_run_continues_the_first(self):
        e = self.build()
        sim.run(60.0)
        first = e.get_data().segments[0]
        self.assertGreater(sum(len(s) for s in first.spiketrains), 20)
        sim.run(40.0)
        self.assertAlmostEqual(sim.get_current_time(), 100.0)
        both = e.get_data().segments[0]
        v1, v2 = first.filter(name="v")[0].magnitude, both.filter(name="v")[0].magnitude
        self.assertEqual(v2.shape, (1000, 80))
        np.testing.assert_array_equal(v2[:600], v1)
        for a, b in zip(self.spikes(first), self.spikes(both)):
            np.testing.assert_array_equal(b[b <= 60.0 + 1e-9], a)
        # ... and it is the run of 100 ms in one go.
        sim.end()
        e = self.build()
        sim.run(100.0)
        whole = e.get_data().segments[0]
        for a, b in zip(self.spikes(whole), self.spikes(both)):
            np.testing.assert_array_equal(a, b)

    def test_changes_between_runs_are_refused(self):
        e = self.build()
        sim.run(10.0)
        e.set(i_offset=0.1)
        with self.assertRaisesRegex(NotImplementedError, r"changed: circuit.population\[0\].I_e: 0.0 -> 100.0.*"
                                                         r"reset\(\)"):
            sim.run(10.0)

    def test_reset_repeats_and_honours_changes(self):
        e = self.build()
        sim.run(50.0)
        sim.reset()
        self.assertEqual(sim.get_current_time(), 0.0)
        sim.run(50.0)
        block = e.get_data()
        self.assertEqual(len(block.segments), 2)
        a, b = block.segments
        for x, y in zip(self.spikes(a), self.spikes(b)):  # same seed, same network: the same trial
            np.testing.assert_array_equal(x, y)
        sim.reset()
        e.set(i_offset=0.3)  # allowed after reset: the run starts from 0
        sim.run(50.0)
        c = e.get_data().segments[2]
        self.assertGreater(sum(len(s) for s in c.spiketrains), sum(len(s) for s in a.spiketrains))


if __name__ == "__main__":
    unittest.main()
