// HttpPool: a single-threaded libcurl multi-interface event loop. run() keeps
// `concurrency` transfers going, re-uses easy handles and the multi handle's
// connection cache, retries transient failures with backoff (honouring
// Retry-After), and hands final answers to the caller. Also http_fetch(), the
// one-request wrapper, and StopSource. Request headers carry keys: the only
// printing is the -v dump, which redacts them (client/request_dump.h).
#include "qdrift/http_pool.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <deque>
#include <mutex>
#include <random>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "client/request_dump.h"

namespace qdrift {
namespace {

using Clock = std::chrono::steady_clock;
using NextFn = Transport::NextFn;
using DoneFn = Transport::DoneFn;
using MoreFn = Transport::MoreFn;

// Upper bound on one curl_multi_poll wait. curl_multi_wakeup already interrupts
// the poll for stop()/abort(); the bound is only a safety net.
constexpr int kMaxPollMs = 1000;
// Timeouts beyond this are treated as "practically forever" (and avoid overflow).
constexpr double kMaxTimeoutMs = 1e9;

void ensure_curl_global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

long seconds_to_ms(double seconds) {
  if (!(seconds > 0)) return 0;  // also catches NaN; 0 means "no timeout" to curl
  return static_cast<long>(std::min(std::ceil(seconds * 1000.0), kMaxTimeoutMs));
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The value of header `name` if `line` ("Name: value\r\n") is that header.
std::optional<std::string_view> header_value(std::string_view line, std::string_view name) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  if (!iequals(trim(line.substr(0, colon)), name)) return std::nullopt;
  return trim(line.substr(colon + 1));
}

// Retry-After is either delta-seconds or an HTTP-date; returns seconds to wait.
std::optional<double> parse_retry_after(std::string_view value) {
  long long seconds = 0;
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, seconds);
  if (ec == std::errc() && ptr == end) return static_cast<double>(std::max(0LL, seconds));
  const std::string date(value);  // curl_getdate needs a terminated string
  const std::time_t when = curl_getdate(date.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::max(0.0, std::difftime(when, std::time(nullptr)));
}

bool has_header(const std::vector<std::string>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const std::string& header) {
    return header_value(header, name).has_value();
  });
}

// One request across all its tries. Heap-allocated and never moved, because
// curl keeps pointers into it (body, error buffer, callback user data).
struct Transfer {
  explicit Transfer(HttpRequest r) : request(std::move(r)) {}
  ~Transfer() { curl_slist_free_all(header_list); }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  void reset_for_try() {
    response.status = 0;
    response.body.clear();
    response.transport_error.clear();
    retry_after_s.reset();
    body_too_large = false;
    error_buffer[0] = '\0';
  }

  HttpRequest request;
  HttpResponse response;  // the current try's answer; attempts counts all tries
  curl_slist* header_list = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {};
  std::optional<double> retry_after_s;  // from the current try's response
  bool body_too_large = false;
  std::size_t max_body_bytes = 0;
  Clock::time_point first_try_start;
  Clock::time_point retry_at;
  std::uint64_t dump_number = 0;  // -v: pairs the request's dump with its answer's
  // Replicas: the URL's path after the replicas' base URL, when the request is
  // routed; the replica of the current try (-1: none); tries given back
  // because a replica went down under them.
  std::optional<std::string> routed_path;
  int replica = -1;
  int tries_given_back = 0;
};

// A replica as the event loop sees it. Counters are atomic for stats(); the
// rest is touched only by the loop's thread.
struct ReplicaState {
  ReplicaState(std::string url, std::size_t share) : base_url(std::move(url)), limit(share) {}
  const std::string base_url;
  const std::size_t limit;      // its requests in flight
  std::size_t in_flight = 0;
  int unanswered_in_a_row = 0;  // tries without any HTTP answer since its last answer
  std::atomic<bool> down{false};
  std::atomic<std::uint64_t> answered{0};
  std::atomic<std::uint64_t> tries{0};
  std::atomic<std::uint64_t> failed_tries{0};
};

curl_slist* append_header(curl_slist* list, const char* header) {
  curl_slist* longer = curl_slist_append(list, header);
  return longer != nullptr ? longer : list;  // on OOM keep what we have
}

