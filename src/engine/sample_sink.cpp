// SampleSink: checkpoint first, then memory, so what the run file will hold is
// always on disk before it is counted.
#include "engine/sample_sink.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "qdrift/stats.h"

namespace qdrift {

SampleRecord sample_from_episode(const EpisodeResult& result) {
  SampleRecord sample;
  sample.error = result.error;
  if (!result.error.empty()) return sample;
  sample.correct = result.correct;
  sample.answer = result.answer;
  sample.finish = result.finish;
  sample.completion_tokens = result.completion_tokens;
  sample.reasoning_tokens = result.reasoning_tokens;
  sample.explanation = result.explanation;
  sample.turns = result.turns;
  sample.turn_cap_hit = result.turn_cap_hit;
  sample.tool_calls = result.tool_calls;
  sample.tool_errors = result.tool_errors;
  if (result.judge_pass) sample.judge_verdict = *result.judge_pass ? "pass" : "fail";
  sample.judge_key = result.judge_key;
  if (result.judge_repeat) sample.judge_repeat = *result.judge_repeat ? "pass" : "fail";
  return sample;
}

namespace {

Transcript transcript_of(const EpisodeTask& task, const std::vector<ChatMessage>& messages) {
  Transcript transcript{{task.bench_name, task.item_id, task.sample}, {}};
  for (const ChatMessage& m : messages) {
    TranscriptMessage message{m.role, m.content};
    message.reasoning = m.reasoning;
    message.tool_call_id = m.tool_call_id;
    for (const ToolCall& call : m.tool_calls) message.tool_calls.push_back({call.id, call.name, call.arguments});
    transcript.messages.push_back(std::move(message));
  }
  return transcript;
}

}  // namespace

void SampleSink::keep_transcripts(TranscriptWriter& writer, std::string out, bool opened) {
  transcripts_ = &writer;
  transcripts_out_ = std::move(out);
  transcripts_opened_ = opened;
}

SampleSink::SampleSink(const RunPlan& plan, CheckpointWriter& checkpoint, RunObserver& observer, bool keep_corpus_text)
    : plan_(plan), checkpoint_(checkpoint), observer_(observer), keep_corpus_text_(keep_corpus_text) {
  for (const PlannedBench& p : plan.benches) {
    BenchProgress progress;
    progress.results.assign(p.items.size(),
                            std::vector<std::optional<SampleRecord>>(static_cast<std::size_t>(p.settings.samples * p.repeats)));
    progress.first_answer.assign(p.items.size(), "");
    benches_.push_back(std::move(progress));
  }
}

std::size_t SampleSink::restore(const CheckpointContents& contents) {
  std::size_t restored = 0;
  for (std::size_t b = 0; b < plan_.benches.size(); ++b) {
    const PlannedBench& p = plan_.benches[b];
    BenchProgress& progress = benches_[b];
    for (std::size_t i = 0; i < p.items.size(); ++i)
      for (std::size_t k = 0; k < progress.results[i].size(); ++k) {
        const CheckpointKey key{p.bench->name(), p.items[i].id, static_cast<int>(k)};
        auto it = contents.samples.find(key);
        if (it == contents.samples.end()) continue;
        progress.results[i][k] = it->second;
        ++restored;
        if (auto text = contents.corpus_texts.find(key); text != contents.corpus_texts.end())
          progress.first_answer[i] = text->second;
      }
    for (std::size_t i = 0; i < p.items.size(); ++i) progress.items_done += item_complete(b, i);
  }
  return restored;
}

void SampleSink::attach_baseline(const RunFile& baseline, double threshold) {
  threshold_ = threshold;
  for (std::size_t b = 0; b < plan_.benches.size(); ++b) {
    const PlannedBench& p = plan_.benches[b];
    const BenchRecord* match = nullptr;
    for (const BenchRecord& record : baseline.benches)
      if (record.name == p.bench->name()) match = &record;
    if (!match || match->dataset_sha256 != p.dataset_sha256 ||
        settings_to_json(match->settings) != settings_to_json(p.settings))
      continue;  // not comparable: the report will say so; no early stop here
    std::map<std::string, bool> outcome_by_id;
    for (const ItemRecord& item : first_repeat(*match).items) outcome_by_id[item.id] = item_outcome(item);
    BenchProgress& progress = benches_[b];
    progress.baseline_outcome.assign(p.items.size(), std::nullopt);
    for (std::size_t i = 0; i < p.items.size(); ++i)
      if (auto it = outcome_by_id.find(p.items[i].id); it != outcome_by_id.end())
        progress.baseline_outcome[i] = it->second;
    progress.items_done = 0;
    for (std::size_t i = 0; i < p.items.size(); ++i)
      if (item_complete(b, i)) finish_item(b, i);
    if (threshold_ > 0) advance_early_stop(b);
  }
}

bool SampleSink::item_complete(std::size_t bench, std::size_t item) const {
  const auto& samples = benches_[bench].results[item];
  return std::all_of(samples.begin(), samples.end(), [](const auto& s) { return s.has_value(); });
}

// The item's outcome is its samples' (maj@K), as the report grades it.
void SampleSink::finish_item(std::size_t bench, std::size_t item) {
  BenchProgress& p = benches_[bench];
  ++p.items_done;
  if (p.baseline_outcome.empty() || !p.baseline_outcome[item]) return;
  ItemRecord record{plan_.benches[bench].items[item].id, "", {}, 1, ""};
  for (const auto& s : p.results[item]) record.samples.push_back(*s);
  const bool base = *p.baseline_outcome[item], candidate = item_outcome(record);
  p.seen_losses += base && !candidate;
  p.seen_wins += !base && candidate;
}

std::vector<EpisodeTask> SampleSink::missing_tasks() const {
  std::vector<EpisodeTask> tasks;
  for (std::size_t b = 0; b < plan_.benches.size(); ++b) {
    const PlannedBench& p = plan_.benches[b];
    for (std::size_t i = 0; i < p.items.size(); ++i)
      for (std::size_t k = 0; k < benches_[b].results[i].size(); ++k)
        if (!benches_[b].results[i][k]) tasks.push_back({b, i, static_cast<int>(k), p.bench->name(), p.items[i].id});
  }
  return tasks;
}

Status SampleSink::record(const EpisodeTask& task, EpisodeResult&& result) {
  SampleRecord sample = sample_from_episode(result);
  BenchProgress& progress = benches_[task.bench];
  if (task.sample == 0 && !result.corpus_text.empty()) progress.first_answer[task.item] = std::move(result.corpus_text);
  const bool keep_text = keep_corpus_text_ && task.sample == 0;
  const std::string corpus_text = keep_text ? progress.first_answer[task.item] : std::string();
  if (transcripts_ && !result.transcript.empty()) {
    if (!transcripts_opened_) {
      if (Status s = transcripts_->open(transcripts_out_); !s.ok()) return s;
      transcripts_opened_ = true;
    }
    if (Status s = transcripts_->append(transcript_of(task, result.transcript)); !s.ok()) return s;
  }
  if (Status s = checkpoint_.append({task.bench_name, task.item_id, task.sample}, sample, corpus_text); !s.ok())
    return s;
  std::lock_guard<std::mutex> lock(mutex_);
  progress.results[task.item][static_cast<std::size_t>(task.sample)] = std::move(sample);
  const int requests = std::max(1, result.turns);
  progress.requests += requests;
  run_requests_ += requests;
  if (item_complete(task.bench, task.item)) finish_item(task.bench, task.item);
  const bool paired = !progress.baseline_outcome.empty();
  observer_.sample_finished({task.bench_name, progress.items_done, progress.results.size(), progress.requests,
                             run_requests_, paired ? progress.seen_losses : -1, paired ? progress.seen_wins : -1});
  if (threshold_ > 0) advance_early_stop(task.bench);
  return Status::Ok();
}

bool SampleSink::stopped(std::size_t bench) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return benches_[bench].stopped.has_value();
}

