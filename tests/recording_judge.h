// A judge endpoint for tests that records what it is asked: a real cpp-httplib
// server on 127.0.0.1 (ephemeral port) serving /v1/models and
// /v1/chat/completions, answering with the sim judge's rule (exam/exam_sim.h)
// and keeping every request's body and Authorization header.
#pragma once

#include <httplib.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "exam/exam_sim.h"

namespace qdrift::testing {

class RecordingJudge {
 public:
  explicit RecordingJudge(std::string model = "judge") : model_(std::move(model)) {
    server_.Get("/v1/models", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(nlohmann::json{{"object", "list"}, {"data", {{{"id", model_}, {"object", "model"}}}}}.dump(),
                      "application/json");
    });
    server_.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) { answer(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~RecordingJudge() {
    server_.stop();
    thread_.join();
  }
  RecordingJudge(const RecordingJudge&) = delete;
  RecordingJudge& operator=(const RecordingJudge&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  std::vector<std::string> bodies() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return bodies_;
  }
  std::vector<std::string> authorizations() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return authorizations_;
  }

 private:
  void answer(const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      bodies_.push_back(req.body);
      authorizations_.push_back(req.get_header_value("Authorization"));
    }
    const nlohmann::json request = nlohmann::json::parse(req.body, nullptr, false);
    std::vector<ChatMessage> messages;
    if (request.is_object() && request.contains("messages"))
      for (const auto& m : request["messages"]) messages.push_back({m.value("role", ""), m.value("content", "")});
    const std::string content = sim_judge_reply(messages, 0, 0);
    const nlohmann::json reply = {
        {"id", "chatcmpl-judge"},
        {"object", "chat.completion"},
        {"model", model_},
        {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}}},
        {"usage", {{"prompt_tokens", 10}, {"completion_tokens", 10}, {"total_tokens", 20}}}};
    res.set_content(reply.dump(), "application/json");
  }

  const std::string model_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> bodies_;
  std::vector<std::string> authorizations_;
};

}  // namespace qdrift::testing