curl_slist* build_header_list(const HttpRequest& request) {
  curl_slist* list = nullptr;
  const bool sends_json = request.method != "GET" && !request.body.empty();
  if (sends_json && !has_header(request.headers, "Content-Type")) {
    list = append_header(list, "Content-Type: application/json");
  }
  // Without this curl waits for "100 Continue" before sending bodies > 1 KiB.
  list = append_header(list, "Expect:");
  for (const std::string& header : request.headers) list = append_header(list, header.c_str());
  return list;
}

// Called by curl with body bytes; cuts the body at the cap and aborts the try.
std::size_t on_body_bytes(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  std::string& body = transfer->response.body;
  try {
    const std::size_t room =
        transfer->max_body_bytes - std::min(body.size(), transfer->max_body_bytes);
    if (bytes > room) {
      body.append(data, room);
      transfer->body_too_large = true;
      return 0;  // anything but `bytes` makes curl abort with CURLE_WRITE_ERROR
    }
    body.append(data, bytes);
    return bytes;
  } catch (...) {  // out of memory: abort the try rather than unwind through C
    return 0;
  }
}

// Called by curl once per header line; we only want Retry-After.
std::size_t on_header_line(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  const std::string_view line(data, bytes);
  try {
    if (line.rfind("HTTP/", 0) == 0) {
      transfer->retry_after_s.reset();  // a new response (e.g. after 100 Continue)
    } else if (auto value = header_value(line, "Retry-After")) {
      transfer->retry_after_s = parse_retry_after(*value);
    }
  } catch (...) {  // out of memory while parsing a date: ignore the header
  }
  return bytes;
}

void configure_method(CURL* easy, const HttpRequest& request) {
  if (request.method == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    return;
  }
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
  if (request.method != "POST") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

void configure_easy(CURL* easy, Transfer& transfer, const PoolOptions& options) {
  curl_easy_reset(easy);
  curl_easy_setopt(easy, CURLOPT_URL, transfer.request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM: we are multi-threaded
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);  // long generations idle for minutes
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, seconds_to_ms(options.connect_timeout_s));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, seconds_to_ms(options.request_timeout_s));
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error_buffer);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body_bytes);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header_line);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.header_list);
  configure_method(easy, transfer.request);
}

// Fills status / transport_error of the try that just ended.
void record_try_outcome(Transfer& transfer, CURL* easy, CURLcode result) {
  HttpResponse& response = transfer.response;
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  response.status = status;
  if (transfer.body_too_large) {
    // The status stays: the server did answer, we just refused to keep it all.
    response.transport_error =
        "response body larger than " + std::to_string(transfer.max_body_bytes) + " bytes";
    return;
  }
  if (result == CURLE_OK) return;
  // A try that broke mid-way has no trustworthy answer, even if headers came.
  response.status = 0;
  response.transport_error =
      transfer.error_buffer[0] != '\0' ? transfer.error_buffer : curl_easy_strerror(result);
}

}  // namespace

