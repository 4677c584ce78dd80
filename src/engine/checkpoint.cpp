// Checkpoint reading and appending.
#include "engine/checkpoint.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/files.h"
#include "util/json_text.h"

namespace qdrift {

using nlohmann::json;

Result<CheckpointContents> read_checkpoint(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  CheckpointContents contents;
  std::istringstream lines(*text);
  std::string line;
  int number = 0;
  const bool ends_cleanly = !text->empty() && text->back() == '\n';
  std::size_t line_start = 0;
  while (std::getline(lines, line)) {
    ++number;
    const bool last = lines.peek() == EOF;
    const std::size_t this_line_start = line_start;
    line_start += line.size() + 1;
    if (number == 1) {
      if (json::parse(line, nullptr, false).is_discarded()) {
        if (last && !ends_cleanly) {  // killed while writing the header: nothing was kept yet
          ++contents.dropped_lines;
          contents.kept_bytes = this_line_start;
          break;
        }
        return Status::BadInput(fmt::format("{}: line 1: the checkpoint header is not JSON", path));
      }
      contents.header = line;
      continue;
    }
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      if (last && !ends_cleanly) {  // torn by a crash mid-write: drop it, it is re-requested
        ++contents.dropped_lines;
        contents.kept_bytes = this_line_start;
        break;
      }
      return Status::BadInput(fmt::format("{}: line {}: not a JSON object", path, number));
    }
    auto sample = sample_from_json(j, fmt::format("{}: line {}", path, number));
    if (!sample.ok()) return sample.status();
    if (!j.contains("bench") || !j["bench"].is_string() || !j.contains("id") || !j["id"].is_string() ||
        !j.contains("sample") || !j["sample"].is_number_integer())
      return Status::BadInput(fmt::format("{}: line {}: missing bench, id or sample", path, number));
    const CheckpointKey key{j["bench"], j["id"], j["sample"].get<int>()};
    contents.samples[key] = *sample;
    if (j.contains("corpus_text") && j["corpus_text"].is_string()) contents.corpus_texts[key] = j["corpus_text"];
  }
  if (contents.dropped_lines == 0) contents.kept_bytes = text->size();
  return contents;
}

CheckpointWriter::~CheckpointWriter() { close(); }

Status CheckpointWriter::open(const std::string& path, const std::string& header, bool append,
                              std::optional<std::size_t> keep_bytes) {
  close();
  if (Status s = ensure_parent_dir(path); !s.ok()) return s;
  if (append && keep_bytes) {
    // Cut a torn last line away first: appending after it would glue the next
    // line to it, and that line, no longer last, would make the file unreadable.
    std::error_code ec;
    std::filesystem::resize_file(path, *keep_bytes, ec);
    if (ec) return Status::Io(fmt::format("{}: cannot drop the torn last line: {}", path, ec.message()));
  }
  file_ = std::fopen(path.c_str(), append ? "a+" : "w");
  if (!file_) return Status::Io(fmt::format("{}: cannot open checkpoint: {}", path, std::strerror(errno)));
  path_ = path;
  if (append && std::fseek(file_, -1, SEEK_END) == 0) {
    const int last = std::fgetc(file_);
    std::fseek(file_, 0, SEEK_END);  // a read is followed by a seek before the next write
    if (last != '\n') {  // the last line is whole but its newline never came: end it first
      std::fputc('\n', file_);
      std::fflush(file_);
    }
  }
  if (!append) {
    std::fputs((header + "\n").c_str(), file_);
    std::fflush(file_);
  }
  return Status::Ok();
}

Status CheckpointWriter::append(const CheckpointKey& key, const SampleRecord& sample, const std::string& corpus_text) {
  nlohmann::ordered_json j = {{"bench", key.bench}, {"id", key.item_id}, {"sample", key.sample}};
  j.update(sample_to_json(sample));
  if (!corpus_text.empty()) j["corpus_text"] = corpus_text;
  const std::string line = json_text(j) + "\n";
  // One write per line, flushed at once: a crash can tear at most the last line.
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0)
    return Status::Io(fmt::format("{}: checkpoint write failed: {}", path_, std::strerror(errno)));
  return Status::Ok();
}

void CheckpointWriter::close() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

}  // namespace qdrift
