// Appending, resuming and finalizing the transcripts sidecar.
#include "record/transcript_writer.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "util/files.h"

namespace qdrift {

using nlohmann::json;

std::string transcripts_partial_path(const std::string& out) { return transcripts_path(out) + ".partial"; }

Status TranscriptWriter::open(const std::string& out) {
  QDRIFT_TRY(file_.open(transcripts_partial_path(out), /*append=*/false, std::nullopt, "transcripts"));
  return file_.write(transcripts_header_line());
}

Status TranscriptWriter::resume(const std::string& out, const std::set<SampleKey>& finished) {
  const std::string path = transcripts_partial_path(out);
  if (!file_exists(path)) return open(out);
  std::vector<std::pair<SampleKey, std::string>> lines;
  bool has_header = false;
  auto read = read_json_lines(path, [&](int number, const std::string& text, const json& j) -> Status {
    const std::string where = fmt::format("{}: line {}", path, number);
    if (number == 1) {
      has_header = true;
      return check_transcripts_header(j, where);
    }
    auto transcript = transcript_from_json(j, where);
    if (!transcript.ok()) return transcript.status();
    lines.emplace_back(std::move(transcript->key), text);
    return Status::Ok();
  });
  if (!read.ok()) return read.status();
  if (!has_header) return open(out);  // killed while writing the header: nothing was kept
  // The last line of each finished episode, in file order.
  std::map<SampleKey, std::size_t> last;
  for (std::size_t i = 0; i < lines.size(); ++i) last[lines[i].first] = i;
  std::string kept = transcripts_header_line() + "\n";
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (last[lines[i].first] == i && finished.contains(lines[i].first)) kept += lines[i].second + "\n";
  // Rewritten whole, not cut in place: dropped lines can be anywhere in the file.
  QDRIFT_TRY(write_file_atomically(path, kept));
  return file_.open(path, /*append=*/true, std::nullopt, "transcripts");
}

Status TranscriptWriter::append(const Transcript& transcript) { return file_.write(transcript_line(transcript)); }

Status finalize_transcripts(const std::string& out, bool replace) {
  const std::string partial = transcripts_partial_path(out);
  if (!file_exists(partial)) return Status::Ok();
  QDRIFT_TRY(sync_file(partial));  // its lines were flushed, not synced: make them durable before the rename
  return move_into_place(partial, transcripts_path(out), replace);
}

}  // namespace qdrift