bool is_retryable(const HttpResponse& response) {
  if (response.status == 0) return true;
  // A status with a transport error is a body cut at the size cap: it would be
  // cut again, so another try is pointless.
  if (!response.transport_error.empty()) return false;
  const long status = response.status;
  return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

struct HttpPool::Impl {
  explicit Impl(PoolOptions pool_options);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void run(const NextFn& next, const DoneFn& done, const MoreFn& more);
  // One wake-up write per loop pass is enough: it makes the next poll return,
  // and the loop then asks for everything queued meanwhile. The loop's own
  // thread never needs one (it asks again before it polls).
  void wake() {
    if (std::this_thread::get_id() == loop_thread.load()) return;
    if (!wake_pending.exchange(true)) curl_multi_wakeup(multi);
  }
  bool stopping() const { return stop_requested.load() || abort_requested.load(); }
  bool aborted() const { return abort_requested.load(); }

  // One pass of the event loop each.
  void pull_new_requests(const NextFn& next);
  void start_due_retries();
  int collect_finished_tries();
  int poll_timeout_ms() const;
  void abandon_all();

  void start_try(std::unique_ptr<Transfer> transfer);
  void finish_try(std::unique_ptr<Transfer> transfer);
  void schedule_retry(std::unique_ptr<Transfer> transfer);
  void deliver(std::unique_ptr<Transfer> transfer);
  double backoff_seconds(int tries_made);
  std::unique_ptr<Transfer> make_transfer(HttpRequest request) const;

  CURL* acquire_easy();
  void release_easy(CURL* easy) noexcept;

  // Replicas (PoolOptions::replicas).
  void route(Transfer& transfer);
  bool give_back_try(Transfer& transfer);
  std::size_t replicas_up() const;

  std::size_t slot_limit() const {
    if (replicas.empty()) return static_cast<std::size_t>(std::max(1, options.concurrency));
    std::size_t shares = 0;
    for (const ReplicaState& replica : replicas) shares += replica.down ? 0 : replica.limit;
    return std::max<std::size_t>(1, shares);
  }
  // Waiting retries count as occupying their slot (see pull_new_requests).
  std::size_t slots_used() const { return in_flight.size() + waiting.size(); }

  PoolOptions options;
  CURLM* multi = nullptr;
  std::mt19937_64 jitter_rng;
  std::vector<CURL*> idle_easies;                                  // reset and re-used
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> in_flight;  // added to `multi`
  std::vector<std::unique_ptr<Transfer>> waiting;                  // sleeping until retry_at
  const DoneFn* done_fn = nullptr;                                 // set only during run()
  bool source_exhausted = false;
  std::deque<ReplicaState> replicas;  // a deque: its elements hold atomics and never move
  std::string routed_prefix;          // replicas[0].base_url + "/"

  std::atomic<bool> wake_pending{false};
  std::atomic<std::thread::id> loop_thread{};
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> abort_requested{false};
  std::atomic<std::uint64_t> completed{0};
  std::atomic<std::uint64_t> attempts{0};
  std::atomic<std::uint64_t> retries{0};
  std::atomic<std::size_t> max_in_flight{0};
};

HttpPool::Impl::Impl(PoolOptions pool_options)
    : options(std::move(pool_options)), jitter_rng(options.jitter_seed) {
  ensure_curl_global_init();
  for (const Replica& replica : options.replicas)
    replicas.emplace_back(replica.base_url, static_cast<std::size_t>(replica_share(replica, options.concurrency)));
  if (!replicas.empty()) routed_prefix = replicas.front().base_url + "/";
  multi = curl_multi_init();
  // Keep one idle connection per slot so each new request finds a warm one; no
  // per-host limit, since typically every request goes to the same host.
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(slot_limit()));
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
}

HttpPool::Impl::~Impl() {
  abandon_all();
  for (CURL* easy : idle_easies) curl_easy_cleanup(easy);
  curl_multi_cleanup(multi);
}

