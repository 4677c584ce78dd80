// The simulated model: per-item margins from the item's difficulty plus a
// stable per-item draw, sampling noise from the server seed and the request
// seed, variant damage concentrated on marginal items, and think-mode
// reasoning whose length a damaged model inflates into the token cap.
#include <cmath>
#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "exam/exam_sim.h"
#include "qdrift/bench_sim.h"
#include "qdrift/sim.h"
#include "sim/sim_catalog.h"
#include "util/hash.h"

namespace qdrift {

using nlohmann::json;

Result<SimDamage> sim_damage(const SimOptions& options) {
  SimDamage damage;
  if (options.variant == "fp16") {
    damage = {0.0, 0.0, 0.005};
  } else if (options.variant == "int4") {
    damage = {0.2, 0.01, 0.007};  // about 1.7 points lost, nearly all on marginal items
  } else if (options.variant == "broken") {
    damage = {2.0, 3.5, 0.25};
  } else {
    return Status::Usage(fmt::format("unknown --variant '{}' (expected fp16, int4 or broken)", options.variant));
  }
  if (options.degrade) {
    const double d = *options.degrade;
    if (d < 0) return Status::Usage("--degrade must be >= 0");
    damage = {d, d / 10, 0.005 + 0.05 * d};
  }
  return damage;
}

namespace {

// With --batch-noise, the share of batched answers whose text diverges from the
// answer alone (the answer itself changes far less often: only on near-ties).
constexpr double kBatchTextDivergence = 0.3;


std::string error_body(const std::string& message, const char* type, int code) {
  return json{{"object", "error"}, {"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}
      .dump();
}

std::int64_t count_words(const std::string& text) {
  std::int64_t words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

// Filler reasoning of `words` words (one simulated token each), without digits
// so a truncated generation never leaks a number the scorer could pick up.
// A batch's numerics change a near-tie token mid-answer: one word inserted into
// the working (before the last line, which holds the answer), at a place `draw` picks.
std::string diverged(const std::string& content, std::uint64_t draw) {
  const std::size_t last_line = content.rfind('\n');
  if (last_line == std::string::npos) return content;
  std::vector<std::size_t> starts;  // where each word of the working begins
  for (std::size_t i = 0; i < last_line; ++i)
    if (content[i] != ' ' && content[i] != '\n' && (i == 0 || content[i - 1] == ' ' || content[i - 1] == '\n'))
      starts.push_back(i);
  if (starts.size() < 2) return content;
  const std::size_t at = starts[1 + draw % (starts.size() - 1)];
  return content.substr(0, at) + "so " + content.substr(at);
}

std::string reasoning_text(std::int64_t words) {
  static constexpr const char* kWords[] = {"First", "consider", "the", "terms", "carefully", "then",
                                           "combine", "them", "and", "check", "again."};
  std::string text;
  text.reserve(static_cast<std::size_t>(words) * 7);
  for (std::int64_t i = 0; i < words; ++i) {
    if (i) text.push_back(' ');
    text += kWords[i % 11];
  }
  return text;
}

std::string string_field(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// An assistant message's tool calls as the sim reads them back.
std::vector<ToolCall> tool_calls_of(const json& message) {
  std::vector<ToolCall> calls;
  auto list = message.find("tool_calls");
  if (list == message.end() || !list->is_array()) return calls;
  for (const json& call : *list) {
    if (!call.is_object() || !call.contains("function") || !call["function"].is_object()) continue;
    const json& function = call["function"];
    auto arguments = function.find("arguments");
    calls.push_back({string_field(call, "id"), string_field(function, "name"),
                     arguments == function.end() ? "" : arguments->is_string() ? arguments->get<std::string>()
                                                                               : arguments->dump()});
  }
  return calls;
}

// The request as the sim's conversation: role, text (content that is not a
// string, such as a list of parts, reads as empty), tool calls and their ids.
SimConversation conversation_of(const json& request, const json& messages) {
  SimConversation conversation;
  conversation.messages.reserve(messages.size());
  for (const json& message : messages) {
    if (!message.is_object()) {
      conversation.messages.push_back({});
      continue;
    }
    ChatMessage read{string_field(message, "role"), string_field(message, "content")};
    read.tool_calls = tool_calls_of(message);
    read.tool_call_id = string_field(message, "tool_call_id");
    conversation.messages.push_back(std::move(read));
  }
  auto tools = request.find("tools");
  conversation.tools_offered = tools != request.end() && tools->is_array() && !tools->empty();
  return conversation;
}

// The first user message: in a conversation whose last message is a tool's
// output, it is the question that names the item.
std::string first_user_message(const json& messages) {
  for (const json& message : messages)
    if (message.is_object() && string_field(message, "role") == "user") return string_field(message, "content");
  return "";
}

json tool_calls_json(const std::vector<ToolCall>& calls) {
  json list = json::array();
  for (const ToolCall& call : calls)
    list.push_back({{"id", call.id}, {"type", "function"}, {"function", {{"name", call.name}, {"arguments", call.arguments}}}});
  return list;
}

// `qdrift sim --judge`: every request is a judge request, answered by the
// exam sim's fixed rule; noise from the server seed (a rerun judges alike).
SimReply judge_reply(const SimOptions& options, const json& request, const json& messages) {
  const std::string content = sim_judge_reply(conversation_of(request, messages).messages, mix64(options.seed + 1), options.judge_noise);
  const std::int64_t completion_tokens = count_words(content);
  const json response = {
      {"id", fmt::format("chatcmpl-judge-{:016x}", hash_parts({"judge", content}))},
      {"object", "chat.completion"},
      {"created", static_cast<std::int64_t>(std::time(nullptr))},
      {"model", options.model_name},
      {"choices",
       {{{"index", 0},
         {"message", {{"role", "assistant"}, {"content", content}, {"tool_calls", json::array()}}},
         {"logprobs", nullptr},
         {"finish_reason", "stop"},
         {"stop_reason", nullptr}}}},
      {"usage", {{"prompt_tokens", 100}, {"total_tokens", 100 + completion_tokens}, {"completion_tokens", completion_tokens}}},
  };
  return {200, response.dump()};
}

}  // namespace

SimModel::SimModel(SimOptions options, SimDamage damage) : options_(std::move(options)), damage_(damage) {
  DataOptions data;
  data.data_dir = options_.data_dir;
  data.cache_dir = options_.cache_dir;
  catalog_ = std::make_shared<const SimCatalog>(SimCatalog::build(data));
}

std::vector<std::string> SimModel::served_benches() const { return catalog_->served(); }
std::vector<std::string> SimModel::skipped_benches() const { return catalog_->skipped(); }

std::string SimModel::models_body() const {
  return json{{"object", "list"},
              {"data",
               {{{"id", options_.model_name},
                 {"object", "model"},
                 {"created", 0},
                 {"owned_by", "vllm"},
                 {"root", options_.model_name},
                 {"parent", nullptr},
                 {"max_model_len", 32768}}}}}
      .dump();
}

SimReply SimModel::chat(const std::string& request_body, std::uint64_t batch_draw) const {
  json request = json::parse(request_body, nullptr, false);
  if (request.is_discarded() || !request.is_object())
    return {400, error_body("request body is not valid JSON", "BadRequestError", 400)};
  const std::string model = request.value("model", "");
  if (model != options_.model_name)
    return {404, error_body(fmt::format("The model `{}` does not exist.", model), "NotFoundError", 404)};
  auto messages = request.find("messages");
  if (messages == request.end() || !messages->is_array() || messages->empty() || !messages->back().is_object() ||
      !messages->back().contains("content") || !messages->back()["content"].is_string())
    return {400, error_body("messages must be a non-empty list ending in a message with content", "BadRequestError", 400)};
  if (auto tools = request.find("tools"); options_.refuse_tools && tools != request.end() && !tools->empty())
    return {400, error_body("\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set",
                            "BadRequestError", 400)};
  if (options_.judge) return judge_reply(options_, request, *messages);
  const std::string prompt = messages->back()["content"].get<std::string>();
  const std::int64_t max_tokens = request.value("max_tokens", 2048);
  if (max_tokens < 1) return {400, error_body("max_tokens must be at least 1", "BadRequestError", 400)};
  const std::int64_t seed = request.value("seed", 0);
  const double temperature = request.value("temperature", 1.0);
  bool think = true;  // Qwen3's template thinks unless told not to
  if (auto kwargs = request.find("chat_template_kwargs"); kwargs != request.end() && kwargs->is_object())
    think = kwargs->value("enable_thinking", true);

  // The item: its margin is a property of the item, the same for every variant.
  // A one-shot or relay prompt names it in the last message; an agent's
  // conversation, whose last message is a command's output, in its first question.
  std::string item_prompt = prompt;
  SimCatalog::Match match = catalog_->find(prompt);
  if (!match.sim) {
    item_prompt = first_user_message(*messages);
    match = catalog_->find(item_prompt);
  }
  const std::uint64_t item_hash = hash_parts({"item", item_prompt});
  const double difficulty = match.sim ? match.item.difficulty : 0.5;
  // A wide spread of margins leaves ~11% of items marginal: two fp16 runs then
  // disagree on about that share of items, as sampled runs of a real model do.
  const double margin = 3.8 - 3.5 * difficulty + 3.0 * normal_from_hash(item_hash);
  const double damaged = margin - damage_.focused * std::exp(-margin * margin / 4.5) - damage_.uniform;
  const double sharpness = 0.7 / std::max(temperature, 0.1);  // colder sampling is more decisive
  const double p_correct = 0.5 * std::erfc(-damaged * sharpness / std::sqrt(2.0));  // probit

  // The draw: a function of this server's seed and the request, so a rerun reproduces it.
  const std::string seed_text = std::to_string(seed), server_seed = std::to_string(options_.seed);
  const std::uint64_t draw = hash_parts({"draw", server_seed, seed_text, prompt, think ? "t" : "n"});
  // In a batch, the numerics move the draw halfway to another one: a near-tie flips.
  const double position = batch_draw == 0 ? unit_interval(draw)
                                          : 0.5 * unit_interval(draw) + 0.5 * unit_interval(mix64(draw ^ batch_draw));
  const bool correct = position < p_correct;
  const bool rambles = unit_interval(mix64(draw ^ 0x5eed)) < damage_.ramble;

  SimTurn turn{"I am not sure."};
  if (match.sim) turn = match.sim->next_turn(match.item.item, conversation_of(request, *messages), correct, mix64(draw));
  std::string& content = turn.content;
  if (batch_draw != 0 && turn.tool_calls.empty() && unit_interval(mix64(batch_draw ^ item_hash)) < kBatchTextDivergence)
    content = diverged(content, mix64(batch_draw ^ draw));
  std::string reasoning;
  std::string finish = "stop";
  std::int64_t content_tokens = count_words(content);
  std::int64_t reasoning_tokens = 0;
  if (think) {
    // Log-normal reasoning length: harder items think longer, damaged models longer still.
    const double scale = options_.gpu ? kGpuReasoningScale : 1.0, spread = options_.gpu ? kGpuReasoningSpread : 0.5;
    const double median = scale * 150 * (1 + 3 * difficulty) * (1 + 0.15 * (damage_.focused + damage_.uniform));
    reasoning_tokens = std::llround(median * std::exp(spread * normal_from_hash(mix64(draw ^ 0x7417))));
    if (rambles) reasoning_tokens = 4 * max_tokens;
  } else if (rambles) {
    content_tokens = 4 * max_tokens;  // the text is written below, once cut to the cap
  }
  if (reasoning_tokens >= max_tokens) {  // cut while thinking: no answer at all
    reasoning_tokens = max_tokens;
    content.clear();
    content_tokens = 0;
    finish = "length";
  } else if (reasoning_tokens + content_tokens > max_tokens) {
    content_tokens = max_tokens - reasoning_tokens;
    content = reasoning_text(content_tokens);
    finish = "length";
  }
  if (think) reasoning = reasoning_text(reasoning_tokens);

  if (!turn.tool_calls.empty() && finish == "stop") finish = "tool_calls";
  json message = {{"role", "assistant"},
                  {"content", content.empty() ? json(nullptr) : json(content)},
                  {"tool_calls", finish == "tool_calls" ? tool_calls_json(turn.tool_calls) : json::array()}};
  if (options_.reasoning_field == "think-tags") {
    std::string inline_text = think ? "<think>\n" + reasoning + (finish == "length" && content.empty() ? "" : "\n</think>\n\n") : "";
    message["content"] = inline_text + content;
  } else {
    message[options_.reasoning_field] = think ? json(reasoning) : json(nullptr);
  }
  const std::int64_t prompt_tokens = count_words(prompt) + 8;
  const std::int64_t completion_tokens = reasoning_tokens + content_tokens;
  json response = {
      {"id", fmt::format("chatcmpl-{:016x}", draw)},
      {"object", "chat.completion"},
      {"created", static_cast<std::int64_t>(std::time(nullptr))},
      {"model", options_.model_name},
      {"choices",
       {{{"index", 0}, {"message", message}, {"logprobs", nullptr}, {"finish_reason", finish}, {"stop_reason", nullptr}}}},
      {"usage",
       {{"prompt_tokens", prompt_tokens},
        {"total_tokens", prompt_tokens + completion_tokens},
        {"completion_tokens", completion_tokens},
        {"prompt_tokens_details", nullptr}}},
      {"prompt_logprobs", nullptr},
  };
  SimReply reply{200, response.dump()};
  if (options_.gpu) {
    for (const json& m : *messages)
      if (m.is_object() && m.contains("content") && m["content"].is_string())
        reply.gpu_prompt += m.value("role", "") + "\n" + m["content"].get<std::string>() + "\n";
    // The sim's direct answers are only their final lines; a model's working is
    // timed at a log-normal length around kGpuAnswerTokens, drawn by the request.
    const double working = kGpuAnswerTokens * std::exp(0.7 * normal_from_hash(mix64(draw ^ 0x9a5)));
    reply.gpu_tokens = std::max<std::int64_t>(
        1, think ? completion_tokens : std::max(completion_tokens, std::min<std::int64_t>(max_tokens, std::llround(working))));
  }
  return reply;
}

}  // namespace qdrift
