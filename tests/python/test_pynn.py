"""The PyNN backend micromeso.pynn: the translation of a PyNN network into a
circuit (units, connectors, synapses, stimuli), results against closed forms,
Neo output, and refusals naming what is not supported."""
import math
import unittest

import neo
import numpy as np
import quantities as pq
from pyNN.random import RandomDistribution

import micromeso.pynn as sim
from micromeso.pynn import translate
from mm_testing import TempDirTest

CELL = dict(cm=0.25, tau_m=10.0, v_rest=-65.0, v_thresh=-50.0, v_reset=-65.0, tau_refrac=2.0, tau_syn_E=0.5,
            tau_syn_I=0.5, i_offset=0.0)


def psp_peak_mV(weight_nA, cm_nF=0.25, tau_m=10.0, tau_s=0.5):
    a = tau_m * tau_s / (tau_m - tau_s)
    t_peak = a * math.log(tau_m / tau_s)
    return weight_nA * a / cm_nF * (math.exp(-t_peak / tau_m) - math.exp(-t_peak / tau_s))


class Translation(TempDirTest):
    def setUp(self):
        super().setUp()
        sim.setup(timestep=0.1, rng_seed=4, out=self.path("run"))

    def tearDown(self):
        sim.end()
        super().tearDown()

    def test_units_connectors_and_synapses(self):
        e = sim.Population(100, sim.IF_curr_exp(**dict(CELL, i_offset=0.2)), label="E",
                           initial_values={"v": RandomDistribution("normal", mu=-60.0, sigma=3.0)})
        i = sim.Population(30, sim.IF_curr_exp(**CELL), label="I 2/3")
        bg = sim.Population(100, sim.SpikeSourcePoisson(rate=5000.0), label="bg")
        sim.Projection(bg, e, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.08, delay=1.0))
        w = RandomDistribution("normal_clipped", mu=0.1, sigma=0.01, low=0.0, high=np.inf)
        d = RandomDistribution("normal_clipped", mu=1.5, sigma=0.75, low=0.05, high=np.inf)
        sim.Projection(e, i, sim.FixedNumberPreConnector(10, with_replacement=True), sim.StaticSynapse(weight=w, delay=d))
        sim.Projection(i, e, sim.FixedProbabilityConnector(0.2), sim.StaticSynapse(weight=-0.4, delay=0.8),
                       receptor_type="inhibitory")
        sim.Projection(e, e, sim.FixedTotalNumberConnector(500, with_replacement=True, allow_self_connections=False),
                       sim.StaticSynapse(weight=0.05, delay=0.5))
        sim.Projection(i, i, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.01, delay=0.5),
                       receptor_type="inhibitory")
        sim.DCSource(amplitude=0.05, start=0.0, stop=1e12).inject_into(i)
        sim.StepCurrentSource(times=[10.0, 20.0], amplitudes=[0.1, 0.0]).inject_into(e)
        sim.DCSource(amplitude=0.02, start=15.0, stop=30.0).inject_into(e)
        e[0:2].record("v")
        e.record("spikes")
        c, names = translate.circuit_dict(sim.simulator.state, 50.0)
        self.assertIsNone(names[bg])
        pe, pi = c["population"]
        self.assertEqual((pe["name"], pi["name"]), ("E", "I_2_3"))
        self.assertEqual(pe["model"], "iaf_psc_exp")
        self.assertAlmostEqual(pe["C_m"], 250.0)  # nF -> pF
        self.assertAlmostEqual(pe["I_e"], 200.0)  # nA -> pA
        self.assertEqual(pe["V_m"], {"distribution": "normal", "mean": -60.0, "sd": 3.0})
        self.assertEqual(pe["poisson"], {"indegree": 1, "rate": 5000.0, "weight": 80.0})
        self.assertAlmostEqual(pi["dc"], 50.0)
        self.assertEqual(pe["step_current"], {"amplitude_times": [10.0, 15.0, 20.0, 30.0],
                                              "amplitude_values": [100.0, 120.0, 20.0, 0.0]})
        ei, ie, ee, ii = c["projection"]
        self.assertEqual((ei["rule"], ei["indegree"], ei["receptor"]), ("fixed_indegree", 10, "excitatory"))
        self.assertAlmostEqual(ei["weight"], 100.0)
        self.assertAlmostEqual(ei["weight_rel_sd"], 0.1)
        self.assertEqual(ei["weight_sign"], "redraw")
        self.assertEqual((ei["delay"], ei["delay_rel_sd"]), (1.5, 0.5))
        self.assertEqual((ie["rule"], ie["probability"], ie["weight"], ie["receptor"]),
                         ("pairwise_bernoulli", 0.2, -400.0, "inhibitory"))
        self.assertEqual((ee["rule"], ee["n_synapses"], ee["allow_autapses"]), ("fixed_total_number", 500, False))
        self.assertEqual((ii["rule"], ii["probability"], ii["allow_autapses"]), ("pairwise_bernoulli", 1.0, True))
        self.assertEqual(c["multimeter"], [{"population": "E", "record_from": ["V_m"], "neurons": [0, 1],
                                            "interval": 0.1}])
        self.assertTrue(c["simulation"]["record_spikes"])
        self.assertEqual(c["simulation"]["seed"], 4)
        # The circuit is valid, and its synapse counts are those of the rules.
        sim.run(50.0)
        s = sim.get_run_result().summary
        self.assertTrue(s["complete"])
        fixed = 30 * 10 + 500 + 30 * 30  # fixed_indegree onto 30 targets, fixed_total_number, all-to-all
        bernoulli = 30 * 100 * 0.2
        self.assertLess(abs(s["synapses"] - fixed - bernoulli), 5 * math.sqrt(30 * 100 * 0.2 * 0.8))


