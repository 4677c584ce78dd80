// Tests for HttpPool and http_fetch against a real cpp-httplib server on
// 127.0.0.1: bodies and headers, the concurrency kept, retries and Retry-After,
// final 4xx, refused connections, the body size cap, connection reuse, and
// stop()/abort().
#include "qdrift/http_pool.h"

#include "loopback_server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using qdrift::HttpPool;
using qdrift::HttpRequest;
using qdrift::HttpResponse;
using qdrift::PoolOptions;
using Clock = std::chrono::steady_clock;
using qdrift::testing::ConcurrencyMeter;
using qdrift::testing::LoopbackServer;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

PoolOptions fast_retry_options(int concurrency) {
  PoolOptions options;
  options.concurrency = concurrency;
  options.connect_timeout_s = 5;
  options.request_timeout_s = 30;
  options.retry.max_attempts = 3;
  options.retry.initial_backoff_s = 0.01;
  options.retry.max_backoff_s = 0.05;
  options.jitter_seed = 42;
  return options;
}

HttpRequest get_request(const std::string& url, std::uint64_t tag) {
  HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.tag = tag;
  return request;
}

// A NextFn over `requests`, recording how many were pulled.
HttpPool::NextFn source_of(std::vector<HttpRequest> requests, std::size_t* pulled = nullptr) {
  auto queue = std::make_shared<std::vector<HttpRequest>>(std::move(requests));
  auto index = std::make_shared<std::size_t>(0);
  return [queue, index, pulled]() -> std::optional<HttpRequest> {
    if (*index >= queue->size()) return std::nullopt;
    if (pulled != nullptr) *pulled = *index + 1;
    return (*queue)[(*index)++];
  };
}

std::vector<HttpRequest> numbered_gets(const LoopbackServer& server, const std::string& prefix,
                                       int count) {
  std::vector<HttpRequest> requests;
  for (int i = 0; i < count; ++i) {
    requests.push_back(get_request(server.url(prefix + std::to_string(i)), i));
  }
  return requests;
}

// Runs `requests` through a pool and returns the responses by tag.
std::map<std::uint64_t, HttpResponse> run_all(HttpPool& pool, std::vector<HttpRequest> requests,
                                              std::map<std::uint64_t, int>* done_calls = nullptr) {
  std::map<std::uint64_t, HttpResponse> responses;
  pool.run(source_of(std::move(requests)), [&](HttpRequest&& request, HttpResponse&& response) {
    if (done_calls != nullptr) ++(*done_calls)[request.tag];
    responses[request.tag] = std::move(response);
  });
  return responses;
}

// A port on 127.0.0.1 that was bound and closed again, so nothing listens.
int closed_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  socklen_t length = sizeof(address);
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  close(fd);
  return ntohs(address.sin_port);
}

std::string http_date(std::time_t when) {
  std::tm utc{};
  gmtime_r(&when, &utc);
  char text[64];
  std::strftime(text, sizeof(text), "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return text;
}

}  // namespace

TEST_CASE("POST bodies and headers reach the server and answers come back", "[http_pool]") {
  LoopbackServer server;
  server.routes().Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    const std::string seen =
        req.get_header_value("Content-Type") + "|" + req.get_header_value("X-Tag") + "|" + req.body;
    res.set_content(seen, "text/plain");
  });
  server.start();

  constexpr int kRequests = 20;
  std::vector<HttpRequest> requests;
  for (int i = 0; i < kRequests; ++i) {
    HttpRequest request;
    request.url = server.url("/echo");
    request.body = "{\"n\":" + std::to_string(i) + "}";
    request.headers = {"X-Tag: t" + std::to_string(i)};
    request.tag = i;
    requests.push_back(request);
  }
  std::map<std::uint64_t, int> done_calls;
  HttpPool pool(fast_retry_options(4));
  const auto responses = run_all(pool, requests, &done_calls);

  REQUIRE(responses.size() == kRequests);
  for (int i = 0; i < kRequests; ++i) {
    CHECK(done_calls[i] == 1);
    const HttpResponse& response = responses.at(i);
    CHECK(response.status == 200);
    CHECK(response.ok());
    CHECK(response.attempts == 1);
    CHECK(response.transport_error.empty());
    CHECK(response.body ==
          "application/json|t" + std::to_string(i) + "|{\"n\":" + std::to_string(i) + "}");
  }
  const qdrift::PoolStats stats = pool.stats();
  CHECK(stats.completed == kRequests);
  CHECK(stats.attempts == kRequests);
  CHECK(stats.retries == 0);
}

