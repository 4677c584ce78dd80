// Writing the transcripts sidecar while a run goes: each finished episode is
// appended to `<out>.transcripts.jsonl.partial` (one flushed line, like the
// checkpoint), and the finished run moves it to `<out>.transcripts.jsonl` under
// the same no-clobber rule as the run file.
#pragma once

#include <set>
#include <string>

#include "qdrift/status.h"
#include "qdrift/transcript.h"
#include "util/json_lines.h"

namespace qdrift {

// "<out>.transcripts.jsonl.partial": where a run's transcripts go until it finishes.
std::string transcripts_partial_path(const std::string& out);

// Not thread-safe: callers serialise appends, as they do the checkpoint's.
class TranscriptWriter {
 public:
  // Starts the partial file of run file `out` afresh (an old one is replaced).
  Status open(const std::string& out);
  // Continues a resumed run's partial file: keeps the last line of each episode
  // in `finished` (those the checkpoint holds) and drops every other line: an
  // episode the checkpoint lacks runs again from turn 0, and a torn last line
  // goes with it. Starts afresh when there is no file or its header was torn.
  Status resume(const std::string& out, const std::set<SampleKey>& finished);
  Status append(const Transcript& transcript);
  void close() { file_.close(); }

 private:
  JsonLinesAppender file_;
};

// Moves the partial file of `out` to transcripts_path(out), atomically. With
// `replace` false an existing sidecar is left alone: a Usage error naming
// --force, and the partial file stays for a rerun with --resume --force. Does
// nothing when there is no partial file.
Status finalize_transcripts(const std::string& out, bool replace);

}  // namespace qdrift
