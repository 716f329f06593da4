"""micromeso: spiking cortical circuits, simulated neuron by neuron (micro) and
as finite-size population equations (meso), from Python.

The functions mirror the command line (`micromeso run|meso|compare|analyze|plot`)
option by option; the names are the options' without dashes (--k-scale -> k_scale).
Units are NEST's: ms, mV, pA, pF, nS, Hz. Durations (t, presim) are ms when given
as numbers, or text such as "500ms", "10s".

    import micromeso
    r = micromeso.run("potjans2014", scale=0.1, t="1s", out="runs/pd")
    r.rates_hz                  # {population: Hz}
    times, ids = r.spikes["L4E"]  # numpy arrays: ms, neuron index
    r.activity.rate_hz("L4E")   # A(t) in Hz, bins of r.activity.bin_ms

Circuits: a built-in name or a .toml file path (str), a Circuit, or a dict in the
circuit file's layout (see Circuit.from_dict). Errors: CircuitError and InputError
(both ValueError) for invalid input, ValueError for a bad option value, RuntimeError
for other failures (memory, disk, a failing plot script), with the messages of the
command line. Runs release the GIL; Ctrl-C stops a run between steps (its folder
then holds only '.part' files) and raises KeyboardInterrupt. The PyNN backend is
micromeso.pynn.
"""
import json

from . import _core
from ._core import Circuit, CircuitError, InputError
from ._progress import TextProgress, resolve as _resolve_progress
from ._results import Activity, RunResult, SpikeTrains, StateTrace

__version__ = _core.__version__
__all__ = ["Circuit", "CircuitError", "InputError", "RunResult", "Activity", "SpikeTrains", "StateTrace",
           "TextProgress", "builtins", "devices", "run", "connections", "meso", "compare", "analyze", "plot", "load_circuit"]


def load_circuit(spec, scale=None, k_scale=None):
    """A Circuit from a built-in name or a .toml path (str), a dict, or a Circuit.

    scale, k_scale: scalings of a built-in circuit, in (0, 1] (neuron numbers; in-degrees,
    with weights divided by sqrt(k_scale) and a DC current keeping the mean input); refused
    for files, dicts and Circuit objects, as the command line refuses them for files.
    """
    if isinstance(spec, Circuit):
        if scale is not None or k_scale is not None:
            raise CircuitError("%s: scale and k_scale apply to built-in circuits only" % spec.name)
        return spec
    if isinstance(spec, dict):
        if scale is not None or k_scale is not None:
            raise CircuitError("Python dict: scale and k_scale apply to built-in circuits only")
        return Circuit.from_dict(spec)
    if hasattr(spec, "__fspath__"):
        spec = spec.__fspath__()
    if isinstance(spec, str):
        return _core.resolve_circuit(spec, scale, k_scale)
    raise TypeError("circuit: expected a built-in name, a .toml path, a dict or a micromeso.Circuit, got %r"
                    % type(spec).__name__)


def _circuit_to_dict(self):
    """The circuit as dicts and lists in the circuit file's layout (Circuit.from_dict reads it back)."""
    import tomllib
    return tomllib.loads(self.to_toml())


Circuit.to_dict = _circuit_to_dict


def builtins():
    """{name: description} of the built-in circuits."""
    return dict(_core.builtins())


def devices():
    """The CUDA devices this process can use, as `micromeso devices --json`: a dict with
    built_with_cuda, driver_version, runtime_version, devices (name, memory, ...) and reason."""
    return json.loads(_core.devices_json())


def run(circuit, *, t=None, presim=None, dt=None, seed=None, scale=None, k_scale=None, backend="auto",
        threads=0, out=None, no_spikes=False, activity_bin=None, progress=None):
    """Simulate a circuit neuron by neuron (`micromeso run`); returns a RunResult.

    circuit: built-in name or .toml path (str), dict, or Circuit (not modified).
    t: recorded biological time after the transient (ms, or "500ms", "10s");
    presim: transient simulated first and not recorded (same); dt: time step, ms;
    seed: seed of every random number (0 to 2**63 - 1); scale, k_scale: scalings of a
    built-in circuit, in (0, 1]; backend: "cpu", "gpu", "gpu-emulator" or "auto" (the GPU
    when the build has CUDA and a device is present); threads: CPU threads, 0 for the
    default (all cores, at most one per 2,000 neurons); out: output folder (default
    runs/<circuit>-<date>-<time>; a folder holding a finished run is refused);
    no_spikes: record population activity only; activity_bin: bin of the activity, ms
    (default dt). Values left None keep the circuit's.
    progress: None (a text bar on stderr when it is a terminal), True, False, or a
    callable progress(phase, fraction) with phase "build" or "simulate", fraction in [0, 1].

    The folder receives spikes.h5, activity.h5, state.h5 (multimeters) and summary.json
    (docs/outputs.md, "Output format reference"). Spikes are those of the command line for the same
    circuit, options and seed, for any thread count and backend.
    """
    c = load_circuit(circuit, scale, k_scale)
    bar, log = _resolve_progress(progress)
    summary, out_dir = _core.run(c, t, presim, dt, seed, backend, threads, out, no_spikes, activity_bin, bar, log)
    return RunResult(summary, out_dir)


