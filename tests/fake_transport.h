// A Transport that answers in-process, on the thread that runs it: tests of the
// request loop and the run stages use it to see every request and to answer as
// a server would (a SimModel, a canned body, an HTTP error), without sockets.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "qdrift/http_pool.h"

namespace qdrift::testing {

class FakeTransport final : public Transport {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  FakeTransport(int concurrency, Handler handler) : concurrency_(concurrency), handler_(std::move(handler)) {}

  void run(const NextFn& next, const DoneFn& done, const MoreFn& more = nullptr) override;
  void wake() override;
  void stop() override { stopped_ = true, wake(); }
  void abort() override { aborted_ = true, wake(); }
  bool stopping() const override { return stopped_ || aborted_; }
  PoolStats stats() const override;

  // What it was asked, in order (bodies), and on which thread it ran.
  std::vector<std::string> bodies() const;
  std::thread::id run_thread() const { return run_thread_; }
  std::size_t max_in_flight() const { return max_in_flight_; }

 private:
  int concurrency_;
  Handler handler_;
  std::atomic<bool> stopped_{false}, aborted_{false};
  mutable std::mutex mutex_;
  std::condition_variable woken_cv_;
  bool woken_ = false;
  std::vector<std::string> bodies_;
  std::size_t completed_ = 0, max_in_flight_ = 0;
  std::thread::id run_thread_;
};

// A chat completion body with `content`, as vLLM writes one.
std::string chat_body(const std::string& content, const std::string& finish = "stop");

}  // namespace qdrift::testing
