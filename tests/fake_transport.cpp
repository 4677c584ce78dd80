// FakeTransport: pulls up to `concurrency` requests, then answers the oldest,
// so several are "in flight" at once as on a real pool.
#include "fake_transport.h"

#include <chrono>
#include <deque>

#include <nlohmann/json.hpp>

namespace qdrift::testing {

void FakeTransport::run(const NextFn& next, const DoneFn& done, const MoreFn& more) {
  run_thread_ = std::this_thread::get_id();
  std::deque<HttpRequest> in_flight;
  while (!aborted_) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      woken_ = false;  // a wake() from here on is seen by the wait below
    }
    while (!stopping() && in_flight.size() < static_cast<std::size_t>(concurrency_)) {
      std::optional<HttpRequest> request = next();
      if (!request) break;
      std::lock_guard<std::mutex> lock(mutex_);
      bodies_.push_back(request->body);
      in_flight.push_back(std::move(*request));
      max_in_flight_ = std::max(max_in_flight_, in_flight.size());
    }
    if (in_flight.empty()) {
      if (!more || stopping() || !more()) break;
      std::unique_lock<std::mutex> lock(mutex_);
      woken_cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return woken_; });
      continue;
    }
    HttpRequest request = std::move(in_flight.front());
    in_flight.pop_front();
    HttpResponse response = handler_(request);
    response.attempts = std::max(1, response.attempts);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++completed_;
    }
    done(std::move(request), std::move(response));
  }
}

void FakeTransport::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  woken_cv_.notify_all();
}

PoolStats FakeTransport::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  PoolStats stats;
  stats.completed = completed_;
  stats.attempts = completed_;
  stats.max_in_flight = max_in_flight_;
  return stats;
}

std::vector<std::string> FakeTransport::bodies() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bodies_;
}

std::string chat_body(const std::string& content, const std::string& finish) {
  nlohmann::json message = {{"role", "assistant"}, {"content", content}};
  return nlohmann::json{{"object", "chat.completion"},
                        {"choices", {{{"index", 0}, {"message", message}, {"finish_reason", finish}}}},
                        {"usage", {{"prompt_tokens", 5}, {"completion_tokens", 3}, {"total_tokens", 8}}}}
      .dump();
}

}  // namespace qdrift::testing