TEST_CASE("http_fetch does one blocking GET", "[http_pool]") {
  LoopbackServer server;
  server.routes().Get("/models", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.method + " models", "text/plain");
  });
  server.start();

  const HttpResponse response =
      qdrift::http_fetch(get_request(server.url("/models"), 7), fast_retry_options(4));
  CHECK(response.status == 200);
  CHECK(response.body == "GET models");
  CHECK(response.attempts == 1);
  CHECK(response.seconds >= 0);
}

// The handler stays until `expected` handlers are in at once (or 3 s pass),
// then sleeps 100 ms, so the peak count does not depend on timing luck.
void expect_server_peak(int concurrency, int requests) {
  LoopbackServer server;
  ConcurrencyMeter meter;
  server.routes().Get(R"(/slow/\d+)", [&](const httplib::Request&, httplib::Response& res) {
    meter.enter();
    const auto deadline = Clock::now() + std::chrono::seconds(3);
    while (meter.current() < concurrency && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    meter.leave();
    res.set_content("ok", "text/plain");
  });
  server.start();

  HttpPool pool(fast_retry_options(concurrency));
  const auto responses = run_all(pool, numbered_gets(server, "/slow/", requests));

  REQUIRE(responses.size() == static_cast<std::size_t>(requests));
  for (const auto& [tag, response] : responses) CHECK(response.ok());
  CHECK(meter.peak() == concurrency);
  CHECK(pool.stats().max_in_flight == static_cast<std::size_t>(concurrency));
}

TEST_CASE("exactly `concurrency` requests are in flight at once", "[http_pool]") {
  SECTION("8 of 40") { expect_server_peak(8, 40); }
  SECTION("64 of 64") { expect_server_peak(64, 64); }
}

TEST_CASE("5xx answers are retried until one succeeds", "[http_pool]") {
  LoopbackServer server;
  std::mutex mutex;
  std::map<std::string, int> tries_by_path;
  server.routes().Get(R"(/flaky/\d+)", [&](const httplib::Request& req, httplib::Response& res) {
    int tries = 0;
    {
      std::lock_guard<std::mutex> lock(mutex);
      tries = ++tries_by_path[req.path];
    }
    res.status = tries <= 2 ? 500 : 200;
    res.set_content(tries <= 2 ? "try later" : "fine", "text/plain");
  });
  server.start();

  constexpr int kRequests = 10;
  HttpPool pool(fast_retry_options(4));
  const auto responses = run_all(pool, numbered_gets(server, "/flaky/", kRequests));

  REQUIRE(responses.size() == kRequests);
  for (const auto& [tag, response] : responses) {
    CHECK(response.status == 200);
    CHECK(response.body == "fine");
    CHECK(response.attempts == 3);
  }
  const qdrift::PoolStats stats = pool.stats();
  CHECK(stats.completed == kRequests);
  CHECK(stats.attempts == 3 * kRequests);
  CHECK(stats.retries == 2 * kRequests);
}

// Answers 429 once, with the Retry-After value `retry_after()` gives at that
// moment, then 200; returns the gap between the two tries as the server saw it.
double retry_gap_seconds(const std::function<std::string()>& retry_after) {
  LoopbackServer server;
  std::mutex mutex;
  std::vector<Clock::time_point> arrivals;
  server.routes().Get("/limited", [&](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    arrivals.push_back(Clock::now());
    if (arrivals.size() == 1) {
      res.status = 429;
      res.set_header("Retry-After", retry_after());
      res.set_content("slow down", "text/plain");
    } else {
      res.set_content("ok", "text/plain");
    }
  });
  server.start();

  const HttpResponse response =
      qdrift::http_fetch(get_request(server.url("/limited"), 1), fast_retry_options(1));
  CHECK(response.status == 200);
  CHECK(response.attempts == 2);
  std::lock_guard<std::mutex> lock(mutex);
  REQUIRE(arrivals.size() == 2);
  return std::chrono::duration<double>(arrivals[1] - arrivals[0]).count();
}

TEST_CASE("429 with Retry-After waits as the server asks", "[http_pool]") {
  SECTION("delta-seconds") {
    CHECK(retry_gap_seconds([] { return "1"; }) >= 0.9);
  }
  SECTION("HTTP-date") {
    // Two seconds ahead, since the date has whole-second resolution.
    CHECK(retry_gap_seconds([] { return http_date(std::time(nullptr) + 2); }) >= 0.9);
  }
}

TEST_CASE("other 4xx answers are final", "[http_pool]") {
  LoopbackServer server;
  std::atomic<int> hits{0};
  server.routes().Get("/missing", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 404;
    res.set_content("no such thing", "text/plain");
  });
  server.routes().Get("/secret", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 401;
    res.set_content("bad key", "text/plain");
  });
  server.start();

  HttpPool pool(fast_retry_options(2));
  const auto responses = run_all(
      pool, {get_request(server.url("/missing"), 1), get_request(server.url("/secret"), 2)});

  REQUIRE(responses.size() == 2);
  CHECK(responses.at(1).status == 404);
  CHECK(responses.at(1).body == "no such thing");
  CHECK(responses.at(1).attempts == 1);
  CHECK(responses.at(2).status == 401);
  CHECK(responses.at(2).body == "bad key");
  CHECK(responses.at(2).attempts == 1);
  CHECK(hits.load() == 2);
  CHECK(pool.stats().retries == 0);
}