class Dynamics(TempDirTest):
    def setUp(self):
        super().setUp()
        sim.setup(timestep=0.1, rng_seed=4, out=self.path("run"))

    def tearDown(self):
        sim.end()
        super().tearDown()

    def test_dc_driven_spike_times_and_neo_output(self):
        # Constant current I into a LIF from rest: ISI = t_ref + tau_m ln(R I / (R I - (V_th - E_L))).
        p = sim.Population(3, sim.IF_curr_exp(**CELL), label="dc")
        sim.DCSource(amplitude=0.5, start=0.0, stop=1e12).inject_into(p)
        p.record(["spikes", "v"])
        sim.run(100.0)
        block = p.get_data()
        self.assertIsInstance(block, neo.Block)
        seg = block.segments[0]
        self.assertEqual(len(seg.spiketrains), 3)
        st = seg.spiketrains[0]
        self.assertEqual(st.units, pq.ms)
        self.assertEqual(st.annotations["source_population"], "dc")
        r_i = 0.5 / 0.25 * 10.0  # R I = I tau_m / C (mV)
        # Spikes are stamped at the end of the step in which V crosses threshold; after
        # t_ref the same approach from rest starts again, so every ISI is t_ref plus the
        # first passage time rounded up to the grid.
        first = math.ceil(10.0 * math.log(r_i / (r_i - 15.0)) / 0.1) * 0.1
        expected = first + (2.0 + first) * np.arange(10)
        np.testing.assert_allclose(st.magnitude, expected[expected < 100.0], atol=1e-9)
        v = seg.analogsignals[0]
        self.assertEqual(v.name, "v")
        self.assertEqual(v.units, pq.mV)
        self.assertEqual(v.shape, (1000, 3))
        self.assertAlmostEqual(float(v.sampling_period.rescale(pq.ms)), 0.1)
        self.assertAlmostEqual(float(v.t_start.rescale(pq.ms)), 0.1)
        # Below threshold: V(t) = E_L + R I (1 - exp(-t / tau_m)) (exact integration).
        t = 0.1 * np.arange(1, 20)
        np.testing.assert_allclose(v.magnitude[:19, 0], -65.0 + r_i * (1.0 - np.exp(-t / 10.0)), atol=1e-9)
        self.assertEqual(p.get_spike_counts()[p[0]], len(st))

    def test_spike_source_array_psp_peak(self):
        src = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]), label="src")
        post = sim.Population(1, sim.IF_curr_exp(**dict(CELL, v_thresh=0.0)), label="post")
        sim.Projection(src, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.0878, delay=1.0))
        post.record("v")
        src.record("spikes")
        sim.run(30.0)
        v = post.get_data().segments[0].analogsignals[0].magnitude[:, 0]
        times = 0.1 * np.arange(1, len(v) + 1)
        self.assertTrue(np.all(v[times <= 6.0 + 1e-9] == -65.0))
        self.assertGreater(v[times > 6.05][0], -65.0)
        self.assertAlmostEqual(v.max() + 65.0, psp_peak_mV(0.0878), delta=2e-3)
        self.assertEqual(list(src.get_data().segments[0].spiketrains[0].magnitude), [5.0])

    def test_native_gif_psc_exp(self):
        g = sim.Population(50, sim.gif_psc_exp(lambda_0=10.0, V_T_star=-50.0, Delta_V=2.0, tau_sfa=[100.0],
                                               q_sfa=[2.0], I_e=100.0), label="gif")
        g.record(["spikes", "V_m", "E_sfa"])
        sim.run(200.0)
        seg = g.get_data().segments[0]
        self.assertGreater(sum(len(s) for s in seg.spiketrains), 0)
        names = sorted(s.name for s in seg.analogsignals)
        self.assertEqual(names, ["E_sfa", "V_m"])



