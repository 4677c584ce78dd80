// `qdrift merge SHARD... --out RUN.json`: the shard files of one run (`run
// --shard I/N`) joined into the whole run's file (the rules: record/merge.h),
// and their transcripts sidecars into its sidecar.
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.h"
#include "qdrift/transcript.h"
#include "record/merge.h"
#include "util/files.h"

namespace qdrift::cli {

namespace {

bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  return std::filesystem::weakly_canonical(a, error) == std::filesystem::weakly_canonical(b, error);
}

// Nothing already written is replaced without --force, and no input ever.
Status check_out(const MergeOptions& o) {
  for (const std::string& input : o.inputs)
    if (same_file(input, o.out))
      return Status::Usage(fmt::format("--out {} is one of the shard files: write the merged run elsewhere", o.out));
  for (const std::string& path : {o.out, transcripts_path(o.out)})
    if (file_exists(path) && !o.force)
      return Status::Usage(fmt::format("{} exists; pass --force to replace it or --out to write elsewhere", path));
  return Status::Ok();
}

// The shards' sidecars (those that have one: one-shot benches write none), one
// after another in shard order: readers key episodes by (bench, item, sample).
Result<std::string> merged_transcripts(const std::vector<std::string>& inputs) {
  std::string text;
  for (const std::string& input : inputs) {
    if (!file_exists(transcripts_path(input))) continue;
    auto transcripts = load_transcripts(transcripts_path(input));
    if (!transcripts.ok()) return transcripts.status();
    for (const Transcript& transcript : *transcripts) text += transcript_line(transcript) + "\n";
  }
  return text.empty() ? text : transcripts_header_line() + "\n" + text;
}

}  // namespace

void setup_merge(CLI::App* cmd, MergeOptions& o) {
  cmd->add_option("shards", o.inputs,
                  "the shard files of one run, in any order: every shard 0 to N-1 of `run --shard I/N` (or "
                  "`collect-baseline --shard I/N`), each finished")
      ->required();
  cmd->add_option("--out", o.out, "where to write the whole run's file")->required();
  cmd->add_flag("--force", o.force, "replace --out (and its transcripts sidecar) if it exists");
  cmd->footer(
      "The merged file is what one unsharded run writes: each bench's items in the whole run's\n"
      "order, request counts summed, created_at of the last shard to finish, shard 0's tripwire\n"
      "(only shard 0 runs it). Grade it like any run file (`qdrift diff BASELINE RUN.json`).\n\n"
      "Refused, with one line naming the file: a file that is not a finished shard (a whole run,\n"
      "a checkpoint, an item short of samples); shards of different runs (model, server, qdrift\n"
      "version, tier, seed, --limit, shard count, benches, settings, dataset sha256, repeats);\n"
      "a shard given twice; a missing shard; items that no shard holds.\n\n"
      "Exit codes: 0 merged, 3 error (bad or mismatched input files, --out exists without --force).\n\n"
      "Example, after a 4-task job array wrote shards/0.json .. shards/3.json:\n"
      "  qdrift merge shards/*.json --out baselines/my-model/standard-s0.json");
}

Result<Outcome> run_merge(const MergeOptions& o) {
  if (Status s = check_out(o); !s.ok()) return s;
  std::vector<ShardFile> shards;
  for (const std::string& input : o.inputs) {
    auto run = load_run_file(input);
    if (!run.ok()) return run.status();
    shards.push_back({input, std::move(run).value()});
  }
  auto merged = merge_shards(shards);
  if (!merged.ok()) return merged.status();
  auto transcripts = merged_transcripts(o.inputs);  // read before anything is written
  if (!transcripts.ok()) return transcripts.status();
  if (Status s = write_file_atomically(o.out, serialize_run_file(merged->run), o.force); !s.ok()) return s;
  if (!transcripts->empty())
    if (Status s = write_file_atomically(transcripts_path(o.out), *transcripts, o.force); !s.ok()) return s;
  for (const std::string& note : merged->notes) std::fprintf(stderr, "note: %s\n", note.c_str());
  std::size_t items = 0;
  std::string benches;
  for (const BenchRecord& bench : merged->run.benches) {
    items += bench.items.size();
    benches += (benches.empty() ? "" : ", ") + bench.name;
  }
  std::fprintf(stderr, "wrote %s: %zu items (%s) from %zu shards\n", o.out.c_str(), items, benches.c_str(),
               shards.size());
  return Outcome::kOk;
}

}  // namespace qdrift::cli
