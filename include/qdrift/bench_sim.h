// The simulator's side of a bench: how `qdrift sim` finds a bench's item in a
// prompt, how hard the item is, and what the simulated model says next. It
// lives beside each bench (benches/<x>/<x>_sim.cpp), not in Bench, so a run
// never carries test concerns; find_bench_sim() looks one up by bench name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/bench.h"
#include "qdrift/dataset.h"
#include "qdrift/openai.h"
#include "qdrift/status.h"

namespace qdrift {

// An item as the simulator holds it: with how hard it is, which sets the
// simulated model's margin on it and how long it thinks about it.
struct SimItem {
  Item item;
  double difficulty = 0.5;  // 0 easy .. 1 hard; 0.5 when nothing says otherwise
};

// One assistant turn of the simulated model: text, and tool calls when the
// request offered tools (sent with finish_reason "tool_calls").
struct SimTurn {
  std::string content;
  std::vector<ToolCall> tool_calls = {};
};

// What the simulated model sees of a request.
struct SimConversation {
  std::vector<ChatMessage> messages;  // role, content, tool calls and tool_call_id of each
  bool tools_offered = false;         // the request carried a `tools` array
};

class BenchSim {
 public:
  virtual ~BenchSim() = default;
  virtual std::string bench_name() const = 0;

  // Every item of `bench` (seed 0, full tier) that `data` holds, for the
  // simulator's index; by default bench.items() rated by difficulty().
  virtual Result<std::vector<SimItem>> items(const Bench& bench, const DataOptions& data) const;
  // The item a prompt asks about, for benches that can tell from the prompt
  // alone (generated items); dataset benches are found in the index by key().
  virtual std::optional<SimItem> recognise(std::string_view prompt) const { return std::nullopt; }
  // The part of a prompt that names the item whatever the run seed (a bench
  // that shuffles choices by seed keeps only the question).
  virtual std::string key(std::string_view prompt) const { return std::string(prompt); }
  // How hard an item is from the item alone; a bench whose measure needs its
  // source rows (gsm8k, math) rates its items in items() instead.
  virtual double difficulty(const Item& item) const { return 0.5; }

  // The next assistant turn given the conversation so far. A one-shot bench
  // answers the last user message with write_answer(); a multi-turn bench
  // overrides this to play the whole conversation.
  virtual SimTurn next_turn(const Item& item, const SimConversation& conversation, bool correct,
                            std::uint64_t noise) const;
  // A reply (content only) that the bench's score() grades as `correct` for
  // the item as asked in `prompt` (which may order choices differently from
  // `item`, drawn with another seed); `noise` varies the wording and the wrong
  // value.
  virtual std::string write_answer(const Item& item, std::string_view prompt, bool correct,
                                   std::uint64_t noise) const = 0;
};

// The sim of a bench by name: the built-in benches' from a fixed list, a
// custom bench's built on first lookup (it answers from the bench's spec).
// Null for a name no bench registered. Safe to call from any thread.
const BenchSim* find_bench_sim(std::string_view bench_name);

}  // namespace qdrift
