#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "qdrift/bench.h"
#include "qdrift/openai.h"
#include "qdrift/sim.h"
#include "qdrift/stats.h"

using namespace qdrift;
using nlohmann::json;

namespace {

SimModel model_for(const std::string& variant, std::uint64_t seed, const std::string& field = "reasoning") {
  SimOptions o;
  o.variant = variant;
  o.seed = seed;
  o.reasoning_field = field;
  return SimModel(o, *sim_damage(o));
}

std::string request_for(const Item& item, bool think, int max_tokens = 512, std::int64_t seed = 7) {
  ChatRequest r{"qdrift-sim", {{"user", item.prompt}}, sampling_preset(think), seed};
  r.sampling.max_tokens = max_tokens;
  return chat_request_body(r);
}

// Share of items answered correctly, and the flips against another model.
struct Tally {
  int correct = 0, losses = 0, wins = 0, truncated = 0;
};
Tally compare(const SimModel& a, const SimModel& b, bool think = false) {
  const Bench* bench = find_bench("arith");
  auto items = bench->items({Tier::kFull, 0, {}});
  Tally t;
  for (const Item& item : *items) {
    auto ra = parse_chat_response(a.chat(request_for(item, think)).body);
    auto rb = parse_chat_response(b.chat(request_for(item, think)).body);
    bool x = bench->score(item, *ra).correct, y = bench->score(item, *rb).correct;
    t.correct += y;
    t.losses += x && !y;
    t.wins += !x && y;
    t.truncated += rb->finish_reason == "length";
  }
  return t;
}

}  // namespace

TEST_CASE("sim answers are a deterministic function of its seed and the request", "[sim]") {
  auto item = (*find_bench("arith")->items({Tier::kSmoke, 0, {}}))[0];
  SimModel a = model_for("fp16", 1);
  CHECK(a.chat(request_for(item, false)).body.substr(0, 40) == a.chat(request_for(item, false)).body.substr(0, 40));
  json first = json::parse(a.chat(request_for(item, false)).body);
  json again = json::parse(a.chat(request_for(item, false)).body);
  CHECK(first["choices"] == again["choices"]);
  CHECK(first["usage"]["completion_tokens"].get<int>() > 0);
}

TEST_CASE("sim answers the last user message of a longer conversation", "[sim]") {
  const Bench* bench = find_bench("arith");
  auto items = *bench->items({Tier::kSmoke, 0, {}});
  SimModel model = model_for("fp16", 1);
  ChatRequest one_turn{"qdrift-sim", {{"user", items[1].prompt}}, sampling_preset(false), 7};
  ChatRequest longer = one_turn;
  longer.messages = {{"system", "Be brief."}, {"user", items[0].prompt}, {"assistant", "The final answer is 0."},
                     {"user", items[1].prompt}};
  auto alone = parse_chat_response(model.chat(chat_request_body(one_turn)).body);
  auto in_conversation = parse_chat_response(model.chat(chat_request_body(longer)).body);
  REQUIRE(alone.ok());
  REQUIRE(in_conversation.ok());
  // The draw depends on the question asked, not on the turns before it.
  CHECK(in_conversation->content == alone->content);
  CHECK_FALSE(alone->content.empty());
}

TEST_CASE("two fp16 sims disagree on a realistic - symmetric share of items", "[sim]") {
  Tally t = compare(model_for("fp16", 1), model_for("fp16", 2));
  const double flip_rate = (t.losses + t.wins) / 1000.0;
  CHECK(flip_rate > 0.05);
  CHECK(flip_rate < 0.20);
  // Symmetric: a two-sided exact test at 1% does not reject.
  CHECK(stats::mcnemar(t.losses, t.wins).two_sided_exact > 0.01);
}

TEST_CASE("variants lose accuracy in order and broken rambles into the cap", "[sim]") {
  Tally fp16 = compare(model_for("fp16", 1), model_for("fp16", 2));
  Tally int4 = compare(model_for("fp16", 1), model_for("int4", 2));
  Tally broken = compare(model_for("fp16", 1), model_for("broken", 2));
  CHECK(int4.correct < fp16.correct);
  CHECK(fp16.correct - int4.correct < 60);  // a small loss: under 6 points on 1000 items
  CHECK(broken.correct < fp16.correct / 2);
  CHECK(broken.truncated > 100);
  CHECK(fp16.truncated < 20);
}

TEST_CASE("think mode reasons in every field shape and hits the cap when rambling", "[sim]") {
  auto item = (*find_bench("arith")->items({Tier::kSmoke, 0, {}}))[3];
  for (const char* field : {"reasoning", "reasoning_content", "think-tags"}) {
    auto r = parse_chat_response(model_for("fp16", 1, field).chat(request_for(item, true, 8192)).body);
    REQUIRE(r.ok());
    CHECK_FALSE(r->reasoning.empty());
    CHECK(r->reasoning_tokens > 0);
    CHECK(r->content.find("<think>") == std::string::npos);
  }
  auto cut = parse_chat_response(model_for("fp16", 1).chat(request_for(item, true, 5)).body);
  CHECK(cut->finish_reason == "length");
  CHECK(cut->content.empty());
}

TEST_CASE("sim rejects what vLLM rejects - with vLLM's bodies", "[sim]") {
  SimModel m = model_for("fp16", 1);
  SimReply wrong_model = m.chat(R"({"model":"other","messages":[{"role":"user","content":"hi"}]})");
  CHECK(wrong_model.status == 404);
  CHECK(server_error_message(wrong_model.body) == "The model `other` does not exist.");
  CHECK(m.chat("{").status == 400);
  CHECK(m.chat(R"({"model":"qdrift-sim","messages":[]})").status == 400);
  SimOptions bad;
  bad.variant = "fp8";
  CHECK_FALSE(sim_damage(bad).ok());
}
