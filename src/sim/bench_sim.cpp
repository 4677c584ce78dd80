// BenchSim's defaults: items rated one by one, and a one-shot turn that
// answers the last user message.
#include "qdrift/bench_sim.h"

namespace qdrift {

Result<std::vector<SimItem>> BenchSim::items(const Bench& bench, const DataOptions& data) const {
  auto items = bench.items({Tier::kFull, 0, data});
  if (!items.ok()) return items.status();
  std::vector<SimItem> rated;
  rated.reserve(items->size());
  for (Item& item : *items) {
    const double hardness = difficulty(item);
    rated.push_back({std::move(item), hardness});
  }
  return rated;
}

SimTurn BenchSim::next_turn(const Item& item, const SimConversation& conversation, bool correct,
                            std::uint64_t noise) const {
  const std::vector<ChatMessage>& transcript = conversation.messages;
  // The question is the last user message; a conversation without one (the
  // simulator accepts any role last) is answered from its last message.
  std::string_view prompt = transcript.empty() ? std::string_view() : transcript.back().content;
  for (auto it = transcript.rbegin(); it != transcript.rend(); ++it)
    if (it->role == "user") {
      prompt = it->content;
      break;
    }
  return {write_answer(item, prompt, correct, noise)};
}

}  // namespace qdrift
