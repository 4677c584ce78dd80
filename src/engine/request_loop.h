// The request loop: plays episodes to their end. Model requests go out on the
// model lane (the calling thread's transport, -c in flight), judge requests on
// the judge lane (its own thread and concurrency); replies are read on scoring
// workers and tool calls run on tool workers, so no lane ever waits on either.
// At most `max_live_episodes` are open at once, so memory does not grow with
// the bench; new ones start, in task order, as others finish.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "qdrift/endpoint.h"
#include "qdrift/episode.h"
#include "qdrift/http_pool.h"
#include "qdrift/status.h"

namespace qdrift {

// One (bench, item, sample) to play; the indices are the caller's.
struct EpisodeTask {
  std::size_t bench = 0;
  std::size_t item = 0;
  int sample = 0;
  std::string bench_name;  // with the item id and sample, seeds every request
  std::string item_id;
};

struct RequestLoopOptions {
  Endpoint model;                     // where AskModel goes (model name filled)
  std::optional<Endpoint> judge;      // where AskJudge goes; unset: a judge step fails the sample
  std::uint64_t run_seed = 0;
  unsigned scoring_workers = 0;       // threads reading replies; 0 = one per core
  unsigned tool_workers = 32;         // threads running tool calls (each mostly waits on a sandbox)
  std::size_t max_live_episodes = 0;  // open at once; 0 = 4 x the model lane's concurrency
  int model_concurrency = 64;         // only sizes the default above; the transport keeps its own
  // A 200 whose body is unusable (HTML from a proxy, cut, no choices, invalid
  // UTF-8, ...) is asked again this many times before the episode is told.
  int unusable_body_retries = 4;
};

// What the loop hands over as each episode finishes, on a worker thread, one
// call at a time. Returns an error to stop the run (the checkpoint failed).
using EpisodeSink = std::function<Status(const EpisodeTask& task, EpisodeResult&& result)>;
// Whether a task should still start (early stop ends a bench).
using TaskFilter = std::function<bool(const EpisodeTask& task)>;
// Makes the episode for a task.
using EpisodeFactory = std::function<std::unique_ptr<Episode>(const EpisodeTask& task)>;

// What happened on the way: informational, except `endpoint_failure`.
struct RequestLoopReport {
  std::int64_t unusable_bodies = 0;  // 200 bodies asked again
  std::map<std::string, std::int64_t> unusable_reasons;  // every unusable body, by failure_kind()
  std::optional<std::string> endpoint_failure;  // retries spent or refused: why, on which try
  int endpoint_failure_attempts = 0;
  Status sink_failure;                          // the sink's first error
  std::size_t episodes_finished = 0;
};

class RequestLoop {
 public:
  RequestLoop(RequestLoopOptions options, Transport& model_lane, Transport* judge_lane = nullptr);
  ~RequestLoop();
  RequestLoop(const RequestLoop&) = delete;
  RequestLoop& operator=(const RequestLoop&) = delete;

  // Plays every task that `filter` lets start, returning when all started
  // episodes have finished, or after a stop (in-flight requests finish; open
  // episodes are dropped) or an endpoint failure.
  RequestLoopReport run(const std::vector<EpisodeTask>& tasks, const EpisodeFactory& make_episode,
                        const EpisodeSink& sink, const TaskFilter& filter = nullptr);
  // "gsm8k/17#0" for the open episode a request belongs to (for -v dumps).
  std::string describe(std::uint64_t request_tag) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace qdrift
