// Checkpoint reading and appending.
#include "engine/checkpoint.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "util/json_append.h"
#include "util/json_text.h"

namespace qdrift {

using nlohmann::json;

Result<CheckpointContents> read_checkpoint(const std::string& path) {
  CheckpointContents contents;
  auto read = read_json_lines(path, [&](int number, const std::string& text, const json& j) -> Status {
    if (number == 1) {
      contents.header = text;
      return Status::Ok();
    }
    auto sample = sample_from_json(j, fmt::format("{}: line {}", path, number));
    if (!sample.ok()) return sample.status();
    if (!j.contains("bench") || !j["bench"].is_string() || !j.contains("id") || !j["id"].is_string() ||
        !j.contains("sample") || !j["sample"].is_number_integer())
      return Status::BadInput(fmt::format("{}: line {}: missing bench, id or sample", path, number));
    const CheckpointKey key{j["bench"], j["id"], j["sample"].get<int>()};
    contents.samples[key] = *sample;
    if (j.contains("corpus_text") && j["corpus_text"].is_string()) contents.corpus_texts[key] = j["corpus_text"];
    return Status::Ok();
  });
  if (!read.ok()) return read.status();
  contents.dropped_lines = read->dropped_lines;
  contents.kept_bytes = read->kept_bytes;
  return contents;
}

Status CheckpointWriter::open(const std::string& path, const std::string& header, bool append,
                              std::optional<std::size_t> keep_bytes) {
  QDRIFT_TRY(file_.open(path, append, keep_bytes, "checkpoint"));
  return append ? Status::Ok() : file_.write(header);
}

Status CheckpointWriter::append(const CheckpointKey& key, const SampleRecord& sample, const std::string& corpus_text) {
  // By hand, one line per sample: the keys and bytes ordered_json would write.
  std::string line = "{";
  JsonMembers(line).text("bench", key.bench).text("id", key.item_id).integer("sample", key.sample);
  line += ',';
  append_sample_fields(line, sample);
  if (!corpus_text.empty()) JsonMembers(line, false).text("corpus_text", corpus_text);
  line += '}';
  return file_.write(line);
}

void CheckpointWriter::close() { file_.close(); }

}  // namespace qdrift
