// HttpPool over several replicas of one server (PoolOptions::replicas): routing
// by share, a replica that stops mid-run, and URLs outside the replicas.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "loopback_server.h"
#include "qdrift/http_pool.h"

namespace {

using qdrift::HttpPool;
using qdrift::HttpRequest;
using qdrift::HttpResponse;
using qdrift::PoolOptions;
using qdrift::PoolStats;
using qdrift::Replica;
using qdrift::testing::ConcurrencyMeter;
using qdrift::testing::LoopbackServer;

// A replica answering POST /v1/work with its own name after `delay_ms`.
struct NamedReplica {
  LoopbackServer server;
  ConcurrencyMeter meter;
  std::atomic<int> served{0};
  NamedReplica(const std::string& name, int delay_ms) {
    server.routes().Post("/v1/work", [this, name, delay_ms](const httplib::Request& req, httplib::Response& res) {
      meter.enter();
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      ++served;
      meter.leave();
      res.set_content(name + ":" + req.body, "text/plain");
    });
    server.start();
  }
  std::string base_url() const { return server.url("/v1"); }
};

PoolOptions replica_options(std::vector<Replica> replicas) {
  PoolOptions options;
  options.concurrency = 4;
  options.connect_timeout_s = 5;
  options.request_timeout_s = 30;
  options.retry.max_attempts = 3;
  options.retry.initial_backoff_s = 0.01;
  options.retry.max_backoff_s = 0.05;
  options.replicas = std::move(replicas);
  return options;
}

// `count` requests addressed to the first replica, as a run addresses them.
std::vector<HttpRequest> work(const std::string& first_base_url, int count) {
  std::vector<HttpRequest> requests;
  for (int i = 0; i < count; ++i) {
    HttpRequest request;
    request.url = first_base_url + "/work";
    request.body = std::to_string(i);
    request.tag = static_cast<std::uint64_t>(i);
    requests.push_back(request);
  }
  return requests;
}

std::map<std::uint64_t, HttpResponse> run_all(HttpPool& pool, std::vector<HttpRequest> requests) {
  std::map<std::uint64_t, HttpResponse> responses;
  std::size_t next = 0;
  pool.run(
      [&]() -> std::optional<HttpRequest> {
        if (next >= requests.size()) return std::nullopt;
        return requests[next++];
      },
      [&](HttpRequest&& request, HttpResponse&& response) { responses[request.tag] = std::move(response); });
  return responses;
}

}  // namespace

TEST_CASE("replicas share the work by their concurrency", "[http_pool][replicas]") {
  NamedReplica a("a", 20), b("b", 20);
  HttpPool pool(replica_options({{a.base_url(), 1}, {b.base_url(), 3}}));
  const auto responses = run_all(pool, work(a.base_url(), 80));

  REQUIRE(responses.size() == 80);
  int from_b = 0;
  for (const auto& [tag, response] : responses) {
    CHECK(response.status == 200);
    CHECK(response.body.substr(2) == std::to_string(tag));  // the body went where the answer came from
    from_b += response.body.rfind("b:", 0) == 0;
  }
  // Each replica never had more than its share at once, and together they were kept full.
  CHECK(a.meter.peak() == 1);
  CHECK(b.meter.peak() == 3);
  CHECK(pool.stats().max_in_flight == 4);
  // Equal speed, three times the share: about three quarters of the work.
  CHECK(from_b >= 55);
  CHECK(from_b <= 65);
  const PoolStats stats = pool.stats();
  REQUIRE(stats.replicas.size() == 2);
  CHECK(stats.replicas[0].answered + stats.replicas[1].answered == 80);
  CHECK(stats.replicas[1].answered == static_cast<std::uint64_t>(from_b));
  CHECK_FALSE(stats.replicas[0].down);
  CHECK_FALSE(stats.replicas[1].down);
}

TEST_CASE("a replica that stops mid-run is marked down and nothing is lost", "[http_pool][replicas]") {
  NamedReplica a("a", 10), b("b", 10);
  std::thread killer([&] {
    while (b.served.load() < 20) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    b.server.stop();
  });
  PoolOptions options = replica_options({{a.base_url(), 0}, {b.base_url(), 0}});
  options.retry.max_attempts = 1;  // only given-back tries can save a request from the dead replica
  HttpPool pool(options);
  const auto responses = run_all(pool, work(a.base_url(), 200));
  killer.join();

  REQUIRE(responses.size() == 200);
  const PoolStats stats = pool.stats();
  REQUIRE(stats.replicas.size() == 2);
  CHECK(stats.replicas[1].down);
  CHECK_FALSE(stats.replicas[0].down);
  CHECK(stats.replicas[1].failed_tries >= static_cast<std::uint64_t>(qdrift::kReplicaDownAfter));
  // Tries that failed before b was marked down had no try left (--retries 1);
  // the rest were given back and answered by a. At most kReplicaDownAfter - 1
  // fail in a row, and each of b's 4 handlers still running when it stopped can
  // answer once and restart the count: a handful, of 200.
  const int lost = (qdrift::kReplicaDownAfter - 1) * (1 + 4);
  int failed = 0;
  for (const auto& [tag, response] : responses) failed += response.status != 200;
  CHECK(failed <= lost);
  CHECK(stats.replicas[0].answered + stats.replicas[1].answered == 200);
  CHECK(stats.replicas[1].answered >= 20);
  CHECK(b.served.load() >= 20);
}

TEST_CASE("with retries, a stopped replica costs no request", "[http_pool][replicas]") {
  NamedReplica a("a", 5), b("b", 5);
  std::thread killer([&] {
    while (b.served.load() < 10) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    b.server.stop();
  });
  HttpPool pool(replica_options({{a.base_url(), 0}, {b.base_url(), 0}}));
  const auto responses = run_all(pool, work(a.base_url(), 120));
  killer.join();

  REQUIRE(responses.size() == 120);
  for (const auto& [tag, response] : responses) CHECK(response.status == 200);
  CHECK(pool.stats().replicas[1].down);
  // Once b was down every try went to a.
  CHECK(a.served.load() + b.served.load() == 120);
}

TEST_CASE("the last replica up is never marked down, and other URLs are not routed", "[http_pool][replicas]") {
  NamedReplica a("a", 1), other("other", 1);
  a.server.stop();  // nothing answers at the only replica's address
  PoolOptions options = replica_options({{a.base_url(), 0}});
  HttpPool pool(options);
  std::vector<HttpRequest> requests = work(a.base_url(), 5);
  HttpRequest elsewhere;
  elsewhere.url = other.server.url("/v1/work");
  elsewhere.body = "x";
  elsewhere.tag = 99;
  requests.push_back(elsewhere);
  const auto responses = run_all(pool, requests);

  REQUIRE(responses.size() == 6);
  for (int i = 0; i < 5; ++i) {
    CHECK(responses.at(static_cast<std::uint64_t>(i)).status == 0);
    CHECK(responses.at(static_cast<std::uint64_t>(i)).attempts == 3);  // the retry policy, no given-back tries
  }
  CHECK(responses.at(99).status == 200);
  CHECK(responses.at(99).body == "other:x");
  CHECK_FALSE(pool.stats().replicas[0].down);
}
