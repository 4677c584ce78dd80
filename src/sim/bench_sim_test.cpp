// BenchSim's defaults: a one-shot sim answers the conversation's last user
// message, and the index rates a bench's items one by one.
#include "qdrift/bench_sim.h"

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "test_items.h"

using namespace qdrift;
using qdrift::testing::item_of;

namespace {

// Echoes what it was asked, so a test sees which message was answered.
class EchoSim final : public BenchSim {
 public:
  std::string bench_name() const override { return "echo"; }
  double difficulty(const Item& item) const override { return static_cast<double>(item.id.size()) / 10; }
  std::string write_answer(const Item& item, std::string_view prompt, bool correct,
                           std::uint64_t noise) const override {
    return fmt::format("{}|{}|{}|{}", item.id, prompt, correct, noise);
  }
};

class TwoItemBench final : public Bench {
 public:
  std::string name() const override { return "two"; }
  std::string version() const override { return "1"; }
  std::string summary() const override { return ""; }
  BenchDefaults defaults() const override { return {}; }
  Result<std::vector<Item>> items(const ItemQuery& query) const override {
    if (query.data.data_dir == "missing") return Status::BadInput("not cached");
    return std::vector<Item>{item_of("a", "p1", "1"), item_of("abcd", "p2", "2")};
  }
  std::vector<ChatMessage> chat(const Item& item) const override { return {{"user", item.prompt}}; }
  Score score(const Item&, const ChatResponse&) const override { return {}; }
};

}  // namespace

TEST_CASE("a one-shot sim answers the last user message of the transcript", "[sim]") {
  const EchoSim sim;
  const Item item = item_of("q7", "first question", "1");
  const std::vector<ChatMessage> turns = {
      {"system", "be brief"}, {"user", "first question"}, {"assistant", "an answer"}, {"user", "and again?"}};
  CHECK(sim.next_turn(item, {turns}, true, 5).content == "q7|and again?|true|5");
  // The simulator accepts any role last: with no user message the last one is answered.
  CHECK(sim.next_turn(item, {{{"system", "only this"}}}, false, 1).content == "q7|only this|false|1");
  CHECK(sim.next_turn(item, {}, false, 2).content == "q7||false|2");
}

TEST_CASE("a sim rates each item of its bench by difficulty() for the index", "[sim]") {
  const EchoSim sim;
  const TwoItemBench bench;
  auto rated = sim.items(bench, {});
  REQUIRE(rated.ok());
  REQUIRE(rated->size() == 2);
  CHECK((*rated)[0].item.prompt == "p1");
  CHECK((*rated)[0].difficulty == Approx(0.1));
  CHECK((*rated)[1].difficulty == Approx(0.4));
  DataOptions missing;
  missing.data_dir = "missing";
  CHECK(sim.items(bench, missing).status().message() == "not cached");
}