TEST_CASE("a refused connection is retried - then reported with curl's reason", "[http_pool]") {
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/x";
  HttpPool pool(fast_retry_options(2));
  const auto responses = run_all(pool, {get_request(url, 1)});

  REQUIRE(responses.size() == 1);
  const HttpResponse& response = responses.at(1);
  CHECK(response.status == 0);
  CHECK_FALSE(response.transport_error.empty());
  CHECK(response.attempts == 3);
  CHECK(pool.stats().retries == 2);
}

TEST_CASE("a body over the size cap is cut - marked and not retried", "[http_pool]") {
  LoopbackServer server;
  std::atomic<int> hits{0};
  server.routes().Get(R"(/huge/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
    ++hits;
    res.status = std::stoi(req.matches[1].str());
    res.set_content(std::string(2u << 20, 'x'), "text/plain");
  });
  server.start();

  PoolOptions options = fast_retry_options(1);
  options.max_response_bytes = 1u << 20;
  // A 500 would normally be retried; a cut body is final whatever the status.
  const int status = GENERATE(200, 500);
  const HttpResponse response =
      qdrift::http_fetch(get_request(server.url("/huge/" + std::to_string(status)), 1), options);

  CHECK(response.status == status);
  CHECK(response.transport_error == "response body larger than 1048576 bytes");
  CHECK(response.body.size() <= (1u << 20));
  CHECK(response.attempts == 1);
  CHECK(hits.load() == 1);
  CHECK_FALSE(qdrift::is_retryable(response));
}

TEST_CASE("connections are reused across requests", "[http_pool]") {
  LoopbackServer server;
  std::mutex mutex;
  std::set<int> client_ports;
  server.routes().Get(R"(/reuse/\d+)", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      client_ports.insert(req.remote_port);
    }
    res.set_content("ok", "text/plain");
  });
  server.start();

  HttpPool pool(fast_retry_options(4));
  const auto responses = run_all(pool, numbered_gets(server, "/reuse/", 50));

  REQUIRE(responses.size() == 50);
  for (const auto& [tag, response] : responses) CHECK(response.ok());
  std::lock_guard<std::mutex> lock(mutex);
  CHECK(client_ports.size() <= 8);
}

TEST_CASE("abort() abandons in-flight requests and returns promptly", "[http_pool]") {
  LoopbackServer server;
  std::atomic<bool> release{false};
  // Five quick answers, then requests that hang until the test ends.
  server.routes().Get(R"(/job/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
    if (std::stoi(req.matches[1].str()) >= 5) {
      const auto deadline = Clock::now() + std::chrono::seconds(10);
      while (!release.load() && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
    res.set_content("ok", "text/plain");
  });
  server.start();

  int done_calls = 0;
  {
    HttpPool pool(fast_retry_options(8));
    Clock::time_point aborted_at;
    pool.run(source_of(numbered_gets(server, "/job/", 100)), [&](HttpRequest&&, HttpResponse&&) {
      if (++done_calls == 5) {
        aborted_at = Clock::now();
        pool.abort();
      }
    });
    REQUIRE(done_calls == 5);
    // Waiting for the hanging requests would take 10 s.
    CHECK(seconds_since(aborted_at) < 2.0);
    CHECK(pool.stopping());
  }
  release = true;
}

TEST_CASE("abort() from another thread ends a long wait for a retry", "[http_pool]") {
  LoopbackServer server;
  server.routes().Get("/later", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "60");
  });
  server.start();

  HttpPool pool(fast_retry_options(1));
  int done_calls = 0;
  std::thread aborter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    pool.abort();
  });
  const Clock::time_point start = Clock::now();
  pool.run(source_of({get_request(server.url("/later"), 1)}),
           [&](HttpRequest&&, HttpResponse&&) { ++done_calls; });
  aborter.join();
  CHECK(seconds_since(start) < 5.0);
  CHECK(done_calls == 0);
}

