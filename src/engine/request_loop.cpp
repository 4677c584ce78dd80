// RequestLoop: open episodes live in one table under one lock; each step an
// episode returns is dispatched to where it runs (a lane's queue, the tool
// workers, the sink), and the episode is touched by one thread at a time
// because it has exactly one step outstanding.
#include "engine/request_loop.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "engine/scoring_queue.h"
#include "qdrift/record.h"

namespace qdrift {

namespace {

struct OpenEpisode {
  const EpisodeTask* task = nullptr;
  std::unique_ptr<Episode> episode;
  int unusable_bodies = 0;  // re-asks spent on this episode's current turn
  int turn = 0;             // of its current model request
};

// The request seed of one model turn (turn 0 keeps the one-shot seed).
std::int64_t turn_seed(std::uint64_t run_seed, const EpisodeTask& task, int turn) {
  return request_seed(run_seed, task.bench_name, task.item_id, task.sample, turn);
}

}  // namespace

struct RequestLoop::State {
  RequestLoopOptions options;
  Transport& model_lane;
  Transport* judge_lane;
  std::vector<std::string> model_headers, judge_headers;

  std::mutex mutex;  // guards everything below, up to `sink_mutex`
  const std::vector<EpisodeTask>* tasks = nullptr;
  const EpisodeFactory* make_episode = nullptr;
  const TaskFilter* filter = nullptr;
  std::size_t next_task = 0;
  std::uint64_t next_id = 1;
  std::unordered_map<std::uint64_t, OpenEpisode> open;
  // Model requests by turn, earliest turn first: an episode with more turns ahead
  // is served sooner, so the last episodes of a run finish together rather than
  // one by one while the lane empties.
  std::map<int, std::deque<HttpRequest>> model_ready;
  std::deque<HttpRequest> judge_ready;
  bool failed = false;   // an endpoint or the sink failed: everything stops
  bool closing = false;  // the lanes have ended: open episodes are dropped
  std::size_t pending_work = 0;  // tasks posted to the workers, not yet done
  std::unordered_map<std::size_t, double> reply_cost_us;  // by bench: see replies_are_cheap
  std::condition_variable work_done;
  RequestLoopReport report;

  std::mutex sink_mutex;  // one sink call at a time
  const EpisodeSink* sink = nullptr;

  std::unique_ptr<ScoringQueue> scoring, tools;

  State(RequestLoopOptions o, Transport& model, Transport* judge)
      : options(std::move(o)), model_lane(model), judge_lane(judge) {
    model_headers = options.model.auth_headers();
    if (options.judge) judge_headers = options.judge->auth_headers();
  }

  std::size_t live_limit() const {
    if (options.max_live_episodes > 0) return options.max_live_episodes;
    return 4 * static_cast<std::size_t>(std::max(1, options.model_concurrency));
  }

  // --- the model lane's thread -------------------------------------------
  std::optional<HttpRequest> next_model_request() {
    std::lock_guard<std::mutex> lock(mutex);
    // Open episodes up to the limit first: their first turns join the queue.
    while (!failed && start_next_episode()) {
    }
    while (!model_ready.empty()) {
      auto earliest = model_ready.begin();
      HttpRequest request = std::move(earliest->second.front());
      earliest->second.pop_front();
      if (earliest->second.empty()) model_ready.erase(earliest);
      // Early stop may have ended its bench since it was queued: never sent.
      auto slot = open.find(request.tag);
      if (slot != open.end() && *filter && !(*filter)(*slot->second.task)) {
        open.erase(slot);
        continue;
      }
      return request;
    }
    return std::nullopt;
  }

  // Opens the next task that may start; false when none can now.
  bool start_next_episode() {
    if (open.size() >= live_limit()) return false;
    while (next_task < tasks->size() && *filter && !(*filter)((*tasks)[next_task])) ++next_task;
    if (next_task >= tasks->size()) return false;
    const EpisodeTask& task = (*tasks)[next_task++];
    const std::uint64_t id = next_id++;
    OpenEpisode& slot = open[id];
    slot.task = &task;
    slot.episode = (*make_episode)(task);
    dispatch(id, slot.episode->start());
    return true;
  }

  bool more_to_come() {
    std::lock_guard<std::mutex> lock(mutex);
    if (failed || model_lane.stopping()) return false;
    return !open.empty() || next_task < tasks->size();
  }

