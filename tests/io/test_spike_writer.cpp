// SONATA spike files: layout, attributes, order, chunked appends.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <fstream>

#include "io/hdf5_util.hpp"
#include "io_test_dir.hpp"
#include "micromeso/output.hpp"

using micromeso::testing::TempDirTest;
using SpikeFile = TempDirTest;

TEST_F(SpikeFile, RoundTripKeepsOrderValuesAndSonataAttributes) {
  const auto file = dir_ / "spikes.h5";
  const std::vector<std::string> names = {"L4E", "Empty", "A1"};  // not alphabetical
  std::vector<double> t0, t2;
  std::vector<std::uint64_t> n0, n2;
  {
    micromeso::SpikeWriter w(file, names);
    // 70,000 then 100,000 spikes: the appends cross the 65,536-element chunks.
    for (std::size_t part : {70000u, 100000u}) {
      std::vector<double> t(part);
      std::vector<std::uint64_t> n(part);
      for (std::size_t i = 0; i < part; ++i) {
        t[i] = 0.1 * static_cast<double>(t0.size() + i) + 1.0 / 3.0;
        n[i] = (t0.size() + i) * 7919 % 1000;
      }
      w.append(0, t, n);
      t0.insert(t0.end(), t.begin(), t.end());
      n0.insert(n0.end(), n.begin(), n.end());
    }
    w.append(1, {}, {});
    t2 = {0.5, 0.5, 2.25};
    n2 = {3, 1, 3};
    w.append(2, t2, n2);
    w.close();
    w.close();  // idempotent
  }
  const micromeso::SpikeData d = micromeso::read_spikes(file);
  EXPECT_EQ(d.names, names);
  EXPECT_EQ(d.times_ms[0], t0);
  EXPECT_EQ(d.node_ids[0], n0);
  EXPECT_TRUE(d.times_ms[1].empty());
  EXPECT_TRUE(d.node_ids[1].empty());
  EXPECT_EQ(d.times_ms[2], t2);
  EXPECT_EQ(d.node_ids[2], n2);

  const std::string f = file.string();
  micromeso::io::H5Handle h5 = micromeso::io::open_file_read(f);
  micromeso::io::H5Handle group = micromeso::io::open_group(h5.get(), "spikes/L4E", f);
  EXPECT_EQ(micromeso::io::read_string_attribute(group.get(), "sorting", f), "by_time");
  micromeso::io::H5Handle ts =
      micromeso::io::checked(H5Dopen2(group.get(), "timestamps", H5P_DEFAULT), H5Dclose, f, "timestamps");
  EXPECT_EQ(micromeso::io::read_string_attribute(ts.get(), "units", f), "ms");
}

TEST_F(SpikeFile, MismatchedLengthsAreRefused) {
  micromeso::SpikeWriter w(dir_ / "s.h5", {"E"});
  EXPECT_THROW(w.append(0, {1.0, 2.0}, {1}), std::invalid_argument);
  EXPECT_THROW(w.append(1, {1.0}, {1}), std::invalid_argument);
}

TEST_F(SpikeFile, ReadingSomethingElseNamesTheFile) {
  const auto file = dir_ / "not-hdf5.h5";
  std::ofstream(file) << "hello";
  try {
    micromeso::read_spikes(file);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not-hdf5.h5"), std::string::npos) << e.what();
  }
}
