// The simulator's index of items. A generated bench's sim (arith) recognises
// its own prompts; a dataset bench's items are loaded once, from --data-dir or
// the cache (never the network), and found again by their sim's key().
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "qdrift/bench_sim.h"
#include "qdrift/dataset.h"

namespace qdrift {

class SimCatalog {
 public:
  // Takes every registered bench's sim, and loads each bench's full tier at
  // seed 0 that the data options hold locally; benches whose data is missing
  // are listed in skipped().
  static SimCatalog build(const DataOptions& data);

  struct Match {
    const BenchSim* sim = nullptr;
    SimItem item;
  };
  // The item a prompt asks about; sim is null when no bench knows it.
  Match find(std::string_view prompt) const;

  const std::vector<std::string>& served() const { return served_; }    // "gsm8k: 1319 items (data-dir)"
  const std::vector<std::string>& skipped() const { return skipped_; }  // "gpqa: not cached; ..."

 private:
  struct BenchIndex {
    const BenchSim* sim = nullptr;
    std::vector<SimItem> items;
    std::unordered_map<std::string, std::size_t> by_key;
  };
  std::vector<const BenchSim*> sims_;  // every bench's, for recognise()
  std::vector<BenchIndex> benches_;
  std::vector<std::string> served_, skipped_;
};

}  // namespace qdrift
