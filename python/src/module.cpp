// micromeso._core: the library's front end for Python, as the CLI is for the
// shell: it converts arguments, calls the library and converts results; the
// public API with its documentation is python/micromeso/__init__.py.
// Option values are checked by the library's own checks
// (micromeso/option_checks.hpp), so messages match the command line's.
#include <algorithm>
#include <atomic>
#include <type_traits>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "circuit_dict.hpp"
#include "interruptible.hpp"
#include "micromeso/analyze_run.hpp"
#include "micromeso/circuit_io.hpp"
#include "micromeso/compare.hpp"
#include "micromeso/devices.hpp"
#include "micromeso/errors.hpp"
#include "micromeso/option_checks.hpp"
#include "micromeso/plot.hpp"
#include "micromeso/run.hpp"
#include "micromeso/version.hpp"
#include "results.hpp"
#include "micro/projection_synapses.hpp"

namespace py = pybind11;
using namespace micromeso;
using micromeso::python::ProgressRelay;

namespace {

[[noreturn]] void bad_option(const char* name, const std::string& why) {
  throw std::invalid_argument(fmt::format("{}: {}", name, why));
}

// The text of an option value as the command line would have received it.
std::string text_of(const py::handle& value) { return py::str(value); }

std::optional<double> number_option(const char* name, const py::object& value, bool zero_allowed = false) {
  if (value.is_none()) return std::nullopt;
  const std::string text = text_of(value);
  if (const std::string why = check_number_text(text, zero_allowed); !why.empty()) bad_option(name, why);
  return number_of_text(text);
}

std::optional<double> duration_option(const char* name, const py::object& value) {
  if (value.is_none()) return std::nullopt;
  const std::string text = text_of(value);
  if (const std::string why = check_duration_text(text); !why.empty()) bad_option(name, why);
  return parse_duration_ms(text);
}

std::optional<std::uint64_t> seed_option(const py::object& value) {
  if (value.is_none()) return std::nullopt;
  const std::string text = text_of(value);
  if (const std::string why = check_seed_text(text); !why.empty()) bad_option("seed", why);
  return std::stoull(text);
}

double fraction_option(const char* name, const py::object& value) {
  const std::string text = text_of(value);
  if (const std::string why = check_fraction_text(text); !why.empty()) bad_option(name, why);
  return number_of_text(text);
}

std::filesystem::path out_option(const py::object& value) {
  if (value.is_none()) return {};
  const std::string text = text_of(value);
  if (text.empty()) bad_option("out", "expected a folder name, got an empty string");
  return text;
}

int threads_option(const py::object& value) {
  if (!py::isinstance<py::int_>(value) || py::isinstance<py::bool_>(value) || value.cast<long long>() < 0 ||
      value.cast<long long>() > 1 << 20)
    bad_option("threads", fmt::format("expected a whole number >= 0, got {}", text_of(value)));
  return value.cast<int>();
}

// A built-in name or a circuit file, as the command line's CIRCUIT argument.
Circuit resolve(const std::string& name_or_path, const py::object& scale, const py::object& k_scale) {
  const bool scaling = !scale.is_none() || !k_scale.is_none();
  BuiltinOptions b;
  if (!scale.is_none()) b.scale = fraction_option("scale", scale);
  if (!k_scale.is_none()) b.k_scale = fraction_option("k_scale", k_scale);
  return resolve_circuit(name_or_path, b, scaling);
}

SimulationOverrides overrides_of(const py::object& t, const py::object& presim, const py::object& dt,
                                 const py::object& seed, bool no_spikes, const py::object& activity_bin) {
  SimulationOverrides o;
  o.t_sim_ms = duration_option("t", t);
  o.t_presim_ms = duration_option("presim", presim);
  o.dt_ms = number_option("dt", dt);
  o.seed = seed_option(seed);
  if (no_spikes) o.record_spikes = false;
  o.activity_bin_ms = number_option("activity_bin", activity_bin);
  return o;
}

// The run's informational lines ("network: ... memory needed ..."), to a Python callable or nowhere.
std::function<void(const std::string&)> log_relay(const py::object& log) {
  if (log.is_none()) return {};
  return [log](const std::string& line) {
    py::gil_scoped_acquire gil;
    log(line);
  };
}

py::tuple run_micro_py(Circuit circuit, const py::object& t, const py::object& presim, const py::object& dt,
                         const py::object& seed, const std::string& backend, const py::object& threads,
                         const py::object& out, bool no_spikes, const py::object& activity_bin,
                         const py::object& progress, const py::object& log) {
  apply_overrides(circuit, overrides_of(t, presim, dt, seed, no_spikes, activity_bin));
  validate_circuit(circuit);
  std::atomic<bool> interrupt{false};
  ProgressRelay relay(progress, &interrupt);
  RunOptions options;
  options.backend = parse_backend(backend);
  options.threads = threads_option(threads);
  options.out_dir = out_option(out);
  if (relay.active()) options.progress = [&relay](const std::string& p, double f) { relay(p, f); };
  options.log = log_relay(log);
  options.interrupt = &interrupt;
  RunSummary summary;
  python::run_interruptible([&] { summary = run_micro(circuit, options); }, interrupt, &relay);
  return py::make_tuple(summary_to_json(summary), summary.out_dir.string());
}

MesoRunOptions meso_options_of(const std::string& noise, bool exact_history, bool input_noise, bool paper_free_pool) {
  MesoRunOptions o;
  o.noise = noise;
  o.exact_history = exact_history;
  o.input_noise = input_noise;
  o.paper_free_pool = paper_free_pool;
  return o;
}

py::tuple run_meso_py(Circuit circuit, const py::object& t, const py::object& presim, const py::object& dt,
                        const py::object& seed, const py::object& activity_bin, const std::string& noise,
                        bool exact_history, bool input_noise, bool paper_free_pool, bool no_lambda_correction,
                        const py::object& out, const py::object& progress) {
  apply_overrides(circuit, overrides_of(t, presim, dt, seed, false, activity_bin));
  validate_circuit(circuit);
  std::atomic<bool> interrupt{false};
  ProgressRelay relay(progress, &interrupt);
  MesoRunOptions options = meso_options_of(noise, exact_history, input_noise, paper_free_pool);
  options.lambda_correction = !no_lambda_correction;
  options.out_dir = out_option(out);
  if (relay.active()) options.progress = [&relay](const std::string& p, double f) { relay(p, f); };
  options.interrupt = &interrupt;
  RunSummary summary;
  python::run_interruptible([&] { summary = run_meso(circuit, options); }, interrupt, &relay);
  return py::make_tuple(summary_to_json(summary), summary.out_dir.string());
}

AnalyzeOptions analyze_options_of(const py::object& bin, const py::object& segment, const py::object& fano_window) {
  AnalyzeOptions o;
  if (auto v = number_option("bin", bin)) o.bin_ms = *v;
  if (auto v = number_option("segment", segment)) o.segment_ms = *v;
  if (auto v = number_option("fano_window", fano_window)) o.fano_window_ms = *v;
  return o;
}

py::dict compare_py(Circuit circuit, const py::object& t, const py::object& presim, const py::object& dt,
                    const py::object& seed, const std::string& backend, const py::object& threads,
                    const py::object& out, bool no_spikes, const py::object& activity_bin, const std::string& noise,
                    bool exact_history, bool input_noise, bool paper_free_pool, const py::object& bin,
                    const py::object& segment, bool no_plot, const py::object& progress, const py::object& log) {
  apply_overrides(circuit, overrides_of(t, presim, dt, seed, no_spikes, activity_bin));
  validate_circuit(circuit);
  std::atomic<bool> interrupt{false};
  ProgressRelay relay(progress, &interrupt);
  CompareOptions o;
  o.micro.backend = parse_backend(backend);
  o.micro.threads = threads_option(threads);
  o.micro.log = log_relay(log);
  o.micro.interrupt = &interrupt;
  if (relay.active()) o.micro.progress = [&relay](const std::string& p, double f) { relay(p, f); };
  o.meso = meso_options_of(noise, exact_history, input_noise, paper_free_pool);
  o.meso.progress = o.micro.progress;
  o.meso.interrupt = &interrupt;
  o.analyze = analyze_options_of(bin, segment, py::none());
  o.out_dir = out_option(out);
  std::optional<Comparison> c;
  python::run_interruptible(
      [&] {
        c = compare_micro_meso(circuit, o);
        if (!no_plot) plot_comparison(c->out_dir);
      },
      interrupt, &relay);
  return python::comparison_dict(*c);
}

py::dict analyze_py(const std::filesystem::path& run_dir, const py::object& bin, const py::object& segment,
                    const py::object& fano_window) {
  const AnalyzeOptions o = analyze_options_of(bin, segment, fano_window);
  std::optional<RunAnalysis> a;
  {
    py::gil_scoped_release release;
    a = analyze_run(run_dir, o);
    write_run_analysis(*a);
  }
  return python::analysis_dict(*a);
}

void plot_py(const std::filesystem::path& run_dir, const py::object& trace) {
  const double trace_ms = number_option("trace", trace).value_or(500.0);
  py::gil_scoped_release release;
  plot_run(run_dir, trace_ms);
}

py::list population_list(const Circuit& c) {
  py::list out;
  for (const Population& p : c.populations) out.append(py::make_tuple(p.name, p.size, to_string(p.neuron.model)));
  return out;
}

// One projection's synapses as numpy arrays (micro::projection_synapses),
// drawn with the GIL released.
py::dict projection_synapses_py(const Circuit& circuit, std::size_t index, int threads) {
  validate_circuit(circuit);
  micro::ProjectionSynapses s;
  {
    py::gil_scoped_release release;
    s = micro::projection_synapses(circuit, index, std::max(threads, 1));
  }
  const auto array = [](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
  };
  py::dict d;
  d["source"] = array(s.source);
  d["target"] = array(s.target);
  d["weight_pA"] = array(s.weight_pA);
  d["delay_ms"] = array(s.delay_ms);
  return d;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "micromeso's compiled core; use the package `micromeso`, which documents every function.";
  m.attr("__version__") = std::string(kVersion);
  m.attr("git_commit") = std::string(kGitCommit);

  // Invalid input is a ValueError, as the command line's exit code 2; the
  // rest (memory, disk, a failing plot script) a RuntimeError, as its 1.
  static py::exception<CircuitError> circuit_error(m, "CircuitError", PyExc_ValueError);
  static py::exception<InputError> input_error(m, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const CircuitError& e) {
      circuit_error(e.what());
    } catch (const InputError& e) {
      input_error(e.what());
    } catch (const Interrupted& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    }
  });

  py::class_<Circuit>(m, "Circuit",
                      "A validated circuit: populations, projections, multimeters and simulation settings "
                      "(units: ms, mV, pA, pF, nS, Hz). Make one with Circuit.builtin, Circuit.from_file, "
                      "Circuit.from_toml or Circuit.from_dict.")
      .def_static(
          "builtin",
          [](const std::string& name, const py::object& scale, const py::object& k_scale) {
            BuiltinOptions b;
            b.scale = fraction_option("scale", scale);
            b.k_scale = fraction_option("k_scale", k_scale);
            return builtin_circuit(name, b);
          },
          py::arg("name"), py::arg("scale") = 1.0, py::arg("k_scale") = 1.0,
          "A built-in circuit (micromeso.builtins() lists them). scale multiplies the neuron numbers (in-degrees "
          "kept), k_scale the in-degrees (weights divided by sqrt(k_scale), a DC current keeps the mean input); "
          "both in (0, 1]. Raises CircuitError for an unknown name.")
      .def_static("from_file", [](const std::filesystem::path& p) { return load_circuit_file(p); }, py::arg("path"),
                  "Reads a circuit TOML file (docs/circuit-file.md, the circuit file reference). Raises CircuitError naming "
                  "file:line:column, key and what was expected.")
      .def_static("from_toml", &parse_circuit_toml, py::arg("text"), py::arg("source_name") = "TOML text",
                  "Parses a circuit from TOML text; messages name `source_name`.")
      .def_static("from_dict", &python::circuit_from_dict, py::arg("circuit"),
                  "A circuit from dicts and lists in the circuit file's layout: {'name': ..., 'simulation': {...}, "
                  "'population': [{...}], 'projection': [{...}], 'multimeter': [{...}]}, keys and units as in a "
                  "circuit file. Checked as a file is; messages name 'Python dict' and the key path.")
      .def("to_toml", &circuit_to_toml, "The circuit as a circuit file (TOML text) that reads back to an equal circuit.")
      .def("copy", [](const Circuit& c) { return c; }, "An independent copy.")
      .def_property_readonly("name", [](const Circuit& c) { return c.name; })
      .def_property_readonly("description", [](const Circuit& c) { return c.description; })
      .def_property_readonly("populations", &population_list,
                             "[(name, size, model)] in circuit order.")
      .def_property_readonly("n_neurons", &Circuit::total_neurons, "Neurons of every population (stimuli included).")
      .def_property_readonly("dt_ms", [](const Circuit& c) { return c.simulation.dt_ms; }, "Time step, ms.")
      .def_property_readonly("t_sim_ms", [](const Circuit& c) { return c.simulation.t_sim_ms; },
                             "Recorded time after the transient, ms.")
      .def_property_readonly("t_presim_ms", [](const Circuit& c) { return c.simulation.t_presim_ms; },
                             "Transient simulated first and not recorded, ms.")
      .def_property_readonly("seed", [](const Circuit& c) { return c.simulation.seed; })
      .def("__repr__", [](const Circuit& c) {
        return fmt::format("<micromeso.Circuit '{}': {} populations, {} neurons, {} projections>", c.name,
                           c.populations.size(), c.total_neurons(), c.projections.size());
      });

  m.def("resolve_circuit", &resolve, py::arg("name_or_path"), py::arg("scale") = py::none(),
        py::arg("k_scale") = py::none());
  m.def("builtins", [] {
    py::list out;
    for (const BuiltinInfo& b : list_builtin_circuits()) out.append(py::make_tuple(b.name, b.description));
    return out;
  });
  m.def("devices_json", [] { return devices_to_json(list_devices()); });
  m.def("run", &run_micro_py, py::arg("circuit"), py::arg("t"), py::arg("presim"), py::arg("dt"), py::arg("seed"),
        py::arg("backend"), py::arg("threads"), py::arg("out"), py::arg("no_spikes"), py::arg("activity_bin"),
        py::arg("progress"), py::arg("log"));
  m.def("meso", &run_meso_py, py::arg("circuit"), py::arg("t"), py::arg("presim"), py::arg("dt"), py::arg("seed"),
        py::arg("activity_bin"), py::arg("noise"), py::arg("exact_history"), py::arg("input_noise"),
        py::arg("paper_free_pool"), py::arg("no_lambda_correction"), py::arg("out"), py::arg("progress"));
  m.def("compare", &compare_py, py::arg("circuit"), py::arg("t"), py::arg("presim"), py::arg("dt"), py::arg("seed"),
        py::arg("backend"), py::arg("threads"), py::arg("out"), py::arg("no_spikes"), py::arg("activity_bin"),
        py::arg("noise"), py::arg("exact_history"), py::arg("input_noise"), py::arg("paper_free_pool"),
        py::arg("bin"), py::arg("segment"), py::arg("no_plot"), py::arg("progress"), py::arg("log"));
  m.def("analyze", &analyze_py, py::arg("run_dir"), py::arg("bin"), py::arg("segment"), py::arg("fano_window"));
  m.def("plot", &plot_py, py::arg("run_dir"), py::arg("trace"));
  m.def("projection_synapses", &projection_synapses_py, py::arg("circuit"), py::arg("index"), py::arg("threads"));
  m.def("read_spikes", &python::read_spikes_dict, py::arg("file"));
  m.def("read_activity", &python::read_activity_dict, py::arg("file"));
  m.def("read_state", &python::read_state_list, py::arg("file"));
}
