// Multimeter reports (output.hpp, StateReport): one group per population and
// variable under /report, SONATA's frame-oriented layout within it.
#include <fmt/format.h>

#include "io/hdf5_util.hpp"
#include "micromeso/output.hpp"

namespace micromeso {

void write_state_reports(const std::filesystem::path& path, const std::vector<StateReport>& reports) {
  const std::string file = path.string();
  io::H5Handle h5 = io::create_file(file);
  io::H5Handle root = io::create_group(h5.get(), "report", file);
  std::vector<std::string> populations;
  for (const StateReport& r : reports) {
    // Populations in the order of their first report (HDF5 lists groups alphabetically).
    bool listed = false;
    for (const std::string& p : populations) listed = listed || p == r.population;
    if (!listed) populations.push_back(r.population);
  }
  io::write_string_array_attribute(root.get(), "populations", populations, file);
  for (const std::string& population : populations) {
    io::H5Handle pop = io::create_group(root.get(), population, file);
    std::vector<std::string> variables;
    for (const StateReport& r : reports) {
      if (r.population != population) continue;
      variables.push_back(r.variable);
      io::H5Handle var = io::create_group(pop.get(), r.variable, file);
      io::write_matrix(var.get(), "data", r.data, r.n_times(), r.node_ids.size(), file);
      io::H5Handle data = io::checked(H5Dopen2(var.get(), "data", H5P_DEFAULT), H5Dclose, file, "cannot reopen data");
      io::write_string_attribute(data.get(), "units", r.unit, file);
      io::H5Handle mapping = io::create_group(var.get(), "mapping", file);
      io::write_u64_dataset(mapping.get(), "node_ids", r.node_ids, file);
      io::write_dataset(mapping.get(), "time", {r.t_start_ms, r.t_stop_ms, r.interval_ms}, file);
    }
    io::write_string_array_attribute(pop.get(), "variables", variables, file);
  }
  if (!h5.reset()) throw std::runtime_error(fmt::format("{}: closing the multimeter file failed", file));
}

std::vector<StateReport> read_state_reports(const std::filesystem::path& path) {
  const std::string file = path.string();
  io::H5Handle h5 = io::open_file_read(file);
  io::H5Handle root = io::open_group(h5.get(), "report", file);
  std::vector<StateReport> reports;
  for (const std::string& population : io::read_string_array_attribute(root.get(), "populations", file)) {
    io::H5Handle pop = io::open_group(root.get(), population, file);
    for (const std::string& variable : io::read_string_array_attribute(pop.get(), "variables", file)) {
      io::H5Handle var = io::open_group(pop.get(), variable, file);
      StateReport r;
      r.population = population;
      r.variable = variable;
      std::uint64_t rows = 0, cols = 0;
      r.data = io::read_matrix(var.get(), "data", rows, cols, file);
      io::H5Handle data = io::checked(H5Dopen2(var.get(), "data", H5P_DEFAULT), H5Dclose, file, "cannot reopen data");
      r.unit = io::read_string_attribute(data.get(), "units", file);
      io::H5Handle mapping = io::open_group(var.get(), "mapping", file);
      r.node_ids = io::read_u64_dataset(mapping.get(), "node_ids", file);
      const std::vector<double> time = io::read_double_dataset(mapping.get(), "time", file);
      if (time.size() != 3 || r.node_ids.size() != cols)
        throw std::runtime_error(fmt::format("{}: /report/{}/{}: mapping does not match data", file, population, variable));
      r.t_start_ms = time[0];
      r.t_stop_ms = time[1];
      r.interval_ms = time[2];
      reports.push_back(std::move(r));
    }
  }
  return reports;
}

}  // namespace micromeso
