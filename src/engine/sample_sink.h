// The sample sink: where each finished episode lands. It appends the sample to
// the checkpoint (a crash loses nothing), keeps it for the run file, tells the
// observer, and — with --stop-early — grades the bench against the baseline in
// item order and ends it once the evidence of degradation is conclusive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/checkpoint.h"
#include "engine/request_loop.h"
#include "engine/run_observer.h"
#include "engine/run_plan.h"
#include "qdrift/record.h"
#include "record/transcript_writer.h"

namespace qdrift {

// The samples of one bench as they arrive.
struct BenchProgress {
  std::vector<std::vector<std::optional<SampleRecord>>> results;  // [item][sample]
  std::vector<std::string> first_answer;  // prompt + first answer per item: a baseline's tripwire corpus
  // Early stop: the baseline's outcome per item (when comparable) and the flip
  // tally over the prefix of items graded so far.
  std::vector<std::optional<bool>> baseline_outcome;
  std::size_t graded = 0;
  std::int64_t losses = 0, wins = 0;
  std::optional<EarlyStop> stopped;
  // For the progress display: items finished (in any order), the flips among
  // them against the baseline, and the model requests behind this process's samples.
  std::size_t items_done = 0;
  std::int64_t seen_losses = 0, seen_wins = 0;
  std::int64_t requests = 0;
};

// A finished episode as the run file keeps it.
SampleRecord sample_from_episode(const EpisodeResult& result);

class SampleSink {
 public:
  // `checkpoint` and `observer` must outlive the sink; `keep_corpus_text` stores
  // each item's first answer in the checkpoint (baselines: the tripwire corpus).
  SampleSink(const RunPlan& plan, CheckpointWriter& checkpoint, RunObserver& observer, bool keep_corpus_text);

  // Episodes that keep a transcript append it to `writer` (before the checkpoint
  // line, so a kept sample always has its transcript); the file of run `out` is
  // started on the first one unless `opened` (a resumed run's partial file).
  void keep_transcripts(TranscriptWriter& writer, std::string out, bool opened);

  // Takes the samples a checkpoint holds; returns how many.
  std::size_t restore(const CheckpointContents& contents);
  // Pairs each bench with the baseline's (when comparable) for the running
  // losses and wins; with --stop-early (`threshold` > 0) also stops a bench at
  // e-value >= `threshold`. Catches up on restored samples.
  void attach_baseline(const RunFile& baseline, double threshold);

  // Every sample not yet kept, in bench, item, sample order.
  std::vector<EpisodeTask> missing_tasks() const;
  // Called one at a time (RequestLoop serialises it); fails when the checkpoint cannot be written.
  Status record(const EpisodeTask& task, EpisodeResult&& result);
  // Whether early stop has ended this bench. Safe from any thread.
  bool stopped(std::size_t bench) const;

  std::size_t samples_done() const;
  // The progress of each bench, for the final file; call once the loop is over.
  std::vector<BenchProgress>& benches() { return benches_; }

 private:
  void advance_early_stop(std::size_t bench);
  // Counts item `item` of `bench` as finished, and its flip when the baseline has it.
  void finish_item(std::size_t bench, std::size_t item);
  // Whether every sample of the item is kept.
  bool item_complete(std::size_t bench, std::size_t item) const;

  const RunPlan& plan_;
  CheckpointWriter& checkpoint_;
  RunObserver& observer_;
  bool keep_corpus_text_;
  TranscriptWriter* transcripts_ = nullptr;
  std::string transcripts_out_;
  bool transcripts_opened_ = false;
  double threshold_ = 0;
  std::int64_t run_requests_ = 0;  // model requests behind every sample this process kept
  mutable std::mutex mutex_;  // record() against stopped() from the lane's thread
  std::vector<BenchProgress> benches_;
};

}  // namespace qdrift
