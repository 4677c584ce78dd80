// Building and searching the simulator's item index.
#include "sim/sim_catalog.h"

#include <fmt/format.h>

namespace qdrift {

SimCatalog SimCatalog::build(const DataOptions& data) {
  SimCatalog catalog;
  DataOptions local = data;
  local.allow_network = false;  // a simulator never downloads
  for (const Bench* bench : all_benches()) {
    const BenchSim* sim = find_bench_sim(bench->name());
    if (!sim) {
      catalog.skipped_.push_back(fmt::format("{}: no simulator", bench->name()));
      continue;
    }
    catalog.sims_.push_back(sim);
    auto items = sim->items(*bench, local);
    if (!items.ok()) {
      catalog.skipped_.push_back(fmt::format("{}: {}", bench->name(), items.status().message()));
      continue;
    }
    BenchIndex index;
    index.sim = sim;
    index.items = std::move(items).value();
    for (std::size_t i = 0; i < index.items.size(); ++i) {
      const std::vector<ChatMessage> messages = bench->chat(index.items[i].item);
      if (!messages.empty()) index.by_key.emplace(sim->key(messages.back().content), i);
    }
    catalog.served_.push_back(fmt::format("{}: {} items", bench->name(), index.items.size()));
    catalog.benches_.push_back(std::move(index));
  }
  return catalog;
}

SimCatalog::Match SimCatalog::find(std::string_view prompt) const {
  for (const BenchSim* sim : sims_)
    if (std::optional<SimItem> item = sim->recognise(prompt)) return {sim, std::move(*item)};
  for (const BenchIndex& index : benches_) {
    auto it = index.by_key.find(index.sim->key(prompt));
    if (it != index.by_key.end()) return {index.sim, index.items[it->second]};
  }
  return {};
}

}  // namespace qdrift
