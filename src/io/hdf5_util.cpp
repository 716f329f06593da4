#include "io/hdf5_util.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "micromeso/errors.hpp"

namespace micromeso::io {
namespace {

H5Handle string_type(std::size_t length, const std::string& file) {
  H5Handle type = checked(H5Tcopy(H5T_C_S1), H5Tclose, file, "cannot create a string type");
  check(H5Tset_size(type.get(), length > 0 ? length : 1), file, "cannot size a string type");
  check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), file, "cannot pad a string type");
  return type;
}

H5Handle open_attribute(hid_t object, const std::string& name, const std::string& file) {
  return checked(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, file,
                 fmt::format("missing attribute '{}'", name));
}

void write_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t mem_type, hsize_t n,
                     const void* data, const std::string& file, bool scalar) {
  H5Handle space = scalar ? checked(H5Screate(H5S_SCALAR), H5Sclose, file, "cannot create a dataspace")
                          : checked(H5Screate_simple(1, &n, nullptr), H5Sclose, file, "cannot create a dataspace");
  H5Handle attr = checked(H5Acreate2(object, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                          H5Aclose, file, fmt::format("cannot create attribute '{}'", name));
  check(H5Awrite(attr.get(), mem_type, data), file, fmt::format("cannot write attribute '{}'", name));
}

template <typename T>
std::vector<T> read_dataset(hid_t parent, const std::string& name, hid_t mem_type, const std::string& file) {
  H5Handle set = checked(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, file,
                         fmt::format("missing dataset '{}'", name));
  H5Handle space = checked(H5Dget_space(set.get()), H5Sclose, file, "cannot read a dataspace");
  hsize_t n = 0;
  if (H5Sget_simple_extent_ndims(space.get()) != 1)
    throw std::runtime_error(fmt::format("{}: dataset '{}' is not one-dimensional", file, name));
  H5Sget_simple_extent_dims(space.get(), &n, nullptr);
  std::vector<T> values(n);
  if (n > 0)
    check(H5Dread(set.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), file,
          fmt::format("cannot read dataset '{}'", name));
  return values;
}

}  // namespace

// A whole dataset of `rank` dimensions `dims`, written at once.
void write_array(hid_t parent, const std::string& name, int rank, const hsize_t* dims, hid_t file_type,
                 hid_t mem_type, const void* data, const std::string& file) {
  hsize_t n = 1;
  for (int d = 0; d < rank; ++d) n *= dims[d];
  H5Handle space = checked(H5Screate_simple(rank, dims, nullptr), H5Sclose, file, "cannot create a dataspace");
  const H5Handle props = untimed_creation_properties(H5P_DATASET_CREATE, file);
  H5Handle set = checked(H5Dcreate2(parent, name.c_str(), file_type, space.get(), H5P_DEFAULT, props.get(),
                                    H5P_DEFAULT),
                         H5Dclose, file, fmt::format("cannot create dataset '{}'", name));
  if (n > 0)
    check(H5Dwrite(set.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), file,
          fmt::format("cannot write dataset '{}'", name));
}

H5Handle checked(hid_t id, H5Handle::Closer closer, const std::string& file, const std::string& what) {
  if (id < 0) throw std::runtime_error(fmt::format("{}: {}", file, what));
  return H5Handle(id, closer);
}

void check(herr_t status, const std::string& file, const std::string& what) {
  if (status < 0) throw std::runtime_error(fmt::format("{}: {}", file, what));
}

void silence_hdf5_errors() {
  // Once, before any other HDF5 call: no exit handler. When a full disk made
  // H5Fclose fail, HDF5 (1.10) keeps the half-closed file, and its exit
  // handler (H5_term_library -> H5F__close_cb) then dereferences it: SIGSEGV
  // after the error was reported. Every object micromeso opens is closed by
  // its owner (H5Handle), so the handler has nothing else to do.
  static const bool once = [] {
    H5dont_atexit();
    return H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0;
  }();
  static_cast<void>(once);
}

H5Handle create_file(const std::string& file) {
  silence_hdf5_errors();
  return checked(H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, file,
                 "cannot create the HDF5 file");
}

H5Handle open_file_read(const std::string& file) {
  silence_hdf5_errors();
  // The file is the user's input (analyze, plot): a bad one is invalid input.
  const hid_t id = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw InputError(fmt::format("{}: cannot open as an HDF5 file", file));
  return H5Handle(id, H5Fclose);
}

H5Handle create_group(hid_t parent, const std::string& name, const std::string& file) {
  const H5Handle props = untimed_creation_properties(H5P_GROUP_CREATE, file);
  return checked(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, props.get(), H5P_DEFAULT), H5Gclose, file,
                 fmt::format("cannot create group '{}'", name));
}

H5Handle untimed_creation_properties(hid_t cls, const std::string& file) {
  H5Handle props = checked(H5Pcreate(cls), H5Pclose, file, "cannot create properties");
  check(H5Pset_obj_track_times(props.get(), false), file, "cannot switch off modification times");
  return props;
}

H5Handle open_group(hid_t parent, const std::string& name, const std::string& file) {
  return checked(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, file,
                 fmt::format("missing group '{}'", name));
}