  // Called with `mutex` held: sends the step to where it runs.
  void dispatch(std::uint64_t id, EpisodeStep step) {
    if (auto* result = std::get_if<EpisodeResult>(&step)) {
      post_work(*scoring, [this, id, r = std::move(*result)]() mutable { finish(id, std::move(r)); });
      return;
    }
    if (closing) return;  // dropped: a resumed run replays it from turn 0
    OpenEpisode& slot = open.at(id);
    if (auto* ask = std::get_if<AskModel>(&step)) {
      slot.unusable_bodies = 0;
      slot.turn = ask->turn;
      ChatRequest chat{options.model.model, std::move(ask->messages), ask->sampling,
                       turn_seed(options.run_seed, *slot.task, ask->turn)};
      chat.tools_json = std::move(ask->tools_json);
      model_ready[ask->turn].push_back(
          {"POST", options.model.url("/chat/completions"), chat_request_body(chat), model_headers, id});
      model_lane.wake();
    } else if (auto* tools_step = std::get_if<RunTools>(&step)) {
      Episode* episode = slot.episode.get();
      post_work(*tools, [this, id, episode, request = std::move(*tools_step)] {
        std::vector<ToolResult> results = episode->run_tools(request);
        advance(id, episode->on_tool_results(std::move(results)));
      });
    } else if (auto* judge = std::get_if<AskJudge>(&step)) {
      if (!judge_lane || !options.judge) {
        Episode* episode = slot.episode.get();
        post_work(*scoring, [this, id, episode] {
          advance(id, episode->on_judge_reply(Status::Usage("no judge endpoint is configured")));
        });
        return;
      }
      ChatRequest chat{options.judge->model, std::move(judge->messages), judge->sampling, judge->seed};
      judge_ready.push_back({"POST", options.judge->url("/chat/completions"), chat_request_body(chat), judge_headers, id});
      judge_lane->wake();
    }
  }

  // On a worker. A finished episode is handed to the sink here and now, not
  // queued for another worker: one hand-off per sample instead of two.
  void advance(std::uint64_t id, EpisodeStep step) {
    if (auto* result = std::get_if<EpisodeResult>(&step)) {
      finish(id, std::move(*result));
      return;
    }
    std::lock_guard<std::mutex> lock(mutex);
    dispatch(id, std::move(step));
  }

  void post_work(ScoringQueue& queue, std::function<void()> work) {
    ++pending_work;
    queue.post([this, work = std::move(work)] {
      work();
      std::lock_guard<std::mutex> lock(mutex);
      if (--pending_work == 0) work_done.notify_all();
    });
  }

