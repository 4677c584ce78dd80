// The checkpoint: a JSONL file appended as samples finish, so a crash or an
// interrupt loses nothing and --resume re-requests only what is missing.
// Line 1 is a header with everything that must match to resume; each further
// line is one (bench, item, sample) outcome.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "qdrift/record.h"
#include "qdrift/status.h"
#include "util/json_lines.h"

namespace qdrift {

using CheckpointKey = SampleKey;

struct CheckpointContents {
  std::string header;  // the header line as written; "" when the file is empty or its header torn
  std::map<CheckpointKey, SampleRecord> samples;
  // A baseline's first answers, kept so a resumed baseline chooses its tripwire
  // corpus from every item, not only those answered after the resume.
  std::map<CheckpointKey, std::string> corpus_texts;
  int dropped_lines = 0;       // a torn last line from a crash
  std::size_t kept_bytes = 0;  // the file's length without the dropped line
};

// Reads a checkpoint; a torn final line is dropped and counted (a torn header
// as the only line leaves an empty header: nothing was kept), any other bad
// line is an error naming the file and line.
Result<CheckpointContents> read_checkpoint(const std::string& path);

class CheckpointWriter {
 public:
  // Starts a new file with `header`, or appends to an existing one when `append`,
  // first cutting it to `keep_bytes` (CheckpointContents::kept_bytes) when given.
  Status open(const std::string& path, const std::string& header, bool append,
              std::optional<std::size_t> keep_bytes = std::nullopt);
  // `corpus_text`, when not empty, is stored beside the sample (baselines only).
  Status append(const CheckpointKey& key, const SampleRecord& sample, const std::string& corpus_text = "");
  void close();

 private:
  JsonLinesAppender file_;
};

}  // namespace qdrift
