// Reading and appending JSON Lines files that a crash may have torn.
#include "util/json_lines.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "util/files.h"

namespace qdrift {

using nlohmann::json;

Result<JsonLinesRead> read_json_lines(const std::string& path, const JsonLineVisitor& on_line) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  JsonLinesRead read;
  read.kept_bytes = text->size();
  std::size_t start = 0;
  for (int number = 1; start < text->size(); ++number) {
    const std::size_t newline = text->find('\n', start);
    const bool ended = newline != std::string::npos;  // a line without its newline can only be the last
    const std::string line = text->substr(start, ended ? newline - start : std::string::npos);
    json value = json::parse(line, nullptr, false);
    if (value.is_discarded() || !value.is_object()) {
      if (!ended) {  // torn by a crash mid-write: drop it, its work is done again
        read.dropped_lines = 1;
        read.kept_bytes = start;
        break;
      }
      return Status::BadInput(fmt::format("{}: line {}: not a JSON object", path, number));
    }
    QDRIFT_TRY(on_line(number, line, value));
    start = ended ? newline + 1 : text->size();
  }
  return read;
}

JsonLinesAppender::~JsonLinesAppender() { close(); }

Status JsonLinesAppender::open(const std::string& path, bool append, std::optional<std::size_t> keep_bytes,
                               const std::string& noun) {
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
  if (!file_) return Status::Io(fmt::format("{}: cannot open {}: {}", path, noun, std::strerror(errno)));
  path_ = path;
  noun_ = noun;
  if (append && std::fseek(file_, -1, SEEK_END) == 0) {
    const int last = std::fgetc(file_);
    std::fseek(file_, 0, SEEK_END);  // a read is followed by a seek before the next write
    if (last != '\n') {              // the last line is whole but its newline never came: end it first
      std::fputc('\n', file_);
      std::fflush(file_);
    }
  }
  return Status::Ok();
}

Status JsonLinesAppender::write(const std::string& line) {
  const std::string text = line + "\n";
  // One write per line, flushed at once: a crash can tear at most the last line.
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0)
    return Status::Io(fmt::format("{}: {} write failed: {}", path_, noun_, std::strerror(errno)));
  return Status::Ok();
}

void JsonLinesAppender::close() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

}  // namespace qdrift
