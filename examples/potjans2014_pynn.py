#!/usr/bin/env python3
"""The cortical microcircuit of Potjans & Diesmann (2014), Cerebral Cortex 24:785,
written with the PyNN API only, so that it runs on any PyNN backend:

    python3 examples/potjans2014_pynn.py --simulator micromeso.pynn --scale 0.05 --k-scale 0.1
    python3 examples/potjans2014_pynn.py --simulator pyNN.brian2 --scale 0.05 --k-scale 0.1

Model (Table 5 of the paper and NEST's reference implementation): 8 populations of
iaf_psc_exp neurons (IF_curr_exp); connections by fixed total numbers (the paper's
Eq. 1, multapses allowed); PSP 0.15 mV (PSC ~87.8 pA), g = -4, L4E -> L23E doubled;
weights normal with relative sd 0.1 and delays normal (1.5 / 0.75 ms, relative sd 0.5),
both redrawn (normal_clipped); background Poisson input at 8 Hz per external synapse
(K_ext per population): "poisson", one SpikeSourcePoisson per neuron at K_ext x 8 Hz
(independent trains, as the paper); "pool", K_ext sources per neuron drawn from a shared
pool of 20,000 sources at 8 Hz (nearly independent; exact on backends whose Poisson
sources fire at most once per step, as Brian 2's: rate x dt is 8e-4 here); or "dc", the
DC current of the same mean; initial potentials normal
per population. Scaling: neuron numbers by --scale (in-degrees kept); in-degrees by
--k-scale, weights divided by sqrt(k_scale) and a DC current keeping the mean input
(van Albada, Helias & Diesmann 2015), computed from the full model's rates.
Prints the rate of each population (Hz) over the recorded window as JSON.
"""
import argparse
import importlib
import json
import math

import numpy as np

