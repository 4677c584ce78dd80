#include "record/transcript_writer.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "process.h"
#include "util/files.h"
#include "util/utf8.h"

using namespace qdrift;
using qdrift::testing::TempDir;

namespace {

Transcript episode(const std::string& id, const std::string& answer) {
  return {{"agent", id, 0}, {{"user", "question " + id}, {"assistant", answer}}};
}

std::string slurp(const std::string& path) { return read_file(path).value(); }

}  // namespace

TEST_CASE("transcripts are appended one line per episode and finalized beside the run file", "[transcripts]") {
  TempDir dir;
  const std::string out = dir.file("run.json");
  TranscriptWriter writer;
  REQUIRE(writer.open(out).ok());
  REQUIRE(writer.append(episode("q-1", "A")).ok());
  // Flushed at once: a crash now loses nothing already appended.
  CHECK(slurp(transcripts_partial_path(out)) ==
        transcripts_header_line() + "\n" + transcript_line(episode("q-1", "A")) + "\n");
  REQUIRE(writer.append(episode("q-2", "B")).ok());
  writer.close();
  REQUIRE(finalize_transcripts(out, /*replace=*/false).ok());
  CHECK_FALSE(file_exists(transcripts_partial_path(out)));
  auto loaded = load_transcripts(transcripts_path(out));
  REQUIRE(loaded.ok());
  REQUIRE(loaded->size() == 2);
  CHECK((*loaded)[1].messages[1].content == "B");
  // A run that wrote no transcripts has nothing to finalize.
  CHECK(finalize_transcripts(dir.file("other.json"), false).ok());
  CHECK_FALSE(file_exists(transcripts_path(dir.file("other.json"))));
}

TEST_CASE("a resumed run keeps the last transcript of each finished episode - drops the rest and a torn line",
          "[transcripts]") {
  TempDir dir;
  const std::string out = dir.file("run.json");
  const std::string partial = transcripts_partial_path(out);
  std::ofstream(partial, std::ios::binary) << transcripts_header_line() << "\n"
                                           << transcript_line(episode("q-1", "first try")) << "\n"
                                           << transcript_line(episode("q-2", "B")) << "\n"
                                           << transcript_line(episode("q-1", "second try")) << "\n"
                                           << transcript_line(episode("q-3", "never checkpointed")) << "\n"
                                           << transcript_line(episode("q-4", "torn")).substr(0, 30);
  TranscriptWriter writer;
  REQUIRE(writer.resume(out, {{"agent", "q-1", 0}, {"agent", "q-2", 0}, {"agent", "q-4", 0}}).ok());
  REQUIRE(writer.append(episode("q-4", "D")).ok());
  writer.close();
  CHECK(slurp(partial) == transcripts_header_line() + "\n" + transcript_line(episode("q-2", "B")) + "\n" +
                              transcript_line(episode("q-1", "second try")) + "\n" +
                              transcript_line(episode("q-4", "D")) + "\n");

  // A partial file torn inside its header, or none at all, starts afresh.
  std::ofstream(partial, std::ios::binary) << transcripts_header_line().substr(0, 5);
  REQUIRE(writer.resume(out, {}).ok());
  writer.close();
  CHECK(slurp(partial) == transcripts_header_line() + "\n");
  std::filesystem::remove(partial);
  REQUIRE(writer.resume(out, {}).ok());
  writer.close();
  CHECK(slurp(partial) == transcripts_header_line() + "\n");
}

TEST_CASE("finalizing never replaces a sidecar without --force - and loses nothing", "[transcripts]") {
  TempDir dir;
  const std::string out = dir.file("run.json");
  REQUIRE(write_file_atomically(transcripts_path(out), "someone else's\n").ok());
  TranscriptWriter writer;
  REQUIRE(writer.open(out).ok());
  REQUIRE(writer.append(episode("q-1", "A")).ok());
  writer.close();
  const Status refused = finalize_transcripts(out, /*replace=*/false);
  CHECK(refused.kind() == ErrorKind::kUsage);
  CHECK(refused.message() == transcripts_path(out) + " exists; pass --force to replace it");
  CHECK(slurp(transcripts_path(out)) == "someone else's\n");
  CHECK(file_exists(transcripts_partial_path(out)));  // kept for --resume --force
  REQUIRE(finalize_transcripts(out, /*replace=*/true).ok());
  CHECK(load_transcripts(transcripts_path(out))->size() == 1);
  CHECK_FALSE(file_exists(transcripts_partial_path(out)));
}

TEST_CASE("model output that is not UTF-8 reaches the transcripts file as U+FFFD", "[transcripts]") {
  TempDir dir;
  const std::string out = dir.file("run.json");
  TranscriptWriter writer;
  REQUIRE(writer.open(out).ok());
  Transcript t = episode("q-\xC3", "broken \xFF bytes");
  t.messages[1].tool_calls = {{"c\xE2\x82", "bash", "{\"cmd\":\"\xF0\"}"}};
  REQUIRE(writer.append(t).ok());
  writer.close();
  REQUIRE(finalize_transcripts(out, false).ok());
  CHECK(first_invalid_utf8(slurp(transcripts_path(out))) == std::string::npos);
  auto loaded = load_transcripts(transcripts_path(out));
  REQUIRE(loaded.ok());
  CHECK((*loaded)[0].key.item_id == "q-\xEF\xBF\xBD");
  CHECK((*loaded)[0].messages[1].content == "broken \xEF\xBF\xBD bytes");
}
