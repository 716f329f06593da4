// Population activity file: /activity/<population> float64[n_bins] (layout
// in output.hpp), shared by microscopic and mesoscopic runs.
#include <stdexcept>

#include <fmt/format.h>

#include "io/hdf5_util.hpp"
#include "micromeso/output.hpp"

namespace micromeso {

void write_activity(const std::filesystem::path& path, const PopulationActivity& a) {
  const std::string file = path.string();
  if (a.counts.size() != a.names.size() || a.sizes.size() != a.names.size())
    throw std::invalid_argument(fmt::format("{}: {} population names, {} sizes, {} count series", file,
                                            a.names.size(), a.sizes.size(), a.counts.size()));
  for (const auto& c : a.counts)
    if (c.size() != a.counts.front().size())
      throw std::invalid_argument(fmt::format("{}: populations have different numbers of bins", file));
  io::H5Handle h5 = io::create_file(file);
  io::write_string_array_attribute(h5.get(), "populations", a.names, file);
  io::write_double_attribute(h5.get(), "bin_ms", a.bin_ms, file);
  io::write_double_attribute(h5.get(), "t_start_ms", a.t_start_ms, file);
  io::H5Handle group = io::create_group(h5.get(), "activity", file);
  for (std::size_t p = 0; p < a.names.size(); ++p) {
    io::write_dataset(group.get(), a.names[p], a.counts[p], file);
    io::H5Handle set = io::checked(H5Dopen2(group.get(), a.names[p].c_str(), H5P_DEFAULT), H5Dclose, file,
                                   "cannot reopen dataset " + a.names[p]);
    io::write_u64_attribute(set.get(), "size", a.sizes[p], file);
    io::write_double_attribute(set.get(), "bin_ms", a.bin_ms, file);
    io::write_double_attribute(set.get(), "t_start_ms", a.t_start_ms, file);
  }
  group.reset();
  if (!h5.reset()) throw std::runtime_error(fmt::format("{}: closing the activity file failed", file));
}

PopulationActivity read_activity(const std::filesystem::path& path) {
  const std::string file = path.string();
  io::H5Handle h5 = io::open_file_read(file);
  PopulationActivity a;
  a.names = io::read_string_array_attribute(h5.get(), "populations", file);
  a.bin_ms = io::read_double_attribute(h5.get(), "bin_ms", file);
  a.t_start_ms = io::read_double_attribute(h5.get(), "t_start_ms", file);
  io::H5Handle group = io::open_group(h5.get(), "activity", file);
  for (const std::string& name : a.names) {
    a.counts.push_back(io::read_double_dataset(group.get(), name, file));
    io::H5Handle set = io::checked(H5Dopen2(group.get(), name.c_str(), H5P_DEFAULT), H5Dclose, file,
                                   "missing dataset /activity/" + name);
    a.sizes.push_back(io::read_u64_attribute(set.get(), "size", file));
  }
  return a;
}

}  // namespace micromeso