void HttpPool::Impl::run(const NextFn& next, const DoneFn& done, const MoreFn& more) {
  // Whatever way run() ends (return, abort, a callback throwing), no easy
  // handle stays in the multi and no transfer outlives the call.
  struct Cleanup {
    Impl& impl;
    ~Cleanup() {
      impl.abandon_all();
      impl.done_fn = nullptr;
      impl.loop_thread.store(std::thread::id{});
    }
  } cleanup{*this};
  done_fn = &done;
  source_exhausted = false;

  loop_thread.store(std::this_thread::get_id());
  while (!aborted()) {
    wake_pending.store(false);  // before asking for work: a wake from now on writes again
    start_due_retries();
    if (more) source_exhausted = false;  // work may have been queued from another thread
    pull_new_requests(next);
    if (in_flight.empty() && waiting.empty()) {
      if (!more || stopping() || !more()) break;
      curl_multi_poll(multi, nullptr, 0, kMaxPollMs, nullptr);  // until wake()
      continue;
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    if (collect_finished_tries() > 0) continue;  // refill freed slots before sleeping
    if (aborted()) break;
    curl_multi_poll(multi, nullptr, 0, poll_timeout_ms(), nullptr);
  }
}

// A waiting retry keeps its slot: in_flight + waiting <= concurrency. That way
// a struggling server sees fewer new requests while its earlier ones back off,
// and the number of requests "owned" by the pool stays bounded.
void HttpPool::Impl::pull_new_requests(const NextFn& next) {
  while (!source_exhausted && !stopping() && slots_used() < slot_limit()) {
    std::optional<HttpRequest> request = next();
    if (!request) {
      source_exhausted = true;
      break;
    }
    start_try(make_transfer(std::move(*request)));
  }
}

std::unique_ptr<Transfer> HttpPool::Impl::make_transfer(HttpRequest request) const {
  auto transfer = std::make_unique<Transfer>(std::move(request));
  transfer->header_list = build_header_list(transfer->request);
  transfer->max_body_bytes = options.max_response_bytes;
  transfer->first_try_start = Clock::now();
  const std::string& url = transfer->request.url;
  if (!routed_prefix.empty() && url.compare(0, routed_prefix.size(), routed_prefix) == 0)
    transfer->routed_path = url.substr(routed_prefix.size() - 1);
  return transfer;
}

void HttpPool::Impl::start_due_retries() {
  const Clock::time_point now = Clock::now();
  const auto not_due = std::partition(waiting.begin(), waiting.end(), [&](const auto& transfer) {
    return transfer->retry_at > now;
  });
  std::vector<std::unique_ptr<Transfer>> due(std::make_move_iterator(not_due),
                                             std::make_move_iterator(waiting.end()));
  waiting.erase(not_due, waiting.end());
  for (auto& transfer : due) start_try(std::move(transfer));
}

void HttpPool::Impl::start_try(std::unique_ptr<Transfer> transfer) {
  if (aborted()) return;  // abandoned before this try began
  transfer->reset_for_try();
  route(*transfer);
  transfer->response.attempts += 1;
  attempts.fetch_add(1);
  if (transfer->response.attempts > 1) retries.fetch_add(1);
  if (options.verbose && transfer->response.attempts == 1) {
    transfer->dump_number = next_dump_number();
    const std::string label = options.describe ? options.describe(transfer->request) : "";
    write_dump(dump_request(transfer->request, transfer->dump_number, label));
  }

  CURL* easy = acquire_easy();
  if (easy == nullptr) {
    transfer->response.transport_error = "could not create a curl easy handle";
    deliver(std::move(transfer));  // a local failure: retrying would not help
    return;
  }
  configure_easy(easy, *transfer, options);
  const auto slot = in_flight.emplace(easy, std::move(transfer)).first;
  const CURLMcode added = curl_multi_add_handle(multi, easy);
  if (added != CURLM_OK) {
    std::unique_ptr<Transfer> failed = std::move(slot->second);
    in_flight.erase(slot);
    release_easy(easy);
    failed->response.transport_error = curl_multi_strerror(added);
    deliver(std::move(failed));
    return;
  }
  const int replica = slot->second->replica;
  if (replica >= 0) replicas[static_cast<std::size_t>(replica)].in_flight += 1;
  // Only this thread writes max_in_flight, so load-then-store cannot race.
  if (in_flight.size() > max_in_flight.load()) max_in_flight.store(in_flight.size());
}

int HttpPool::Impl::collect_finished_tries() {
  int finished = 0;
  int queued = 0;
  while (!aborted()) {
    CURLMsg* message = curl_multi_info_read(multi, &queued);
    if (message == nullptr) break;
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    const CURLcode result = message->data.result;  // read before the message goes stale
    const auto found = in_flight.find(easy);
    if (found == in_flight.end()) continue;
    std::unique_ptr<Transfer> transfer = std::move(found->second);
    in_flight.erase(found);
    curl_multi_remove_handle(multi, easy);
    record_try_outcome(*transfer, easy, result);
    release_easy(easy);
    if (transfer->replica >= 0) replicas[static_cast<std::size_t>(transfer->replica)].in_flight -= 1;
    ++finished;
    finish_try(std::move(transfer));
  }
  return finished;
}

// stop() does not cut retries short: pulled requests still finish under the
// retry policy. Only abort() abandons them.
void HttpPool::Impl::finish_try(std::unique_ptr<Transfer> transfer) {
  if (aborted()) return;  // abandoned: done is not called
  if (give_back_try(*transfer)) {
    start_try(std::move(transfer));  // to another replica, now
    return;
  }
  const int tries_spent = transfer->response.attempts - transfer->tries_given_back;
  const bool tries_left = tries_spent < options.retry.max_attempts;
  if (tries_left && is_retryable(transfer->response)) {
    schedule_retry(std::move(transfer));
  } else {
    deliver(std::move(transfer));
  }
}

// Exponential backoff with "equal jitter": half of the step is fixed, half is
// random, so retries spread out but never come back too soon.
double HttpPool::Impl::backoff_seconds(int tries_made) {
  const RetryPolicy& retry = options.retry;
  const double step = std::max(0.0, retry.initial_backoff_s) * std::pow(2.0, tries_made - 1);
  const double capped = std::min(step, std::max(0.0, retry.max_backoff_s));
  const double half = capped / 2;
  return half + std::uniform_real_distribution<double>(0.0, half)(jitter_rng);
}

void HttpPool::Impl::schedule_retry(std::unique_ptr<Transfer> transfer) {
  double delay = backoff_seconds(transfer->response.attempts);
  if (transfer->retry_after_s) {
    // The cap limits only what the server may impose; our own backoff stands.
    const double server_asks = std::min(*transfer->retry_after_s, options.retry.max_retry_after_s);
    delay = std::max(delay, server_asks);
  }
  transfer->retry_at = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(delay));
  waiting.push_back(std::move(transfer));
}

