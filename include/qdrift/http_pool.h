// A libcurl multi-handle pool: keeps exactly `concurrency` requests in flight
// while work remains, reuses connections, retries transient failures with
// exponential backoff and jitter (honouring Retry-After), and hands each request's
// final response to the caller on the calling thread. A StopSource stops every
// pool of a run at once (a signal may land in any stage); `verbose` dumps each
// request and answer with credentials redacted (src/client/request_dump.h).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "qdrift/replica.h"

namespace qdrift {

class HttpPool;

struct HttpRequest {
  std::string method = "POST";       // "GET" or "POST"
  std::string url;                    // absolute URL
  std::string body;                   // sent as application/json when non-empty
  std::vector<std::string> headers;   // "Name: value"; may hold secrets: dumps redact them
  std::uint64_t tag = 0;              // the caller's id for this request
};

struct HttpResponse {
  long status = 0;              // HTTP status; 0 when no HTTP response arrived
  std::string body;             // response body (possibly truncated at the size cap)
  std::string transport_error;  // curl's reason when status == 0, else empty
  int attempts = 0;             // tries made, including the last
  double seconds = 0;           // wall time from first try to final answer
  bool ok() const { return status >= 200 && status < 300; }
};

struct RetryPolicy {
  int max_attempts = 6;             // first try plus five retries
  double initial_backoff_s = 0.5;   // wait before the first retry
  double max_backoff_s = 20.0;      // no single wait longer than this
  double max_retry_after_s = 120;   // a server's Retry-After is honoured up to this
};

// Stops the pools that run with it (PoolOptions::stop_source), and any started
// later: a run's signal watcher holds one, so whichever stage is asking (preflight,
// tripwire, benches) stops. Safe from any thread.
class StopSource {
 public:
  void stop();   // pools pull no new requests; those in flight (and retrying) finish
  void abort();  // pools also abandon what is in flight
  bool stopped() const { return state_.load() != kRunning; }

 private:
  friend class HttpPool;
  void attach(HttpPool* pool);  // for the length of HttpPool::run
  void detach(HttpPool* pool);
  enum State { kRunning, kStopped, kAborted };
  std::mutex mutex_;
  std::vector<HttpPool*> pools_;
  std::atomic<int> state_{kRunning};
};

struct PoolOptions {
  int concurrency = 64;               // requests kept in flight
  double connect_timeout_s = 10;      // TCP + TLS connect, per try
  double request_timeout_s = 1800;    // one whole try; long thinking generations need minutes
  std::size_t max_response_bytes = 64u << 20;  // larger bodies are cut and marked
  RetryPolicy retry;
  std::uint64_t jitter_seed = 0;      // seeds the backoff jitter
  StopSource* stop_source = nullptr;  // when set, its stop()/abort() reach this pool
  // -v: each request (method, URL, headers with credentials redacted, body) and its
  // final answer on stderr, long bodies cut; `describe` may name a request there.
  bool verbose = false;
  std::function<std::string(const HttpRequest&)> describe;
  // Several servers of one model (repeated --endpoint). When given, a request
  // whose URL starts with replicas[0].base_url + "/" is sent to the up replica
  // with the fewest in flight for its share, and the pool keeps the sum of the
  // shares in flight (a share of 0 means `concurrency`). A replica whose tries
  // get no HTTP answer kReplicaDownAfter times in a row is marked down for the
  // rest of the run, never the last one up; what it dropped is sent to the
  // others at once, without spending a try. Other URLs pass unchanged.
  std::vector<Replica> replicas;
};

// Tries in a row without any HTTP answer that mark a replica down: one refused
// connection can be a blip, three mean the server is gone.
inline constexpr int kReplicaDownAfter = 3;

// True for answers worth another try: no HTTP response at all, 408, 429, 5xx.
bool is_retryable(const HttpResponse& response);

// One replica's counters.
struct ReplicaStats {
  std::string base_url;
  std::uint64_t answered = 0;      // requests whose final answer came from it
  std::uint64_t tries = 0;         // tries sent to it
  std::uint64_t failed_tries = 0;  // of those, how many got no HTTP answer
  bool down = false;               // marked down during the run
};

// Pool counters, readable after (or during) run().
struct PoolStats {
  std::uint64_t completed = 0;      // requests handed to the done callback
  std::uint64_t attempts = 0;       // tries made in all
  std::uint64_t retries = 0;        // attempts - first tries
  std::size_t max_in_flight = 0;    // the most transfers active at once
  std::vector<ReplicaStats> replicas;  // in PoolOptions::replicas order; empty without replicas
};

// Where requests go: the HTTP pool, or an in-process fake in tests. Both
// callbacks of run() are called on the thread that called run().
class Transport {
 public:
  using NextFn = std::function<std::optional<HttpRequest>()>;
  using DoneFn = std::function<void(HttpRequest&& request, HttpResponse&& response)>;
  using MoreFn = std::function<bool()>;

  virtual ~Transport() = default;
  // Pulls requests from `next` until it returns nullopt, keeping `concurrency`
  // in flight, and calls `done` with each request's final response (after
  // retries). After each `done`, `next` is asked again, so `done` may queue more
  // work. Returns when `next` has nothing, nothing pulled is unfinished and
  // `more` (when given) says no more will come; while `more` says yes it sleeps
  // until wake(). Returns promptly after abort().
  virtual void run(const NextFn& next, const DoneFn& done, const MoreFn& more = nullptr) = 0;
  // Makes run() ask `next` and `more` again: call it from any thread after
  // queuing work for `next` or finishing what `more` waited for.
  virtual void wake() = 0;
  // Stop pulling new requests; those in flight (and waiting to retry) finish.
  // Safe from any thread, including a signal-watching one, and from `done`.
  virtual void stop() = 0;
  // Stop pulling and abandon everything in flight; run() returns soon after.
  virtual void abort() = 0;
  virtual bool stopping() const = 0;
  virtual PoolStats stats() const = 0;
};

class HttpPool final : public Transport {
 public:
  explicit HttpPool(PoolOptions options);
  ~HttpPool() override;
  HttpPool(const HttpPool&) = delete;
  HttpPool& operator=(const HttpPool&) = delete;

  void run(const NextFn& next, const DoneFn& done, const MoreFn& more = nullptr) override;
  void wake() override;
  void stop() override;
  void abort() override;
  bool stopping() const override;
  PoolStats stats() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One blocking request with the same retry rules (for probes such as /models).
HttpResponse http_fetch(const HttpRequest& request, const PoolOptions& options);

}  // namespace qdrift