NAMES = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
FULL_SIZE = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]
V0_MEAN = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43]
V0_SD = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48]
# connection probability, row = target, column = source
P = [[0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
     [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
     [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
     [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
     [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
     [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
     [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
     [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]]
FULL_RATE = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829]  # Hz, for the DC compensation
CELL = dict(cm=0.25, tau_m=10.0, v_rest=-65.0, v_thresh=-50.0, v_reset=-65.0, tau_refrac=2.0,
            tau_syn_E=0.5, tau_syn_I=0.5, i_offset=0.0)  # nF, ms, mV
PSP_MV, G, BG_RATE_HZ, DT_MS = 0.15, -4.0, 8.0, 0.1
POOL_SIZE = 20000  # background "pool": sources shared by all neurons


def psc_for_psp(psp_mv, cm_nf, tau_m, tau_s):
    """PSC amplitude (nA) whose exponential current gives a PSP peak of psp_mv."""
    a = tau_m * tau_s / (tau_m - tau_s)
    t_peak = a * math.log(tau_m / tau_s)
    return psp_mv / (a / cm_nf * (math.exp(-t_peak / tau_m) - math.exp(-t_peak / tau_s)))


def full_synapses(target, source):
    """Eq. 1: the total number of synapses giving connection probability p (pairs drawn with replacement)."""
    pairs = FULL_SIZE[source] * FULL_SIZE[target]
    return math.log(1.0 - P[target][source]) / math.log((pairs - 1.0) / pairs)


def build_and_run(sim, scale=0.05, k_scale=0.1, t_sim=1000.0, t_presim=200.0, seed=55, background="poisson",
                  **setup_options):
    """Builds the network on the PyNN module `sim`, runs t_presim + t_sim ms, and returns
    {population: rate in Hz over the last t_sim ms}."""
    pops = build(sim, scale, k_scale, seed, background, **setup_options)
    sim.run(t_presim + t_sim)
    rates = {}
    for pop in pops:
        trains = pop.get_data("spikes").segments[0].spiketrains
        count = sum(int(np.sum(np.asarray(st.magnitude) > t_presim)) for st in trains)
        rates[pop.label] = count / (pop.size * t_sim * 1e-3)
    sim.end()
    return rates


def build(sim, scale=0.05, k_scale=0.1, seed=55, background="poisson", **setup_options):
    """Sets up `sim` and builds the network; returns the 8 populations (spikes recorded)."""
    RandomDistribution = importlib.import_module("pyNN.random").RandomDistribution
    sim.setup(timestep=DT_MS, min_delay=DT_MS, max_delay=20.0, rng_seed=seed, **setup_options)
    rng = importlib.import_module("pyNN.random").NumpyRNG(seed=seed)
    w_exc = psc_for_psp(PSP_MV, CELL["cm"], CELL["tau_m"], CELL["tau_syn_E"]) / math.sqrt(k_scale)
    w_full = w_exc * math.sqrt(k_scale)

    def mean_weight(target, source):
        w = w_full if source % 2 == 0 else G * w_full
        return 2.0 * w if (target, source) == (0, 2) else w

    pops = []
    for i, name in enumerate(NAMES):
        n = max(1, round(FULL_SIZE[i] * scale))
        # DC keeping the mean input of the full in-degrees: (1 - sqrt(k)) of the summed
        # mean PSC x in-degree x rate, times tau_syn (s); the background's whole mean with a DC drive.
        k_ext = round(K_EXT[i] * k_scale)
        full_input = K_EXT[i] * BG_RATE_HZ * w_full + sum(
            mean_weight(i, s) * full_synapses(i, s) / FULL_SIZE[i] * FULL_RATE[s] for s in range(8))
        dc = 1e-3 * CELL["tau_syn_E"] * (1.0 - math.sqrt(k_scale)) * full_input
        if background == "dc":
            dc += 1e-3 * CELL["tau_syn_E"] * k_ext * BG_RATE_HZ * w_exc
        params = dict(CELL, i_offset=dc)
        pop = sim.Population(n, sim.IF_curr_exp(**params), label=name,
                             initial_values={"v": RandomDistribution("normal", mu=V0_MEAN[i], sigma=V0_SD[i],
                                                                     rng=rng)})
        pop.record("spikes")
        if background == "poisson":
            source = sim.Population(n, sim.SpikeSourcePoisson(rate=k_ext * BG_RATE_HZ), label=name + "_bg")
            sim.Projection(source, pop, sim.OneToOneConnector(), sim.StaticSynapse(weight=w_exc, delay=1.5),
                           receptor_type="excitatory")
        pops.append(pop)
    if background == "pool":
        # k_ext sources per neuron drawn from one pool of Poisson sources at 8 Hz.
        pool = sim.Population(POOL_SIZE, sim.SpikeSourcePoisson(rate=BG_RATE_HZ), label="background")
        for i, pop in enumerate(pops):
            sim.Projection(pool, pop, sim.FixedNumberPreConnector(round(K_EXT[i] * k_scale), with_replacement=True,
                                                                  rng=rng),
                           sim.StaticSynapse(weight=w_exc, delay=1.5), receptor_type="excitatory")

    for t in range(8):
        for s in range(8):
            if P[t][s] == 0.0:
                continue
            n_syn = round(full_synapses(t, s) * scale * k_scale)
            w = mean_weight(t, s) / math.sqrt(k_scale)
            if s % 2 == 0:
                weight = RandomDistribution("normal_clipped", mu=w, sigma=0.1 * w, low=0.0, high=np.inf, rng=rng)
                delay_mean, receptor = 1.5, "excitatory"
            else:
                weight = RandomDistribution("normal_clipped", mu=w, sigma=-0.1 * w, low=-np.inf, high=0.0, rng=rng)
                delay_mean, receptor = 0.75, "inhibitory"
            delay = RandomDistribution("normal_clipped", mu=delay_mean, sigma=0.5 * delay_mean, low=DT_MS / 2,
                                       high=np.inf, rng=rng)
            sim.Projection(pops[s], pops[t],
                           sim.FixedTotalNumberConnector(n_syn, allow_self_connections=True, with_replacement=True,
                                                         rng=rng),
                           sim.StaticSynapse(weight=weight, delay=delay), receptor_type=receptor)

    return pops


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--simulator", default="micromeso.pynn", help="a PyNN backend module, e.g. pyNN.brian2")
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--k-scale", type=float, default=0.1)
    parser.add_argument("--t-sim", type=float, default=1000.0, help="recorded time, ms")
    parser.add_argument("--t-presim", type=float, default=200.0, help="transient, ms")
    parser.add_argument("--seed", type=int, default=55)
    parser.add_argument("--background", choices=["poisson", "pool", "dc"], default="poisson")
    a = parser.parse_args()
    sim = importlib.import_module(a.simulator)
    rates = build_and_run(sim, a.scale, a.k_scale, a.t_sim, a.t_presim, a.seed, a.background)
    print(json.dumps(rates))


if __name__ == "__main__":
    main()