TEST_CASE("stop() lets pulled requests finish but pulls no more", "[http_pool]") {
  LoopbackServer server;
  server.routes().Get(R"(/job/\d+)", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    res.set_content("ok", "text/plain");
  });
  server.start();

  HttpPool pool(fast_retry_options(4));
  std::size_t pulled = 0;
  std::set<std::uint64_t> delivered;
  int done_calls = 0;
  pool.run(source_of(numbered_gets(server, "/job/", 100), &pulled),
           [&](HttpRequest&& request, HttpResponse&& response) {
             CHECK(response.ok());
             ++done_calls;
             delivered.insert(request.tag);
             if (done_calls == 10) pool.stop();
           });

  CHECK(pool.stopping());
  CHECK(done_calls >= 10);
  CHECK(done_calls <= 10 + 4);
  CHECK(delivered.size() == static_cast<std::size_t>(done_calls));  // each once
  CHECK(static_cast<std::size_t>(done_calls) == pulled);            // every pulled one finished
  for (std::uint64_t tag : delivered) CHECK(tag < pulled);          // source order: 0..pulled-1
  CHECK(pool.stats().completed == pulled);
}

TEST_CASE("a StopSource stops the running pool and every pool started after it", "[http_pool][interrupt]") {
  LoopbackServer server;
  server.routes().Get(R"(/job/\d+)", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    res.set_content("ok", "text/plain");
  });
  server.start();

  qdrift::StopSource stop_source;
  PoolOptions options = fast_retry_options(4);
  options.stop_source = &stop_source;
  std::size_t pulled = 0;
  int done_calls = 0;
  {
    HttpPool pool(options);
    pool.run(source_of(numbered_gets(server, "/job/", 100), &pulled), [&](HttpRequest&&, HttpResponse&& response) {
      CHECK(response.ok());  // in flight when stopped: still answered
      if (++done_calls == 10) stop_source.stop();
    });
    CHECK(pool.stopping());
  }
  CHECK(stop_source.stopped());
  CHECK(done_calls <= 10 + 4);
  CHECK(static_cast<std::size_t>(done_calls) == pulled);
  // A later stage's pool (and a one-off fetch) sends nothing at all.
  std::size_t later_pulled = 0;
  HttpPool later(options);
  later.run(source_of(numbered_gets(server, "/job/", 10), &later_pulled), [](HttpRequest&&, HttpResponse&&) {});
  CHECK(later_pulled == 0);
  const HttpResponse fetched = qdrift::http_fetch(get_request(server.url("/job/0"), 0), options);
  CHECK(fetched.status == 0);
  CHECK(fetched.attempts == 0);
}

TEST_CASE("a StopSource abort from another thread abandons a hanging request", "[http_pool][interrupt]") {
  LoopbackServer server;
  std::atomic<bool> release{false};
  server.routes().Get("/hang", [&](const httplib::Request&, httplib::Response& res) {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!release.load() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    res.set_content("late", "text/plain");
  });
  server.start();
  qdrift::StopSource stop_source;
  PoolOptions options = fast_retry_options(1);
  options.stop_source = &stop_source;
  std::thread signaller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop_source.stop();  // the first signal: the hanging request may still finish
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop_source.abort();  // the second: give it up
  });
  const Clock::time_point start = Clock::now();
  const HttpResponse response = qdrift::http_fetch(get_request(server.url("/hang"), 0), options);
  signaller.join();
  CHECK(seconds_since(start) < 3.0);
  CHECK(response.status == 0);
  release = true;
}
