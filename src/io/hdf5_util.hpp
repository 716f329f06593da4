// Small RAII and checking layer over the HDF5 C API, shared by the spike and
// activity files. Every failing call throws std::runtime_error naming the
// file and the operation; HDF5's own error printing is silenced.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace micromeso::io {

class H5Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  H5Handle() = default;
  H5Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  H5Handle(H5Handle&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = -1; }
  H5Handle& operator=(H5Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      closer_ = o.closer_;
      o.id_ = -1;
    }
    return *this;
  }
  H5Handle(const H5Handle&) = delete;
  H5Handle& operator=(const H5Handle&) = delete;
  ~H5Handle() { reset(); }
  hid_t get() const { return id_; }
  // Closes now; returns false if HDF5 reports a failure (data not flushed).
  bool reset() {
    bool ok = true;
    if (id_ >= 0 && closer_) ok = closer_(id_) >= 0;
    id_ = -1;
    return ok;
  }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

// Throws "<file>: <what>" when id < 0, else wraps it.
H5Handle checked(hid_t id, H5Handle::Closer closer, const std::string& file, const std::string& what);
void check(herr_t status, const std::string& file, const std::string& what);
void silence_hdf5_errors();

H5Handle create_file(const std::string& file);
H5Handle open_file_read(const std::string& file);
H5Handle create_group(hid_t parent, const std::string& name, const std::string& file);
// Creation properties of class `cls` (H5P_GROUP_CREATE, H5P_DATASET_CREATE)
// without HDF5's modification times, which it stores by default in every
// object: without them the same run writes the same bytes, whether in one
// process or over MPI ranks, today or tomorrow.
H5Handle untimed_creation_properties(hid_t cls, const std::string& file);
H5Handle open_group(hid_t parent, const std::string& name, const std::string& file);

void write_string_attribute(hid_t object, const std::string& name, const std::string& value, const std::string& file);
void write_string_array_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values,
                                  const std::string& file);
void write_double_attribute(hid_t object, const std::string& name, double value, const std::string& file);
void write_u64_attribute(hid_t object, const std::string& name, std::uint64_t value, const std::string& file);
void write_u32_array_attribute(hid_t object, const std::string& name, const std::vector<std::uint32_t>& values,
                               const std::string& file);

std::string read_string_attribute(hid_t object, const std::string& name, const std::string& file);
std::vector<std::string> read_string_array_attribute(hid_t object, const std::string& name, const std::string& file);
double read_double_attribute(hid_t object, const std::string& name, const std::string& file);
std::uint64_t read_u64_attribute(hid_t object, const std::string& name, const std::string& file);

// A whole dataset of `rank` dimensions `dims`, written at once.
void write_array(hid_t parent, const std::string& name, int rank, const hsize_t* dims, hid_t file_type,
                 hid_t mem_type, const void* data, const std::string& file);
// Whole 1-D datasets of float64 or uint64.
void write_dataset(hid_t parent, const std::string& name, const std::vector<double>& values, const std::string& file);
std::vector<double> read_double_dataset(hid_t parent, const std::string& name, const std::string& file);
std::vector<std::uint64_t> read_u64_dataset(hid_t parent, const std::string& name, const std::string& file);
void write_u64_dataset(hid_t parent, const std::string& name, const std::vector<std::uint64_t>& values,
                       const std::string& file);
// 2-D float64 datasets, row-major [rows][cols].
void write_matrix(hid_t parent, const std::string& name, const std::vector<double>& values, std::uint64_t rows,
                  std::uint64_t cols, const std::string& file);
std::vector<double> read_matrix(hid_t parent, const std::string& name, std::uint64_t& rows, std::uint64_t& cols,
                                const std::string& file);

}  // namespace micromeso::io
