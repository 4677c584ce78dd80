#include "engine/request_loop.h"

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "fake_transport.h"
#include "relay_bench.h"
#include "qdrift/bench.h"
#include "qdrift/sim.h"

namespace qdrift {
namespace {

using testing::chat_body;
using testing::FakeTransport;

// What the test episodes saw, shared across the worker threads.
struct Observed {
  std::mutex mutex;
  std::set<std::thread::id> tool_threads;
  std::atomic<int> open{0}, most_open{0};
};

// `turns` model turns with a tool step of `tool_ms` between them; then, when
// `judged`, one judge request whose reply says PASS or FAIL.
class TurnsEpisode final : public Episode {
 public:
  TurnsEpisode(std::string id, int turns, int tool_ms, bool judged, Observed& observed)
      : id_(std::move(id)), turns_(turns), tool_ms_(tool_ms), judged_(judged), observed_(observed) {
    const int now = ++observed_.open;
    int seen = observed_.most_open.load();
    while (now > seen && !observed_.most_open.compare_exchange_weak(seen, now)) {
    }
  }
  ~TurnsEpisode() override { --observed_.open; }

  EpisodeStep start() override {
    messages_.push_back({"user", "task " + id_ + " turn 0"});
    return AskModel{messages_, sampling_preset(false), 0, ""};
  }
  EpisodeStep on_model_reply(const Result<ChatResponse>& reply) override {
    if (!reply.ok()) return failed_episode(reply.status().message());
    ChatMessage said{"assistant", reply->content};
    messages_.push_back(said);
    ++turn_;
    if (turn_ < turns_) return RunTools{{ToolCall{"call-" + std::to_string(turn_), "wait", "{}"}}};
    if (judged_) return AskJudge{{{"user", "grade: " + reply->content}}, sampling_preset(false)};
    return finish(std::nullopt);
  }
  std::vector<ToolResult> run_tools(const RunTools& request) override {
    {
      std::lock_guard<std::mutex> lock(observed_.mutex);
      observed_.tool_threads.insert(std::this_thread::get_id());
    }
    return testing::wait_tool(request, tool_ms_);
  }
  EpisodeStep on_tool_results(std::vector<ToolResult> results) override {
    messages_.push_back(tool_message(results.at(0)));
    messages_.push_back({"user", "task " + id_ + " turn " + std::to_string(turn_)});
    return AskModel{messages_, sampling_preset(false), turn_, ""};
  }
  EpisodeStep on_judge_reply(const Result<ChatResponse>& reply) override {
    if (!reply.ok()) return failed_episode(reply.status().message());
    return finish(reply->content.find("PASS") != std::string::npos);
  }

 private:
  EpisodeResult finish(std::optional<bool> judge_pass) {
    EpisodeResult result;
    result.correct = true;
    result.answer = messages_.back().content;
    result.turns = turn_;
    result.judge_pass = judge_pass;
    result.transcript = messages_;
    return result;
  }

