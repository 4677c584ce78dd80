// Tests of dataset benches: a query that reads only a data dir (never the
// machine's cache, never the network), and the synthetic files in tests/data.
#pragma once

#include <cstdint>
#include <string>

#include "qdrift/bench.h"

namespace qdrift::rows {

inline const std::string kTestDataDir = std::string(QDRIFT_SOURCE_DIR) + "/tests/data";

inline ItemQuery offline_query(const std::string& data_dir, Tier tier = Tier::kFull, std::uint64_t seed = 0) {
  ItemQuery query;
  query.tier = tier;
  query.seed = seed;
  query.data.data_dir = data_dir;
  query.data.cache_dir = data_dir + "/no-cache";  // never the machine's cache
  query.data.allow_network = false;
  return query;
}

}  // namespace qdrift::rows
