// JSON Lines files appended while a run goes (the checkpoint, the transcripts
// sidecar): one flushed write per line, so a crash tears at most the last line;
// a reader drops that line and a writer reopening the file cuts it off first.
#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "qdrift/status.h"

namespace qdrift {

struct JsonLinesRead {
  int dropped_lines = 0;       // a torn last line from a crash (0 or 1)
  std::size_t kept_bytes = 0;  // the file's length without the dropped line
};

// Calls `on_line(number, text, value)` for each line of `path` in order (numbers
// from 1). A last line without its newline that is not a JSON object was torn by
// a crash: it is dropped and counted. Any other line that is not a JSON object is
// an error "<path>: line N: not a JSON object"; an error from `on_line` stops the
// read and is returned as it is.
using JsonLineVisitor = std::function<Status(int number, const std::string& text, const nlohmann::json& value)>;
Result<JsonLinesRead> read_json_lines(const std::string& path, const JsonLineVisitor& on_line);

// Appends lines to a file, each written whole and flushed at once.
class JsonLinesAppender {
 public:
  JsonLinesAppender() = default;
  ~JsonLinesAppender();
  JsonLinesAppender(const JsonLinesAppender&) = delete;
  JsonLinesAppender& operator=(const JsonLinesAppender&) = delete;

  // Creates or empties `path`, or with `append` continues it, first cutting it to
  // `keep_bytes` (JsonLinesRead::kept_bytes) when given. `noun` names the file in
  // errors ("checkpoint").
  Status open(const std::string& path, bool append, std::optional<std::size_t> keep_bytes, const std::string& noun);
  // Writes `line` and a newline.
  Status write(const std::string& line);
  void close();
  bool is_open() const { return file_ != nullptr; }

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  std::string noun_;
};

}  // namespace qdrift
