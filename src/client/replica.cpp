// parse_replica: the "URL@C" form of a repeated --endpoint.
#include "qdrift/replica.h"

#include <algorithm>
#include <charconv>

#include "qdrift/endpoint.h"
#include "qdrift/openai.h"

namespace qdrift {

namespace {
constexpr int kMaxReplicaConcurrency = 100000;
}

Result<Replica> parse_replica(std::string_view spec) {
  Replica replica;
  std::string_view url = spec;
  const std::size_t at = spec.rfind('@');
  const std::string_view suffix = at == std::string_view::npos ? std::string_view() : spec.substr(at + 1);
  const bool all_digits =
      !suffix.empty() && std::all_of(suffix.begin(), suffix.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (all_digits) {
    url = spec.substr(0, at);
    int concurrency = 0;
    const auto [end, error] = std::from_chars(suffix.data(), suffix.data() + suffix.size(), concurrency);
    if (error != std::errc() || end != suffix.data() + suffix.size() || concurrency < 1 ||
        concurrency > kMaxReplicaConcurrency)
      return Status::Usage("--endpoint " + redact_url(url) + "@" + std::string(suffix) +
                           ": the concurrency after '@' must be 1 to " + std::to_string(kMaxReplicaConcurrency));
    replica.concurrency = concurrency;
  }
  replica.base_url = Endpoint::trim_base_url(std::string(url));
  if (replica.base_url.empty()) return Status::Usage("--endpoint: empty URL");
  return replica;
}

int replica_share(const Replica& replica, int concurrency) {
  return std::max(1, replica.concurrency > 0 ? replica.concurrency : concurrency);
}

int total_concurrency(const std::vector<Replica>& replicas, int concurrency) {
  if (replicas.empty()) return concurrency;
  int total = 0;
  for (const Replica& replica : replicas) total += replica_share(replica, concurrency);
  return total;
}

}  // namespace qdrift