def connections(circuit, projection, *, scale=None, k_scale=None, threads=1):
    """The synapses of one projection as `run` draws them (same seed, same synapses), without running.

    circuit: as for `run`; projection: its index in the circuit's projections (int).
    Returns a dict of numpy arrays, one entry per synapse, ordered by source: source and
    target (uint32, indices within the source and target populations), weight_pA (as
    stored: the fixed-point weight in pA, negative for inhibitory synapses) and delay_ms
    (on the dt grid).
    """
    c = load_circuit(circuit, scale, k_scale)
    return _core.projection_synapses(c, int(projection), int(threads))


def meso(circuit, *, t=None, presim=None, dt=None, seed=None, scale=None, k_scale=None, activity_bin=None,
         noise="binomial", exact_history=False, input_noise=False, paper_free_pool=False,
         no_lambda_correction=False, out=None, progress=None):
    """Simulate a circuit as finite-size population equations (`micromeso meso`,
    Schwalger, Deger & Gerstner 2017); returns a RunResult (activity and summary, no spikes).

    Populations must be gif_psc_exp, or iaf_psc_exp under input noise.
    t, presim, dt, seed, scale, k_scale, activity_bin, out, progress: as in run();
    seed seeds the random spike counts.
    noise: "binomial" (finite N), "poisson", "none" (the N -> infinity integral equation:
    activity holds expected counts) or "master" (per age bin, the exact Markov chain; slower);
    exact_history: one age bin per step over the whole adaptation history (default: ages
    past 5 tau_m in blocks); input_noise: lower the escape threshold by sigma^2 / (2 Delta_V)
    for each neuron's private input fluctuations; paper_free_pool: the free pool at the free
    potential with the reset forgotten, as the paper and NEST; no_lambda_correction: the
    naive finite-size model (Lambda = 0).
    """
    c = load_circuit(circuit, scale, k_scale)
    bar, _ = _resolve_progress(progress)
    summary, out_dir = _core.meso(c, t, presim, dt, seed, activity_bin, noise, exact_history, input_noise,
                                  paper_free_pool, no_lambda_correction, out, bar)
    return RunResult(summary, out_dir)


def compare(circuit, *, t=None, presim=None, dt=None, seed=None, scale=None, k_scale=None, backend="auto",
            threads=0, out=None, no_spikes=False, activity_bin=None, noise="binomial", exact_history=False,
            input_noise=False, paper_free_pool=False, bin=None, segment=None, no_plot=False, progress=None):
    """Micro vs meso on one circuit (`micromeso compare`): runs both engines into OUT/micro
    and OUT/meso, analyses both alike, writes OUT/compare.json and (unless no_plot)
    OUT/figures/compare.{png,svg}.

    Simulation options as in run(), meso model options as in meso(); bin: activity bin of
    the spectra (ms; default: the multiple of the recorded bin nearest 1 ms); segment: Welch segment (ms; default 1000, or a quarter of the run).
    Returns a dict: the keys of compare.json (per population rate_micro_hz, rate_meso_hz,
    rate_relative_difference, activity variances in Hz^2, log-spectral distance in dB and
    its null value), "micro" and "meso" (as analyze() returns), "out_dir", and for two
    populations "dwell_times_ms" (epochs in each attractor, 250 ms bins).
    """
    c = load_circuit(circuit, scale, k_scale)
    bar, log = _resolve_progress(progress)
    return _core.compare(c, t, presim, dt, seed, backend, threads, out, no_spikes, activity_bin, noise,
                         exact_history, input_noise, paper_free_pool, bin, segment, no_plot, bar, log)


def analyze(run_dir, *, bin=None, segment=None, fano_window=100.0):
    """Rates, activity variance, CV, Fano factor and power spectra of a finished run
    (`micromeso analyze`); writes RUN_DIR/analysis.json and analysis.h5 and returns a dict.

    bin: activity bin of the spectra, ms (a multiple of the recorded bin; default: the
    multiple nearest 1 ms); segment: Welch
    segment, ms (default 1000, or a quarter of the run if shorter); fano_window: window of
    the spike-count Fano factor, ms.
    Returns analysis.json's keys (run_dir, engine, bin_ms, segment_ms, duration_ms,
    populations: name, size, rate_hz, activity_variance_hz2, cv_isi, fano_factor,
    spectrum_segments) plus band_hz and, per population, frequency_hz and power_hz (numpy;
    the two-sided PSD of A(t) in Hz: rate/N for independent Poisson neurons) and
    power_ci95_factors (the 95 % interval of the true spectrum is power times these).
    """
    return _core.analyze(str(run_dir), bin, segment, fano_window)


def plot(run_dir, *, trace=500.0):
    """Figures of a finished run (`micromeso plot`): RUN_DIR/figures/raster (when spikes were
    recorded), rates, activity (1 ms bins, traces of `trace` ms) and spectra, each .png and .svg;
    analyses the run first when it has no analysis.h5. Returns the figures' folder. The same
    figures as matplotlib Figure objects: micromeso.figures.raster(run_dir), .rates, .activity,
    .spectra."""
    import os
    _core.plot(str(run_dir), trace)
    return os.path.join(str(run_dir), "figures")


def __getattr__(name):
    # micromeso.figures (matplotlib, h5py) is imported on first use, not with the package.
    if name == "figures":
        import importlib
        return importlib.import_module(".figures", __name__)
    raise AttributeError(f"module 'micromeso' has no attribute {name!r}")
