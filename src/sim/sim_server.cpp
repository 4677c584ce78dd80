// The simulated endpoint's HTTP side, on cpp-httplib. Each connection gets its
// own thread, so the server's worker count never caps a client's concurrency
// (a --latency benchmark must see every in-flight request held at once).
#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qdrift/openai.h"
#include "qdrift/sim.h"
#include "util/hash.h"

namespace qdrift {

namespace {

// httplib task queue that runs every connection on a fresh thread and waits for
// them all on shutdown.
class ThreadPerConnection final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++running_;
    }
    std::thread([this, fn = std::move(fn)] {
      fn();
      std::lock_guard<std::mutex> lock(mutex_);
      if (--running_ == 0) idle_.notify_all();
    }).detach();
  }
  void shutdown() override {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return running_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable idle_;
  int running_ = 0;
};

}  // namespace

// A 200 answer no OpenAI client can use, as broken proxies and servers send them;
// `kind` is one of kSimGarbageKinds. Kinds that bend the real answer fall back to
// HTML when there is no real answer to bend (the request itself was refused).
static std::string garbage_body(const std::string& kind, const std::string& request_body, const std::string& real) {
  using nlohmann::json;
  if (kind == "cut") return real.substr(0, real.size() / 2);
  if (kind == "no-choices") return R"({"id":"x","object":"chat.completion","choices":[]})";
  if (kind == "null-content")
    return R"({"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"stop"}]})";
  json doc = json::parse(real, nullptr, false);
  const bool bendable = !doc.is_discarded() && doc.is_object() && doc.contains("choices") &&
                        doc["choices"].is_array() && !doc["choices"].empty() && doc["choices"][0].is_object() &&
                        doc["choices"][0].contains("message") && doc["choices"][0]["message"].is_object();
  if (kind == "html" || !bendable) return "<html><body><h1>502 Bad Gateway</h1></body></html>";
  json& message = doc["choices"][0]["message"];
  const std::string content = message.value("content", json()).is_string() ? message["content"].get<std::string>() : "";
  if (kind == "empty-content") {
    message = {{"role", "assistant"}, {"content", ""}};
  } else if (kind == "number-content") {
    message["content"] = 42;
  } else if (kind == "object-choices") {
    doc["choices"] = {{"0", doc["choices"][0]}};
  } else if (kind == "bad-utf8") {
    // Raw bytes that are not UTF-8 inside the answer, as a server that cuts a
    // multi-byte character in half writes them (no JSON library would).
    static constexpr std::string_view kMarker = "@@not-utf8@@";
    message["content"] = std::string(kMarker) + content;
    std::string text = doc.dump();
    text.replace(text.find(kMarker), kMarker.size(), "\xE2\x82 \xFF");
    return text;
  } else if (kind == "oversize") {
    // Just over the largest body qdrift accepts for this request's max_tokens.
    json request = json::parse(request_body, nullptr, false);
    int max_tokens = 2048;
    if (request.is_object() && request.contains("max_tokens") && request["max_tokens"].is_number_integer())
      max_tokens = request["max_tokens"].get<int>();
    message["content"] = std::string(chat_response_cap(max_tokens) + 1, ' ') + content;
  }
  return doc.dump();
}

// /sim/stats's "gpu": virtual seconds busy and elapsed, the mean batch and its
// occupancy of max_batch, tokens, and the schedule's lower bound.
static nlohmann::json gpu_stats_json(const VirtualGpu& gpu) {
  const VirtualGpuStats s = gpu.stats();
  const double mean_batch = s.busy_seconds > 0 ? s.batch_seconds / s.busy_seconds : 0;
  return {{"busy_seconds", s.busy_seconds},
          {"elapsed_seconds", s.elapsed_seconds},
          {"lower_bound_seconds", s.lower_bound_seconds},
          {"mean_batch", mean_batch},
          {"occupancy", mean_batch / gpu.options().max_batch},
          {"max_running", s.max_running},
          {"steps", s.steps},
          {"sequences", s.sequences},
          {"decode_tokens", s.decode_tokens},
          {"prompt_tokens", s.prompt_tokens},
          {"cached_prompt_tokens", s.cached_prompt_tokens},
          {"longest_completion", s.longest_completion}};
}

struct SimServer::Impl {
  SimOptions options;
  SimModel model;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  int listen_socket = -1;
  std::atomic<std::uint64_t> requests{0};           // chat requests
  std::atomic<std::uint64_t> logprob_requests{0};   // /v1/completions and /generate
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
  std::atomic<std::uint64_t> all_requests{0};       // every route but /sim/stats
  // Chat requests in flight, integrated over time: its mean over the busy span
  // (first chat request to the last answer) is what a client kept going.
  std::mutex occupancy_mutex;
  double in_flight_seconds = 0;
  std::optional<std::chrono::steady_clock::time_point> first_change;
  std::chrono::steady_clock::time_point last_change;
  int tracked_in_flight = 0;

