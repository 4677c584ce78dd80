// Replicas: several servers of the same model, given as repeated --endpoint
// flags. The HTTP pool spreads a run's chat requests over them
// (PoolOptions::replicas) and keeps going when one dies.
#pragma once

#include <string>
#include <string_view>

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

}  // namespace qdrift