  // On a worker: hands the result to the sink, then frees the slot.
  void finish(std::uint64_t id, EpisodeResult result) {
    const EpisodeTask* task = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex);
      task = open.at(id).task;
    }
    Status written;
    {
      std::lock_guard<std::mutex> lock(sink_mutex);
      written = (*sink)(*task, std::move(result));
    }
    std::lock_guard<std::mutex> lock(mutex);
    open.erase(id);
    ++report.episodes_finished;
    if (!written.ok() && report.sink_failure.ok()) {
      report.sink_failure = written;
      fail();
    }
    wake_lanes();
  }

  void wake_lanes() {
    model_lane.wake();
    if (judge_lane) judge_lane->wake();
  }

  // With `mutex` held.
  void fail() {
    failed = true;
    model_lane.abort();
    if (judge_lane) judge_lane->abort();
  }

  // A 400 to a request that offered tools is most often a server started
  // without tool calling: say how to turn it on, or how to do without.
  static std::string refused_tools_hint(const HttpRequest& request, const HttpResponse& response) {
    if (response.status != 400 || request.body.find("\"tools\":") == std::string::npos) return "";
    return " (the request offered tools: vLLM needs --enable-auto-tool-choice --tool-call-parser hermes for Qwen; "
           "or run with --tool-protocol text, which works on every server)";
  }

  // --- a lane's thread: one request's final response -----------------------
  // A bench's replies are taken on the lane's thread while they have cost less
  // than kInlineReplyCost on average: an exponential average with weight
  // 1/kReplyCostWindow, starting at kFirstReplyCost, so the first replies go to
  // workers and are measured there. One sandboxed program (tens of
  // milliseconds) lifts the average far past the limit at once, so a bench that
  // runs programs holds the lane for at most one of them, and then goes back to
  // the workers.
  static constexpr double kInlineReplyCost = 50;     // µs
  static constexpr double kFirstReplyCost = 1000;    // µs
  static constexpr double kReplyCostWindow = 16;     // replies
  bool replies_are_cheap(std::size_t bench) {  // with `mutex` held
    const auto found = reply_cost_us.find(bench);
    return found != reply_cost_us.end() && found->second < kInlineReplyCost;
  }
  void note_reply_cost(std::size_t bench, std::chrono::steady_clock::duration cost) {
    const double us = std::chrono::duration<double, std::micro>(cost).count();
    std::lock_guard<std::mutex> lock(mutex);
    double& average = reply_cost_us.try_emplace(bench, kFirstReplyCost).first->second;
    average += (us - average) / kReplyCostWindow;
  }

  void on_response(HttpRequest&& request, HttpResponse&& response, Transport& lane, bool judge) {
    const std::uint64_t id = request.tag;
    if (!response.ok()) {
      // Retries are spent or the server refused outright: stop cleanly, keep the checkpoint.
      std::lock_guard<std::mutex> lock(mutex);
      if (!report.endpoint_failure) {
        const Endpoint& where = judge ? *options.judge : options.model;
        report.endpoint_failure =
            fmt::format("{}{}/chat/completions: {}{}", judge ? "judge: " : "", where.shown_url(),
                        response.status == 0 ? response.transport_error
                                             : fmt::format("HTTP {}: {}", response.status,
                                                           server_error_message(response.body)),
                        refused_tools_hint(request, response));
        report.endpoint_failure_attempts = response.attempts;
      }
      fail();
      return;
    }
    // A body cut at the cap keeps its 200 and says so in transport_error.
    Result<ChatResponse> parsed = response.transport_error.empty()
                                      ? parse_chat_response(response.body)
                                      : Result<ChatResponse>(Status::BadInput(response.transport_error));
    std::unique_lock<std::mutex> lock(mutex);
    auto slot = open.find(id);
    if (slot == open.end() || closing) return;
    if (!parsed.ok()) {
      ++report.unusable_reasons[failure_kind(parsed.status().message())];
      if (!lane.stopping() && slot->second.unusable_bodies++ < options.unusable_body_retries) {
        ++report.unusable_bodies;
        // Asked again, first.
        if (judge) {
          judge_ready.push_front(std::move(request));
        } else {
          model_ready[slot->second.turn].push_front(std::move(request));
        }
        return;
      }
    }
    Episode* episode = slot->second.episode.get();
    const std::size_t bench = slot->second.task->bench;
    auto reply = [this, id, episode, judge, bench, parsed = std::move(parsed)] {
      const auto start = std::chrono::steady_clock::now();
      advance(id, judge ? episode->on_judge_reply(parsed) : episode->on_model_reply(parsed));
      note_reply_cost(bench, std::chrono::steady_clock::now() - start);
    };
    if (!replies_are_cheap(bench)) {
      post_work(*scoring, std::move(reply));
      return;
    }
    // Cheap replies are taken here, on the lane's thread: handing each to a
    // worker cost more (two thread switches) than reading and scoring it.
    lock.unlock();
    reply();
  }

  std::optional<HttpRequest> next_judge_request() {
    std::lock_guard<std::mutex> lock(mutex);
    if (judge_ready.empty()) return std::nullopt;
    HttpRequest request = std::move(judge_ready.front());
    judge_ready.pop_front();
    return request;
  }

  // After the lanes: no new steps; wait for the workers to finish what they hold.
  void drain() {
    std::unique_lock<std::mutex> lock(mutex);
    closing = true;
    work_done.wait(lock, [this] { return pending_work == 0; });
  }
};

RequestLoop::RequestLoop(RequestLoopOptions options, Transport& model_lane, Transport* judge_lane)
    : state_(std::make_unique<State>(std::move(options), model_lane, judge_lane)) {}

RequestLoop::~RequestLoop() = default;

std::string RequestLoop::describe(std::uint64_t request_tag) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto slot = state_->open.find(request_tag);
  if (slot == state_->open.end()) return "";
  const EpisodeTask& task = *slot->second.task;
  return fmt::format("{}/{}#{}", task.bench_name, task.item_id, task.sample);
}

RequestLoopReport RequestLoop::run(const std::vector<EpisodeTask>& tasks, const EpisodeFactory& make_episode,
                                   const EpisodeSink& sink, const TaskFilter& filter) {
  State& s = *state_;
  s.tasks = &tasks;
  s.make_episode = &make_episode;
  s.sink = &sink;
  s.filter = &filter;
  s.scoring = std::make_unique<ScoringQueue>(s.options.scoring_workers);
  s.tools = std::make_unique<ScoringQueue>(std::max(1u, s.options.tool_workers));
  const auto more = [&s] { return s.more_to_come(); };
  std::thread judge_thread;
  if (s.judge_lane)
    judge_thread = std::thread([&s, &more] {
      s.judge_lane->run([&s] { return s.next_judge_request(); },
                        [&s](HttpRequest&& rq, HttpResponse&& rs) {
                          s.on_response(std::move(rq), std::move(rs), *s.judge_lane, true);
                        },
                        more);
    });
  s.model_lane.run([&s] { return s.next_model_request(); },
                   [&s](HttpRequest&& rq, HttpResponse&& rs) {
                     s.on_response(std::move(rq), std::move(rs), s.model_lane, false);
                   },
                   more);
  if (judge_thread.joinable()) {
    if (s.model_lane.stopping()) s.judge_lane->stop();
    s.judge_lane->wake();
    judge_thread.join();
  }
  s.drain();
  s.scoring.reset();
  s.tools.reset();
  s.open.clear();
  return std::move(s.report);
}

}  // namespace qdrift
