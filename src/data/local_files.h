// Local dataset files under --data-dir, in each dataset's published format.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "qdrift/dataset.h"
#include "qdrift/status.h"

namespace qdrift {

// The source's file under `data_dir`: data_dir/local_file as declared
// ("gsm8k/test.jsonl"), else the bare file name in data_dir ("test.jsonl"), so
// both a mirror of the published layout and a flat folder work. nullopt if neither.
std::optional<std::string> find_local_file(const std::string& data_dir, const DatasetSource& source);

// Reads and parses a local file; errors name path:line.
Result<std::vector<nlohmann::json>> read_local_rows(const std::string& path, LocalFormat format);

}  // namespace qdrift