void HttpPool::Impl::deliver(std::unique_ptr<Transfer> transfer) {
  const std::chrono::duration<double> elapsed = Clock::now() - transfer->first_try_start;
  transfer->response.seconds = elapsed.count();
  completed.fetch_add(1);
  if (transfer->replica >= 0) replicas[static_cast<std::size_t>(transfer->replica)].answered.fetch_add(1);
  if (options.verbose) write_dump(dump_response(transfer->request, transfer->response, transfer->dump_number));
  (*done_fn)(std::move(transfer->request), std::move(transfer->response));
  // `done` may have queued more work (a re-request of an unusable body): ask again.
  source_exhausted = false;
}

// Sleep until curl has work or the earliest waiting retry is due.
int HttpPool::Impl::poll_timeout_ms() const {
  if (waiting.empty()) return kMaxPollMs;
  const auto earliest =
      std::min_element(waiting.begin(), waiting.end(),
                       [](const auto& a, const auto& b) { return a->retry_at < b->retry_at; });
  const auto wait =
      std::chrono::ceil<std::chrono::milliseconds>((*earliest)->retry_at - Clock::now());
  return static_cast<int>(std::clamp<std::int64_t>(wait.count(), 0, kMaxPollMs));
}

void HttpPool::Impl::abandon_all() {
  for (auto& [easy, transfer] : in_flight) {
    curl_multi_remove_handle(multi, easy);
    release_easy(easy);
  }
  in_flight.clear();
  waiting.clear();
  for (ReplicaState& replica : replicas) replica.in_flight = 0;
}

// Whether replica `a` should get the next request rather than `b`: fewer in
// flight for its share (in_a / share_a < in_b / share_b, compared without
// division), then fewer unanswered tries in a row (a replica that just failed
// is not asked again while another one is as free).
static bool preferred(const ReplicaState& a, const ReplicaState& b) {
  const std::size_t a_load = a.in_flight * b.limit, b_load = b.in_flight * a.limit;
  if (a_load != b_load) return a_load < b_load;
  return a.unanswered_in_a_row < b.unanswered_in_a_row;
}

// The preferred up replica; ties go to the earlier one.
void HttpPool::Impl::route(Transfer& transfer) {
  if (!transfer.routed_path) return;
  ReplicaState* best = nullptr;
  int best_index = -1;
  for (std::size_t i = 0; i < replicas.size(); ++i) {
    ReplicaState& r = replicas[i];
    if (r.down || (best != nullptr && !preferred(r, *best))) continue;
    best = &r;
    best_index = static_cast<int>(i);
  }
  if (best == nullptr) return;  // cannot happen: the last replica up is never marked down
  transfer.replica = best_index;
  transfer.request.url = best->base_url + *transfer.routed_path;
  best->tries.fetch_add(1);
}

std::size_t HttpPool::Impl::replicas_up() const {
  return static_cast<std::size_t>(
      std::count_if(replicas.begin(), replicas.end(), [](const ReplicaState& r) { return !r.down; }));
}