  void track_in_flight(int delta) {
    std::lock_guard<std::mutex> lock(occupancy_mutex);
    const auto now = std::chrono::steady_clock::now();
    if (!first_change) first_change = last_change = now;
    in_flight_seconds += tracked_in_flight * std::chrono::duration<double>(now - last_change).count();
    last_change = now;
    tracked_in_flight += delta;
  }
  double mean_in_flight() {
    std::lock_guard<std::mutex> lock(occupancy_mutex);
    if (!first_change) return 0;
    const double span = std::chrono::duration<double>(last_change - *first_change).count();
    return span > 0 ? in_flight_seconds / span : 0;
  }

  std::vector<std::string> garbage_kinds;  // options.garbage_kinds, or every kind
  std::unique_ptr<VirtualGpu> gpu;         // --gpu

  Impl(SimOptions o, SimDamage damage)
      : options(o),
        model(std::move(o), damage),
        garbage_kinds(options.garbage_kinds.empty()
                          ? std::vector<std::string>(std::begin(kSimGarbageKinds), std::end(kSimGarbageKinds))
                          : options.garbage_kinds) {
    if (options.gpu) gpu = std::make_unique<VirtualGpu>(options.gpu_options);
  }

  bool authorised(const httplib::Request& req, httplib::Response& res) const {
    if (options.api_key.empty() || req.get_header_value("Authorization") == "Bearer " + options.api_key)
      return true;
    res.status = 401;
    res.set_content(R"({"error": "Unauthorized"})", "application/json");  // vLLM's exact body
    return false;
  }

  void handle_chat(const httplib::Request& req, httplib::Response& res) {
    const std::uint64_t number = requests.fetch_add(1);
    track_in_flight(+1);
    const int now = in_flight.fetch_add(1) + 1;
    int seen = max_in_flight.load();
    while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
    }
    if (options.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(options.latency_ms));
    // --batch-noise: held like a GPU step, then answered by the batch it shares.
    std::uint64_t batch_draw = 0;
    if (options.batch_noise) {
      std::this_thread::sleep_for(std::chrono::milliseconds(kBatchNoiseHoldMs));
      if (const int batch = in_flight.load(); batch > 1) batch_draw = mix64((number << 16) ^ static_cast<std::uint64_t>(batch)) | 1;
    }
    if (authorised(req, res)) {
      // Faults are drawn per request, not per body, so a retry can succeed.
      const std::uint64_t draw = hash_parts({"fault", std::to_string(options.seed), std::to_string(number)});
      double fault = unit_interval(draw);
      if (fault < options.fail_rate) {
        res.status = 500;
        res.set_content(R"({"object":"error","message":"simulated failure","type":"InternalServerError","param":null,"code":500})",
                        "application/json");
      } else if ((fault -= options.fail_rate) < options.drop_rate) {
        // Headers promise a body that never comes: the client sees the connection close early.
        res.set_content_provider(
            4096, "application/json", [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
      } else if ((fault -= options.drop_rate) < options.garbage_rate) {
        res.status = 200;
        const std::vector<std::string>& kinds = garbage_kinds;
        res.set_content(garbage_body(kinds[mix64(draw) % kinds.size()], req.body, model.chat(req.body).body),
                        "application/json");
      } else {
        if ((fault -= options.garbage_rate) < options.stall_rate)
          std::this_thread::sleep_for(std::chrono::milliseconds(options.stall_ms));
        SimReply reply = model.chat(req.body, batch_draw);
        if (gpu && reply.status == 200) gpu->serve(reply.gpu_prompt, reply.gpu_tokens);
        res.status = reply.status;
        res.set_content(reply.body, "application/json");
      }
    }
    in_flight.fetch_sub(1);
    track_in_flight(-1);
  }

  // A logprobs request: counted, and slowed by --latency like a chat one.
  void begin_logprobs() {
    logprob_requests.fetch_add(1);
    if (options.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(options.latency_ms));
  }

  void install_routes() {
    server.new_task_queue = [] { return new ThreadPerConnection(); };
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      if (req.path != "/sim/stats") all_requests.fetch_add(1);
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
      handle_chat(req, res);
    });
    server.Post("/v1/completions", [this](const httplib::Request& req, httplib::Response& res) {
      begin_logprobs();
      if (!authorised(req, res)) return;
      SimReply reply = model.completions(req.body);
      res.status = reply.status;
      res.set_content(reply.body, "application/json");
    });
    server.Post("/generate", [this](const httplib::Request& req, httplib::Response& res) {
      begin_logprobs();
      if (!authorised(req, res)) return;
      // SGLang's body has "text", TGI's has "inputs": one route serves both shapes.
      const bool tgi = req.body.find("\"inputs\"") != std::string::npos;
      SimReply reply = tgi ? model.tgi_generate(req.body) : model.sglang_generate(req.body);
      res.status = reply.status;
      res.set_content(reply.body, "application/json");
    });
    server.Get("/v1/models", [this](const httplib::Request& req, httplib::Response& res) {
      if (authorised(req, res)) res.set_content(model.models_body(), "application/json");
    });
    server.Get("/version", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(fmt::format(R"({{"version":"qdrift-sim {}"}})", QDRIFT_VERSION), "application/json");
    });
    server.Get("/health", [](const httplib::Request&, httplib::Response& res) { res.status = 200; });
    // Not part of vLLM: lets tests and benchmarks see what the server saw.
    server.Get("/sim/stats", [this](const httplib::Request&, httplib::Response& res) {
      nlohmann::json stats{{"requests", requests.load()},
                           {"logprob_requests", logprob_requests.load()},
                           {"all_requests", all_requests.load()},
                           {"in_flight", in_flight.load()},
                           {"max_in_flight", max_in_flight.load()},
                           {"mean_in_flight", mean_in_flight()}};
      if (gpu) stats["gpu"] = gpu_stats_json(*gpu);
      res.set_content(stats.dump(), "application/json");
    });
    // FastAPI's answer for unknown routes, as vLLM gives it.
    server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (res.body.empty()) res.set_content(R"({"detail":"Not Found"})", "application/json");
    });
  }
};

