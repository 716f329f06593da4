#include "circuit_dict.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "model/circuit_table.hpp"

namespace micromeso::python {
namespace py = pybind11;
namespace {

constexpr const char* kSource = "Python dict";

toml::table table_of(const py::handle& dict, const std::string& path);

[[noreturn]] void refuse(const std::string& path, const py::handle& value, const char* expected) {
  throw CircuitError(fmt::format("{}: {}: {} is not {}", kSource, path,
                                 std::string(py::str(py::type::of(value).attr("__name__"))), expected));
}

// One value as a TOML node: bool before int (a Python bool is an int);
// lists and tuples as arrays, dicts as tables; numpy arrays and scalars as
// their tolist(); other numbers through __index__ or __float__.
void append_value(toml::array* array, toml::table* table, const std::string& key, const py::handle& value,
                  const std::string& path) {
  const auto put = [&](auto&& node) {
    if (array)
      array->push_back(std::forward<decltype(node)>(node));
    else
      table->insert_or_assign(key, std::forward<decltype(node)>(node));
  };
  if (py::isinstance<py::bool_>(value)) {
    put(value.cast<bool>());
  } else if (py::isinstance<py::str>(value)) {
    put(value.cast<std::string>());
  } else if (py::isinstance<py::dict>(value)) {
    put(table_of(value, path));
  } else if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    toml::array a;
    std::size_t i = 0;
    for (const py::handle item : value) {
      append_value(&a, nullptr, "", item, fmt::format("{}[{}]", path, i));
      ++i;
    }
    put(std::move(a));
  } else if (py::hasattr(value, "tolist")) {  // numpy arrays and scalars: Python lists and numbers
    append_value(array, table, key, value.attr("tolist")(), path);
  } else if (PyIndex_Check(value.ptr())) {
    const py::int_ i = py::reinterpret_steal<py::int_>(PyNumber_Index(value.ptr()));
    if (!i) throw py::error_already_set();
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
    if (overflow != 0)
      throw CircuitError(fmt::format("{}: {}: {} is out of the 64-bit integer range of a circuit file", kSource, path,
                                     std::string(py::str(value))));
    put(static_cast<std::int64_t>(v));
  } else if (py::isinstance<py::float_>(value) || py::hasattr(value, "__float__")) {
    put(value.cast<double>());
  } else {
    refuse(path, value, "a value a circuit file can hold (a number, string, bool, list or dict)");
  }
}

toml::table table_of(const py::handle& dict, const std::string& path) {
  toml::table t;
  for (const auto& [k, v] : py::reinterpret_borrow<py::dict>(dict)) {
    if (!py::isinstance<py::str>(k)) refuse(path.empty() ? "key" : path + " key", k, "a string");
    const std::string key = k.cast<std::string>();
    append_value(nullptr, &t, key, v, path.empty() ? key : path + "." + key);
  }
  return t;
}

}  // namespace

Circuit circuit_from_dict(const py::dict& dict) { return model::parse_circuit_table(table_of(dict, ""), kSource); }

}  // namespace micromeso::python