  std::string id_;
  int turns_, tool_ms_;
  bool judged_;
  Observed& observed_;
  int turn_ = 0;
  std::vector<ChatMessage> messages_;
};

std::vector<EpisodeTask> tasks_for(int benches, int items, int samples = 1) {
  std::vector<EpisodeTask> tasks;
  for (int b = 0; b < benches; ++b)
    for (int i = 0; i < items; ++i)
      for (int k = 0; k < samples; ++k)
        tasks.push_back({static_cast<std::size_t>(b), static_cast<std::size_t>(i), k, "bench" + std::to_string(b),
                         std::to_string(i)});
  return tasks;
}

RequestLoopOptions loop_options() {
  RequestLoopOptions options;
  options.model = Endpoint{"http://127.0.0.1:9/v1", "model-under-test", "sk-test", "vllm"};
  options.run_seed = 7;
  options.tool_workers = 4;
  options.scoring_workers = 2;
  return options;
}

// Collects finished episodes by task index (bench, item, sample → string key).
struct Collected {
  std::mutex mutex;
  std::map<std::string, EpisodeResult> results;
  EpisodeSink sink() {
    return [this](const EpisodeTask& task, EpisodeResult&& result) {
      std::lock_guard<std::mutex> lock(mutex);
      results[task.bench_name + "/" + task.item_id + "#" + std::to_string(task.sample)] = std::move(result);
      return Status::Ok();
    };
  }
};

std::int64_t body_seed(const std::string& body) { return nlohmann::json::parse(body).at("seed").get<std::int64_t>(); }

TEST_CASE("one-shot benches run through the adapter: one request per sample, turn-0 seeds as before", "[request_loop]") {
  const Bench* arith = find_bench("arith");
  REQUIRE(arith);
  auto items = arith->items({Tier::kSmoke, 0, {}});
  REQUIRE(items.ok());
  SimModel sim(SimOptions{}, *sim_damage(SimOptions{}));
  FakeTransport lane(8, [&sim](const HttpRequest& request) {
    const SimReply reply = sim.chat(request.body);
    return HttpResponse{reply.status, reply.body, "", 1, 0};
  });
  std::vector<EpisodeTask> tasks;
  for (std::size_t i = 0; i < items->size(); ++i) tasks.push_back({0, i, 0, "arith", (*items)[i].id});
  RequestLoopOptions options = loop_options();
  options.model.model = "qdrift-sim";  // the name the sim serves
  RequestLoop loop(options, lane);
  Collected collected;
  const SamplingParams sampling = sampling_preset(false);
  const RequestLoopReport report = loop.run(
      tasks, [&](const EpisodeTask& task) { return arith->start_episode((*items)[task.item], sampling); },
      collected.sink());
  CHECK(report.episodes_finished == tasks.size());
  CHECK(collected.results.size() == tasks.size());
  const std::vector<std::string> bodies = lane.bodies();
  REQUIRE(bodies.size() == tasks.size());
  std::set<std::int64_t> expected, sent;
  for (const EpisodeTask& task : tasks) expected.insert(request_seed(7, "arith", task.item_id, 0));
  for (const std::string& body : bodies) sent.insert(body_seed(body));
  CHECK(sent == expected);
  int correct = 0;
  for (auto& [key, result] : collected.results) {
    CHECK(result.error.empty());
    CHECK_FALSE(result.explanation.empty());
    correct += result.correct;
  }
  CHECK(correct > static_cast<int>(tasks.size()) / 2);  // the fp16 sim gets most arith items right
}

TEST_CASE("multi-turn episodes: tool steps run on tool workers, never on the lane's thread", "[request_loop]") {
  Observed observed;
  FakeTransport lane(16, [](const HttpRequest&) { return HttpResponse{200, chat_body("ok"), "", 1, 0}; });
  RequestLoop loop(loop_options(), lane);
  Collected collected;
  const auto tasks = tasks_for(1, 40);
  const RequestLoopReport report = loop.run(
      tasks, [&](const EpisodeTask& task) { return std::make_unique<TurnsEpisode>(task.item_id, 3, 5, false, observed); },
      collected.sink());
  CHECK(report.episodes_finished == 40);
  const std::vector<std::string> bodies = lane.bodies();
  CHECK(bodies.size() == 120);
  CHECK_FALSE(observed.tool_threads.empty());
  CHECK(observed.tool_threads.count(lane.run_thread()) == 0);
  for (auto& [key, result] : collected.results) {
    CHECK(result.turns == 3);
    CHECK(result.transcript.size() == 8);  // user, then (assistant, tool, user) twice, then assistant
  }
  // Each turn of an episode has its own seed; turn 0's is the one-shot seed.
  std::map<std::int64_t, int> seeds;
  for (const std::string& body : bodies) ++seeds[body_seed(body)];
  CHECK(seeds.size() == 120);
  CHECK(seeds.count(request_seed(7, "bench0", "3", 0)) == 1);
  CHECK(seeds.count(request_seed(7, "bench0", "3", 0, 2)) == 1);
}

TEST_CASE("no more episodes are open at once than the live limit", "[request_loop]") {
  Observed observed;
  FakeTransport lane(64, [](const HttpRequest&) { return HttpResponse{200, chat_body("ok"), "", 1, 0}; });
  RequestLoopOptions options = loop_options();
  options.max_live_episodes = 5;
  RequestLoop loop(options, lane);
  Collected collected;
  const RequestLoopReport report = loop.run(
      tasks_for(2, 30),
      [&](const EpisodeTask& task) { return std::make_unique<TurnsEpisode>(task.item_id, 2, 1, false, observed); },
      collected.sink());
  CHECK(report.episodes_finished == 60);
  CHECK(observed.most_open.load() <= 5);
  CHECK(lane.max_in_flight() <= 5);
  CHECK(observed.open.load() == 0);
}

TEST_CASE("an unusable body is asked again - after the retries the episode is told why", "[request_loop]") {
  Observed observed;
  std::atomic<int> asked{0};
  // Every other item's first two answers are a proxy's HTML page.
  FakeTransport lane(4, [&asked](const HttpRequest& request) {
    const bool flaky = nlohmann::json::parse(request.body)["messages"][0]["content"] == "task 1 turn 0";
    if (flaky && ++asked <= 2) return HttpResponse{200, "<html>502</html>", "", 1, 0};
    const bool broken = nlohmann::json::parse(request.body)["messages"][0]["content"] == "task 2 turn 0";
    return HttpResponse{200, broken ? "<html>502</html>" : chat_body("fine"), "", 1, 0};
  });
  RequestLoopOptions options = loop_options();
  options.unusable_body_retries = 3;
  RequestLoop loop(options, lane);
  Collected collected;
  const RequestLoopReport report = loop.run(
      tasks_for(1, 3),
      [&](const EpisodeTask& task) { return std::make_unique<TurnsEpisode>(task.item_id, 1, 0, false, observed); },
      collected.sink());
  REQUIRE(collected.results.size() == 3);
  CHECK(collected.results["bench0/1#0"].error.empty());
  CHECK(collected.results["bench0/1#0"].answer == "fine");
  CHECK_THAT(collected.results["bench0/2#0"].error, Catch::Contains("not JSON"));
  CHECK(report.unusable_bodies == 2 + 3);
  CHECK(report.unusable_reasons.size() == 1);
  CHECK(lane.bodies().size() == 3 + 2 + 3);
}

TEST_CASE("an endpoint that fails for good stops the loop and says where", "[request_loop]") {
  Observed observed;
  std::atomic<int> answered{0};
  FakeTransport lane(1, [&answered](const HttpRequest&) {
    if (++answered > 3) return HttpResponse{503, R"({"message":"overloaded"})", "", 6, 0};
    return HttpResponse{200, chat_body("ok"), "", 1, 0};
  });
  RequestLoop loop(loop_options(), lane);
  Collected collected;
  const RequestLoopReport report = loop.run(
      tasks_for(1, 20),
      [&](const EpisodeTask& task) { return std::make_unique<TurnsEpisode>(task.item_id, 1, 0, false, observed); },
      collected.sink());
  REQUIRE(report.endpoint_failure);
  CHECK_THAT(*report.endpoint_failure, Catch::Contains("HTTP 503: overloaded"));
  CHECK_THAT(*report.endpoint_failure, Catch::Contains("http://127.0.0.1:9/v1/chat/completions"));
  CHECK(report.endpoint_failure_attempts == 6);
  CHECK(collected.results.size() == 3);
  CHECK(observed.open.load() == 0);
}

TEST_CASE("a task filter ends a bench - a failing sink stops the run", "[request_loop]") {
  Observed observed;
  FakeTransport lane(4, [](const HttpRequest&) { return HttpResponse{200, chat_body("ok"), "", 1, 0}; });
  Collected collected;
  const auto make = [&](const EpisodeTask& task) {
    return std::make_unique<TurnsEpisode>(task.item_id, 1, 0, false, observed);
  };
  {
    RequestLoop loop(loop_options(), lane);
    loop.run(tasks_for(2, 10), make, collected.sink(), [](const EpisodeTask& task) { return task.bench == 0; });
    CHECK(collected.results.size() == 10);
    for (auto& [key, result] : collected.results) CHECK(key.rfind("bench0/", 0) == 0);
  }
  // A server taking 5 ms an answer: the sink's failure lands long before the 50th.
  FakeTransport second(1, [](const HttpRequest&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return HttpResponse{200, chat_body("ok"), "", 1, 0};
  });
  RequestLoop loop(loop_options(), second);
  int written = 0;
  const RequestLoopReport report = loop.run(tasks_for(1, 50), make, [&written](const EpisodeTask&, EpisodeResult&&) {
    return ++written < 4 ? Status::Ok() : Status::Internal("disk full");
  });
  CHECK(report.sink_failure.message() == "disk full");
  CHECK(second.bodies().size() < 50);
}

TEST_CASE("judge steps go to the judge lane with the judge's model and key", "[request_loop]") {
  Observed observed;
  FakeTransport lane(8, [](const HttpRequest&) { return HttpResponse{200, chat_body("the answer"), "", 1, 0}; });
  FakeTransport judge(2, [](const HttpRequest& request) {
    const bool good = request.body.find("the answer") != std::string::npos;
    return HttpResponse{200, chat_body(good ? "VERDICT: PASS" : "VERDICT: FAIL"), "", 1, 0};
  });
  RequestLoopOptions options = loop_options();
  options.judge = Endpoint{"http://127.0.0.1:10/v1", "judge-model", "sk-judge", "vllm"};
  RequestLoop loop(options, lane, &judge);
  Collected collected;
  const auto make = [&](const EpisodeTask& task) {
    return std::make_unique<TurnsEpisode>(task.item_id, 2, 0, true, observed);
  };
  const RequestLoopReport report = loop.run(tasks_for(1, 12), make, collected.sink());
  CHECK(report.episodes_finished == 12);
  CHECK(lane.bodies().size() == 24);
  const std::vector<std::string> judged = judge.bodies();
  REQUIRE(judged.size() == 12);
  for (const std::string& body : judged) CHECK(nlohmann::json::parse(body)["model"] == "judge-model");
  for (auto& [key, result] : collected.results) CHECK(result.judge_pass == std::optional<bool>(true));

  // Without a judge lane the episode is told so and fails its sample.
  FakeTransport alone(8, [](const HttpRequest&) { return HttpResponse{200, chat_body("x"), "", 1, 0}; });
  RequestLoop unjudged(loop_options(), alone);
  Collected failed;
  unjudged.run(tasks_for(1, 2), make, failed.sink());
  for (auto& [key, result] : failed.results) CHECK_THAT(result.error, Catch::Contains("no judge endpoint"));
}

}  // namespace
}  // namespace qdrift