class Refusals(TempDirTest):
    def setUp(self):
        super().setUp()
        sim.setup(timestep=0.1)
        self.a = sim.Population(10, sim.IF_curr_exp(**CELL), label="a")
        self.b = sim.Population(10, sim.IF_curr_exp(**CELL), label="b")

    def tearDown(self):
        sim.end()
        super().tearDown()

    def test_unsupported_classes_are_named(self):
        with self.assertRaisesRegex(NotImplementedError, "IF_cond_exp"):
            sim.Population(1, sim.IF_cond_exp())
        with self.assertRaisesRegex(NotImplementedError, "TsodyksMarkramSynapse"):
            sim.TsodyksMarkramSynapse()
        with self.assertRaisesRegex(NotImplementedError, "ACSource"):
            sim.ACSource()
        with self.assertRaisesRegex(NotImplementedError, "FromListConnector"):
            sim.Projection(self.a, self.b, sim.FromListConnector([(0, 1)]), sim.StaticSynapse(weight=0.1))
        with self.assertRaisesRegex(NotImplementedError, r"FixedTotalNumberConnector\(with_replacement=False\)"):
            sim.Projection(self.a, self.b, sim.FixedTotalNumberConnector(3, with_replacement=False),
                           sim.StaticSynapse(weight=0.1))
        with self.assertRaisesRegex(NotImplementedError, r"FixedNumberPreConnector\(n=10, with_replacement=False\): "
                                    "the source population has 9 candidate neurons"):
            sim.Projection(self.a, self.a, sim.FixedNumberPreConnector(10, allow_self_connections=False),
                           sim.StaticSynapse(weight=0.1))
        with self.assertRaisesRegex(NotImplementedError, r"FixedNumberPostConnector\(n=11, with_replacement=False\)"):
            sim.Projection(self.a, self.b, sim.FixedNumberPostConnector(11), sim.StaticSynapse(weight=0.1))
        c = sim.Population(4, sim.IF_curr_exp(**CELL), label="c")
        with self.assertRaisesRegex(NotImplementedError, r"OneToOneConnector between populations of different "
                                    r"sizes \(10 and 4\)"):
            sim.Projection(self.a, c, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.1))
        with self.assertRaisesRegex(NotImplementedError, "PopulationView"):
            sim.Projection(self.a[0:5], self.b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))

    def test_unsupported_values_are_named_at_run(self):
        sim.Projection(self.a, self.b, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=RandomDistribution("uniform", low=0.0, high=0.1)))
        with self.assertRaisesRegex(NotImplementedError, "'uniform'"):
            sim.run(1.0)

    def test_heterogeneous_parameters(self):
        self.a.set(tau_m=RandomDistribution("uniform", low=5.0, high=10.0))
        with self.assertRaisesRegex(NotImplementedError, "tau_m of population 'a' differs between neurons"):
            sim.run(1.0)



if __name__ == "__main__":
    unittest.main()


class Microcircuit(TempDirTest):
    """examples/potjans2014_pynn.py (the microcircuit in the PyNN API) is the
    built-in potjans2014 circuit: the same spikes for the same seed."""

    def setUp(self):
        super().setUp()
        import os
        import sys
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples"))
        import potjans2014_pynn
        self.pd = potjans2014_pynn

    def test_reduced_scale_spikes_equal_the_builtin_run(self):
        import micromeso
        self.pd.build_and_run(sim, 0.02, 0.1, 200.0, 100.0, 3, "poisson", threads=1, out=self.path("pynn"))
        ours = sim.get_run_result()
        builtin = micromeso.run("potjans2014", scale=0.02, k_scale=0.1, t=300, presim=0, seed=3, threads=2,
                                progress=False, out=self.path("builtin"))
        self.assertEqual(list(ours.spikes), list(builtin.spikes))
        for name in builtin.spikes:
            np.testing.assert_array_equal(ours.spikes[name].times_ms, builtin.spikes[name].times_ms)
            np.testing.assert_array_equal(ours.spikes[name].node_ids, builtin.spikes[name].node_ids)
        self.assertGreater(sum(len(s.times_ms) for s in builtin.spikes.values()), 500)

    def test_full_scale_is_the_builtin_circuit(self):
        import micromeso
        self.pd.build(sim, 1.0, 1.0, 55, "poisson")
        circuit, _ = translate.circuit_dict(sim.simulator.state, 1000.0)
        ours = micromeso.Circuit.from_dict(circuit).to_dict()
        builtin = micromeso.Circuit.builtin("potjans2014").to_dict()
        sim.end()

        def close(a, b, where):
            if isinstance(a, dict):
                self.assertEqual(sorted(a), sorted(b), where)
                for k in a:
                    close(a[k], b[k], where + "." + k)
            elif isinstance(a, list):
                self.assertEqual(len(a), len(b), where)
                for j, (x, y) in enumerate(zip(a, b)):
                    close(x, y, "%s[%d]" % (where, j))
            elif isinstance(a, float):
                self.assertAlmostEqual(a, b, delta=1e-12 * max(1.0, abs(b)), msg=where)
            else:
                self.assertEqual(a, b, where)

        # K Poisson sources at r are one at K r: the engine draws the summed count (the reduced
        # scale's identical spikes show it).
        for c in (ours, builtin):
            for p in c["population"]:
                p["poisson"] = {"total_rate": p["poisson"]["indegree"] * p["poisson"]["rate"],
                                "weight": p["poisson"]["weight"]}
        for key in ("population", "projection"):
            close(ours[key], builtin[key], key)
