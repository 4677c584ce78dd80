// Replicas: several servers of the same model, given as repeated --endpoint
// flags. The HTTP pool spreads a run's chat requests over them
// (PoolOptions::replicas) and keeps going when one dies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "qdrift/status.h"

namespace qdrift {

struct Replica {
  std::string base_url;  // including /v1, no trailing slash
  int concurrency = 0;   // its requests in flight; 0 = the run's -c
};

// "URL" or "URL@C": C, when the text after the last '@' is all digits, is the
// replica's own concurrency (an '@' in user:password@host stays part of the URL).
// A usage error for an empty URL or C outside 1..100000.
Result<Replica> parse_replica(std::string_view spec);

// A replica's requests in flight: its own, or `concurrency` (the run's -c); at least 1.
int replica_share(const Replica& replica, int concurrency);
// Requests in flight over all of them; `concurrency` alone when there are none.
int total_concurrency(const std::vector<Replica>& replicas, int concurrency);

}  // namespace qdrift
