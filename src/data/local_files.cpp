// Local dataset files: locate them under --data-dir and parse them by format.
#include "data/local_files.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "data/text_rows.h"
#include "util/files.h"

namespace qdrift {

namespace fs = std::filesystem;

std::optional<std::string> find_local_file(const std::string& data_dir, const DatasetSource& source) {
  if (data_dir.empty() || source.local_file.empty()) return std::nullopt;
  std::error_code ec;
  const fs::path as_declared = fs::path(data_dir) / source.local_file;
  if (fs::is_regular_file(as_declared, ec)) return as_declared.string();
  const fs::path flat = fs::path(data_dir) / fs::path(source.local_file).filename();
  if (fs::is_regular_file(flat, ec)) return flat.string();
  return std::nullopt;
}

Result<std::vector<nlohmann::json>> read_local_rows(const std::string& path, LocalFormat format) {
  Result<std::string> text = read_file(path);
  if (!text.ok()) return text.status();
  return format == LocalFormat::kCsv ? parse_csv_rows(*text, path) : parse_jsonl_rows(*text, path);
}

}  // namespace qdrift