Result<std::unique_ptr<SimServer>> SimServer::start(const SimOptions& options) {
  auto damage = sim_damage(options);
  if (!damage.ok()) return damage.status();
  for (double rate : {options.fail_rate, options.drop_rate, options.garbage_rate, options.stall_rate})
    if (rate < 0 || rate > 1) return Status::Usage("--fail-rate, --drop-rate, --garbage-rate and --stall-rate must be in [0, 1]");
  if (options.fail_rate + options.drop_rate + options.garbage_rate + options.stall_rate > 1)
    return Status::Usage("the fault rates add up to more than 1");
  for (const std::string& kind : options.garbage_kinds)
    if (std::find(std::begin(kSimGarbageKinds), std::end(kSimGarbageKinds), kind) == std::end(kSimGarbageKinds)) {
      std::string known;
      for (std::string_view k : kSimGarbageKinds) known += (known.empty() ? "" : ", ") + std::string(k);
      return Status::Usage(fmt::format("unknown garbage kind '{}' (known: {})", kind, known));
    }
  if (options.reasoning_field != "reasoning" && options.reasoning_field != "reasoning_content" &&
      options.reasoning_field != "think-tags")
    return Status::Usage("--reasoning-field must be reasoning, reasoning_content or think-tags");
  auto impl = std::make_unique<Impl>(options, *damage);
  impl->install_routes();
  impl->server.set_keep_alive_max_count(100000);
  impl->server.set_keep_alive_timeout(5);
  impl->server.set_tcp_nodelay(true);
  // httplib 0.11 listens with a backlog of 5: 64 clients connecting at once would
  // lose SYNs and wait a second for the retransmit. Remember the socket so the
  // backlog can be raised after bind (Linux lets listen() be called again).
  impl->server.set_socket_options([raw = impl.get()](socket_t sock) {
    httplib::default_socket_options(sock);
    raw->listen_socket = sock;
  });  // responses go out in two writes; Nagle would stall each 40 ms
  if (options.port == 0) {
    impl->port = impl->server.bind_to_any_port(options.host);
  } else {
    impl->port = impl->server.bind_to_port(options.host, options.port) ? options.port : -1;
  }
  if (impl->port <= 0)
    return Status::Usage(fmt::format("cannot listen on {}:{}", options.host, options.port));
  if (impl->listen_socket >= 0) ::listen(impl->listen_socket, 4096);
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->server.listen_after_bind(); });
  // httplib's stop() does nothing until the server runs: wait, so an early stop is not lost.
  for (int waited = 0; !impl->server.is_running() && waited < 5000; ++waited)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return std::unique_ptr<SimServer>(new SimServer(std::move(impl)));
}

SimServer::SimServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SimServer::~SimServer() { stop(); }
const SimModel& SimServer::model() const { return impl_->model; }

int SimServer::port() const { return impl_->port; }
std::string SimServer::base_url() const { return fmt::format("http://{}:{}/v1", impl_->options.host, impl_->port); }

void SimServer::stop() {
  if (impl_ && impl_->thread.joinable()) {
    impl_->server.stop();
    impl_->thread.join();
  }
}

}  // namespace qdrift