// After a try on a replica: an HTTP answer of any status clears its run of
// failures; no answer at all counts towards marking it down. A try lost to a
// replica that is down is given back, and the caller sends it elsewhere at once.
bool HttpPool::Impl::give_back_try(Transfer& transfer) {
  if (transfer.replica < 0) return false;
  ReplicaState& replica = replicas[static_cast<std::size_t>(transfer.replica)];
  if (transfer.response.status != 0) {
    replica.unanswered_in_a_row = 0;
    return false;
  }
  replica.failed_tries.fetch_add(1);
  replica.unanswered_in_a_row += 1;
  if (!replica.down && replica.unanswered_in_a_row >= kReplicaDownAfter && replicas_up() > 1) replica.down = true;
  if (!replica.down) return false;
  transfer.tries_given_back += 1;
  return true;
}

CURL* HttpPool::Impl::acquire_easy() {
  if (idle_easies.empty()) return curl_easy_init();
  CURL* easy = idle_easies.back();
  idle_easies.pop_back();
  return easy;
}

void HttpPool::Impl::release_easy(CURL* easy) noexcept {
  try {
    idle_easies.push_back(easy);
  } catch (...) {  // out of memory: just drop the handle
    curl_easy_cleanup(easy);
  }
}

HttpPool::HttpPool(PoolOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpPool::~HttpPool() = default;

void HttpPool::run(const NextFn& next, const DoneFn& done, const MoreFn& more) {
  StopSource* source = impl_->options.stop_source;
  if (source == nullptr) {
    impl_->run(next, done, more);
    return;
  }
  // Attached only while running: a StopSource never touches a pool after run() returns.
  struct Attachment {
    StopSource* source;
    HttpPool* pool;
    ~Attachment() { source->detach(pool); }
  };
  source->attach(this);
  Attachment attachment{source, this};
  impl_->run(next, done, more);
}

void StopSource::stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  int running = kRunning;
  state_.compare_exchange_strong(running, kStopped);
  for (HttpPool* pool : pools_) pool->stop();
}

void StopSource::abort() {
  std::lock_guard<std::mutex> lock(mutex_);
  state_ = kAborted;
  for (HttpPool* pool : pools_) pool->abort();
}

void StopSource::attach(HttpPool* pool) {
  std::lock_guard<std::mutex> lock(mutex_);
  pools_.push_back(pool);
  if (state_ == kStopped) pool->stop();
  if (state_ == kAborted) pool->abort();
}

void StopSource::detach(HttpPool* pool) {
  std::lock_guard<std::mutex> lock(mutex_);
  pools_.erase(std::remove(pools_.begin(), pools_.end(), pool), pools_.end());
}

void HttpPool::stop() {
  impl_->stop_requested.store(true);
  impl_->wake();
}

void HttpPool::wake() { impl_->wake(); }

void HttpPool::abort() {
  impl_->abort_requested.store(true);
  impl_->wake();
}

bool HttpPool::stopping() const { return impl_->stopping(); }

PoolStats HttpPool::stats() const {
  PoolStats stats;
  stats.completed = impl_->completed.load();
  stats.attempts = impl_->attempts.load();
  stats.retries = impl_->retries.load();
  stats.max_in_flight = impl_->max_in_flight.load();
  for (const ReplicaState& replica : impl_->replicas)
    stats.replicas.push_back({replica.base_url, replica.answered.load(), replica.tries.load(),
                              replica.failed_tries.load(), replica.down.load()});
  return stats;
}

HttpResponse http_fetch(const HttpRequest& request, const PoolOptions& options) {
  PoolOptions one_at_a_time = options;
  one_at_a_time.concurrency = 1;
  HttpPool pool(one_at_a_time);
  HttpResponse result;
  result.transport_error = "request was not completed";  // only if run() never answers
  bool pulled = false;
  pool.run(
      [&]() -> std::optional<HttpRequest> {
        if (pulled) return std::nullopt;
        pulled = true;
        return request;
      },
      [&](HttpRequest&&, HttpResponse&& response) { result = std::move(response); });
  return result;
}

}  // namespace qdrift