void write_string_attribute(hid_t object, const std::string& name, const std::string& value, const std::string& file) {
  H5Handle type = string_type(value.size(), file);
  write_attribute(object, name, type.get(), type.get(), 1, value.data(), file, true);
}

// Fixed-length strings padded to the longest name: simple for every reader.
void write_string_array_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values,
                                  const std::string& file) {
  std::size_t width = 1;
  for (const auto& v : values) width = std::max(width, v.size());
  std::string packed(width * values.size(), '\0');
  for (std::size_t i = 0; i < values.size(); ++i) packed.replace(i * width, values[i].size(), values[i]);
  H5Handle type = string_type(width, file);
  write_attribute(object, name, type.get(), type.get(), values.size(), packed.data(), file, false);
}

void write_double_attribute(hid_t object, const std::string& name, double value, const std::string& file) {
  write_attribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &value, file, true);
}

void write_u64_attribute(hid_t object, const std::string& name, std::uint64_t value, const std::string& file) {
  write_attribute(object, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &value, file, true);
}

void write_u32_array_attribute(hid_t object, const std::string& name, const std::vector<std::uint32_t>& values,
                               const std::string& file) {
  write_attribute(object, name, H5T_STD_U32LE, H5T_NATIVE_UINT32, values.size(), values.data(), file,
                  values.size() == 1);
}

std::vector<std::string> read_string_array_attribute(hid_t object, const std::string& name, const std::string& file) {
  H5Handle attr = open_attribute(object, name, file);
  H5Handle type = checked(H5Aget_type(attr.get()), H5Tclose, file, "cannot read an attribute type");
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) > 0)
    throw std::runtime_error(fmt::format("{}: attribute '{}' is not a fixed-length string", file, name));
  H5Handle space = checked(H5Aget_space(attr.get()), H5Sclose, file, "cannot read a dataspace");
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  const std::size_t width = H5Tget_size(type.get());
  std::string packed(width * static_cast<std::size_t>(n), '\0');
  check(H5Aread(attr.get(), type.get(), packed.data()), file, fmt::format("cannot read attribute '{}'", name));
  std::vector<std::string> values;
  for (hssize_t i = 0; i < n; ++i) {
    std::string v = packed.substr(static_cast<std::size_t>(i) * width, width);
    v.resize(v.find('\0') == std::string::npos ? v.size() : v.find('\0'));
    values.push_back(v);
  }
  return values;
}

std::string read_string_attribute(hid_t object, const std::string& name, const std::string& file) {
  const auto values = read_string_array_attribute(object, name, file);
  return values.empty() ? std::string() : values.front();
}

double read_double_attribute(hid_t object, const std::string& name, const std::string& file) {
  H5Handle attr = open_attribute(object, name, file);
  double v = 0.0;
  check(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &v), file, fmt::format("cannot read attribute '{}'", name));
  return v;
}

std::uint64_t read_u64_attribute(hid_t object, const std::string& name, const std::string& file) {
  H5Handle attr = open_attribute(object, name, file);
  std::uint64_t v = 0;
  check(H5Aread(attr.get(), H5T_NATIVE_UINT64, &v), file, fmt::format("cannot read attribute '{}'", name));
  return v;
}

void write_dataset(hid_t parent, const std::string& name, const std::vector<double>& values, const std::string& file) {
  const hsize_t n = values.size();
  write_array(parent, name, 1, &n, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values.data(), file);
}

std::vector<double> read_double_dataset(hid_t parent, const std::string& name, const std::string& file) {
  return read_dataset<double>(parent, name, H5T_NATIVE_DOUBLE, file);
}

std::vector<std::uint64_t> read_u64_dataset(hid_t parent, const std::string& name, const std::string& file) {
  return read_dataset<std::uint64_t>(parent, name, H5T_NATIVE_UINT64, file);
}

void write_u64_dataset(hid_t parent, const std::string& name, const std::vector<std::uint64_t>& values,
                       const std::string& file) {
  const hsize_t n = values.size();
  write_array(parent, name, 1, &n, H5T_STD_U64LE, H5T_NATIVE_UINT64, values.data(), file);
}

void write_matrix(hid_t parent, const std::string& name, const std::vector<double>& values, std::uint64_t rows,
                  std::uint64_t cols, const std::string& file) {
  if (values.size() != rows * cols)
    throw std::logic_error(fmt::format("{}: {} values for a {} x {} dataset '{}'", file, values.size(), rows, cols, name));
  const hsize_t dims[2] = {rows, cols};
  write_array(parent, name, 2, dims, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values.data(), file);
}

std::vector<double> read_matrix(hid_t parent, const std::string& name, std::uint64_t& rows, std::uint64_t& cols,
                                const std::string& file) {
  H5Handle set = checked(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, file,
                         fmt::format("missing dataset '{}'", name));
  H5Handle space = checked(H5Dget_space(set.get()), H5Sclose, file, "cannot read a dataspace");
  if (H5Sget_simple_extent_ndims(space.get()) != 2)
    throw std::runtime_error(fmt::format("{}: dataset '{}' is not two-dimensional", file, name));
  hsize_t dims[2] = {0, 0};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  rows = dims[0];
  cols = dims[1];
  std::vector<double> values(rows * cols);
  if (!values.empty())
    check(H5Dread(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), file,
          fmt::format("cannot read dataset '{}'", name));
  return values;
}

}  // namespace micromeso::io