std::size_t SampleSink::samples_done() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t done = 0;
  for (const BenchProgress& progress : benches_)
    for (const auto& item : progress.results)
      for (const auto& sample : item) done += sample.has_value();
  return done;
}

// Grades the items finished in a row from the front (item order, not completion
// order, so the stopping rule cannot depend on which answers come back fast).
void SampleSink::advance_early_stop(std::size_t bench) {
  BenchProgress& p = benches_[bench];
  if (p.baseline_outcome.empty() || p.stopped) return;
  const PlannedBench& planned = plan_.benches[bench];
  while (p.graded < p.results.size()) {
    const auto& samples = p.results[p.graded];
    if (!std::all_of(samples.begin(), samples.end(), [](const auto& s) { return s.has_value(); })) return;
    if (const auto& base = p.baseline_outcome[p.graded]) {
      ItemRecord item{planned.items[p.graded].id, "", {}, 1, ""};
      for (const auto& s : samples) item.samples.push_back(*s);
      const bool candidate = item_outcome(item);
      p.losses += *base && !candidate;
      p.wins += !*base && candidate;
    }
    ++p.graded;
    const double e = stats::flip_e_value(p.losses, p.wins);
    if (e >= threshold_) {
      p.stopped = EarlyStop{static_cast<std::int64_t>(p.graded), 0, e, threshold_};
      return;
    }
  }
}

}  // namespace qdrift
