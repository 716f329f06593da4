// SONATA spike report (SONATA developer guide, "Spike file"; Dai et al. 2020,
// PLoS Comput Biol 16:e1007696): /spikes/<population>/{timestamps, node_ids},
// appended in chunks to extendible datasets.
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "io/hdf5_util.hpp"
#include "micromeso/output.hpp"

namespace micromeso {
namespace {

constexpr hsize_t kChunkElements = 65536;

// What the system said about a failed write ("No space left on device"), for
// the message: HDF5's own error stack is silenced and says less.
std::string write_failure(const std::string& what) {
  return errno != 0 ? fmt::format("{} ({})", what, std::strerror(errno)) : what;
}

// An extendible 1-D dataset that grows with each append.
struct GrowingDataset {
  io::H5Handle set;
  hid_t mem_type = -1;
  hsize_t size = 0;

  void append(const void* data, hsize_t n, const std::string& file, const std::string& name) {
    if (n == 0) return;
    const hsize_t new_size = size + n;
    io::check(H5Dset_extent(set.get(), &new_size), file, fmt::format("cannot extend {}", name));
    io::H5Handle file_space = io::checked(H5Dget_space(set.get()), H5Sclose, file, "cannot read a dataspace");
    io::check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &size, nullptr, &n, nullptr), file,
              "cannot select a hyperslab");
    io::H5Handle mem_space = io::checked(H5Screate_simple(1, &n, nullptr), H5Sclose, file, "cannot create a dataspace");
    errno = 0;
    const herr_t written = H5Dwrite(set.get(), mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data);
    io::check(written, file, write_failure(fmt::format("cannot write {}", name)));
    size = new_size;
  }
};

GrowingDataset create_growing(hid_t group, const std::string& name, hid_t file_type, hid_t mem_type,
                              const std::string& file) {
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  io::H5Handle space = io::checked(H5Screate_simple(1, &zero, &unlimited), H5Sclose, file, "cannot create a dataspace");
  io::H5Handle props = io::untimed_creation_properties(H5P_DATASET_CREATE, file);
  io::check(H5Pset_chunk(props.get(), 1, &kChunkElements), file, "cannot set the chunk size");
  GrowingDataset d;
  d.set = io::checked(H5Dcreate2(group, name.c_str(), file_type, space.get(), H5P_DEFAULT, props.get(), H5P_DEFAULT),
                      H5Dclose, file, fmt::format("cannot create dataset {}", name));
  d.mem_type = mem_type;
  return d;
}

}  // namespace

struct SpikeWriter::Impl {
  std::string file;
  io::H5Handle h5;
  std::vector<io::H5Handle> groups;
  std::vector<GrowingDataset> timestamps, node_ids;
  std::vector<std::string> names;
};

SpikeWriter::SpikeWriter(const std::filesystem::path& file, const std::vector<std::string>& populations)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.file = file.string();
  m.names = populations;
  m.h5 = io::create_file(m.file);
  // SONATA's magic number and version mark the file as a SONATA report.
  const std::uint32_t magic = 0x0A7A;
  io::write_u32_array_attribute(m.h5.get(), "magic", {magic}, m.file);
  io::write_u32_array_attribute(m.h5.get(), "version", {0, 1}, m.file);
  // HDF5 lists groups alphabetically; this keeps the circuit's order.
  io::write_string_array_attribute(m.h5.get(), "populations", populations, m.file);
  io::H5Handle spikes = io::create_group(m.h5.get(), "spikes", m.file);
  for (const std::string& name : populations) {
    io::H5Handle g = io::create_group(spikes.get(), name, m.file);
    io::write_string_attribute(g.get(), "sorting", "by_time", m.file);
    m.timestamps.push_back(create_growing(g.get(), "timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, m.file));
    io::write_string_attribute(m.timestamps.back().set.get(), "units", "ms", m.file);
    m.node_ids.push_back(create_growing(g.get(), "node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, m.file));
    m.groups.push_back(std::move(g));
  }
}

SpikeWriter::~SpikeWriter() {
  try {
    close();
  } catch (...) {
    // A destructor must not throw; the file stays a .part and is never committed.
  }
}

void SpikeWriter::append(std::size_t population, const std::vector<double>& times_ms,
                         const std::vector<std::uint64_t>& node_ids) {
  Impl& m = *impl_;
  if (times_ms.size() != node_ids.size())
    throw std::invalid_argument(fmt::format("{}: {} spike times but {} node ids", m.file, times_ms.size(),
                                            node_ids.size()));
  if (population >= m.names.size())
    throw std::invalid_argument(fmt::format("{}: no population {}", m.file, population));
  if (m.h5.get() < 0) throw std::logic_error(fmt::format("{}: append after close", m.file));
  const std::string where = "/spikes/" + m.names[population];
  m.timestamps[population].append(times_ms.data(), times_ms.size(), m.file, where + "/timestamps");
  m.node_ids[population].append(node_ids.data(), node_ids.size(), m.file, where + "/node_ids");
}

void SpikeWriter::flush() {
  Impl& m = *impl_;
  if (m.h5.get() < 0) throw std::logic_error(fmt::format("{}: flush after close", m.file));
  errno = 0;
  const herr_t flushed = H5Fflush(m.h5.get(), H5F_SCOPE_LOCAL);
  io::check(flushed, m.file, write_failure("cannot write the spike file"));
}

void SpikeWriter::close() {
  Impl& m = *impl_;
  if (m.h5.get() < 0) return;
  m.timestamps.clear();
  m.node_ids.clear();
  m.groups.clear();
  if (!m.h5.reset()) throw std::runtime_error(fmt::format("{}: closing the spike file failed", m.file));
}

SpikeData read_spikes(const std::filesystem::path& path) {
  const std::string file = path.string();
  io::H5Handle h5 = io::open_file_read(file);
  SpikeData data;
  data.names = io::read_string_array_attribute(h5.get(), "populations", file);
  io::H5Handle spikes = io::open_group(h5.get(), "spikes", file);
  for (const std::string& name : data.names) {
    io::H5Handle g = io::open_group(spikes.get(), name, file);
    data.times_ms.push_back(io::read_double_dataset(g.get(), "timestamps", file));
    data.node_ids.push_back(io::read_u64_dataset(g.get(), "node_ids", file));
    if (data.times_ms.back().size() != data.node_ids.back().size())
      throw std::runtime_error(fmt::format("{}: /spikes/{} has timestamps and node_ids of different lengths", file, name));
  }
  return data;
}

}  // namespace micromeso
