#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "micromeso/output.hpp"

namespace micromeso {

void write_text_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(fmt::format("{}: cannot open for writing", file.string()));
  out << text;
  out.flush();
  if (!out) throw std::runtime_error(fmt::format("{}: write failed", file.string()));
}

}  // namespace micromeso
