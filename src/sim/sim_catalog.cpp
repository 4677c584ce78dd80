// Building and searching the simulator's item index.
#include "sim/sim_catalog.h"

#include <fmt/format.h>

namespace qdrift {

SimCatalog SimCatalog::build(const DataOptions& data) {
  SimCatalog catalog;
  DataOptions local = data;
  local.allow_network = false;  // a simulator never downloads
  for (const Bench* bench : all_benches()) {
    auto items = bench->items({Tier::kFull, 0, local});
    if (!items.ok()) {
      catalog.skipped_.push_back(fmt::format("{}: {}", bench->name(), items.status().message()));
      continue;
    }
    BenchIndex index;
    index.bench = bench;
    index.items = std::move(items).value();
    for (std::size_t i = 0; i < index.items.size(); ++i) {
      const std::vector<ChatMessage> messages = bench->chat(index.items[i]);
      if (!messages.empty()) index.by_key.emplace(bench->sim_key(messages.back().content), i);
    }
    catalog.served_.push_back(fmt::format("{}: {} items", bench->name(), index.items.size()));
    catalog.benches_.push_back(std::move(index));
  }
  return catalog;
}

SimCatalog::Match SimCatalog::find(std::string_view prompt) const {
  for (const BenchIndex& index : benches_) {
    auto it = index.by_key.find(index.bench->sim_key(prompt));
    if (it != index.by_key.end()) return {index.bench, &index.items[it->second]};
  }
  return {};
}

}  // namespace qdrift
