// vLLM logprobs: request bodies and response parsing for echo and prompt_logprobs.
#include "tripwire/vllm_dialect.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include "util/json_text.h"

namespace qdrift::tripwire {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

constexpr std::string_view kTokenIdPrefix = "token_id:";

// "token_id:123" -> "123"; anything else unchanged.
std::string token_key(const std::string& token, bool& keyed_by_id) {
  if (token.compare(0, kTokenIdPrefix.size(), kTokenIdPrefix) == 0) {
    keyed_by_id = true;
    return token.substr(kTokenIdPrefix.size());
  }
  keyed_by_id = false;
  return token;
}

}  // namespace

std::string vllm_echo_request(const std::string& model, const std::string& text, int top_k, int seed) {
  return json_text(json{{"model", model},         {"prompt", text},   {"max_tokens", 1},
              {"echo", true},           {"logprobs", top_k}, {"temperature", 0.0},
              {"seed", seed},           {"return_tokens_as_token_ids", true}});
}

Result<ParsedLogprobs> parse_vllm_echo(std::string_view body) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Status::BadInput("logprobs response is not a JSON object");
  if (!doc.contains("choices") || !doc["choices"].is_array() || doc["choices"].empty())
    return Status::BadInput("logprobs response has no choices");
  const json& choice = doc["choices"][0];
  if (!choice.is_object() || !choice.contains("logprobs") || !choice["logprobs"].is_object())
    return Status::BadInput("choices[0].logprobs is missing: the server did not return logprobs");
  const json& lp = choice["logprobs"];
  for (const char* field : {"tokens", "token_logprobs", "top_logprobs"})
    if (!lp.contains(field) || !lp[field].is_array())
      return Status::BadInput(fmt::format("choices[0].logprobs.{} is missing or not a list", field));
  const json& tokens = lp["tokens"];
  const json& token_logprobs = lp["token_logprobs"];
  const json& top_logprobs = lp["top_logprobs"];
  if (token_logprobs.size() != tokens.size() || top_logprobs.size() != tokens.size())
    return Status::BadInput("choices[0].logprobs lists have different lengths");
  // Echo returns the prompt followed by what was generated: keep the prompt only.
  std::size_t prompt_length = tokens.size();
  if (doc.contains("usage") && doc["usage"].is_object() && doc["usage"].value("prompt_tokens", 0) > 0)
    prompt_length = std::min(prompt_length, doc["usage"]["prompt_tokens"].get<std::size_t>());
  ParsedLogprobs parsed;
  parsed.keyed_by_id = true;
  for (std::size_t i = 0; i < prompt_length; ++i) {
    if (!tokens[i].is_string())
      return Status::BadInput(fmt::format("choices[0].logprobs.tokens[{}] is not a string", i));
    bool by_id = false;
    const std::string key = token_key(tokens[i].get<std::string>(), by_id);
    parsed.keyed_by_id = parsed.keyed_by_id && by_id;
    if (token_logprobs[i].is_null()) continue;  // the first token: nothing to condition on
    if (!token_logprobs[i].is_number())
      return Status::BadInput(fmt::format("choices[0].logprobs.token_logprobs[{}] is not a number", i));
    Position position;
    position.token = key;
    position.logprob = token_logprobs[i].get<double>();
    if (top_logprobs[i].is_object()) {
      for (auto it = top_logprobs[i].begin(); it != top_logprobs[i].end(); ++it)
        if (it.value().is_number()) position.top.emplace_back(token_key(it.key(), by_id), it.value().get<double>());
    } else if (!top_logprobs[i].is_null()) {
      return Status::BadInput(fmt::format("choices[0].logprobs.top_logprobs[{}] is not an object", i));
    }
    parsed.sequence.push_back(std::move(position));
  }
  if (prompt_length == 0) parsed.keyed_by_id = false;
  QDRIFT_TRY(check_logprobs(parsed.sequence));
  return parsed;
}

std::string vllm_prompt_logprobs_request(const std::string& model, const std::string& text, int top_k, int seed) {
  return json_text(json{{"model", model},       {"prompt", text}, {"max_tokens", 1},          {"prompt_logprobs", top_k},
              {"temperature", 0.0},   {"seed", seed},   {"return_token_ids", true}});
}

Result<ParsedLogprobs> parse_vllm_prompt_logprobs(std::string_view body) {
  // ordered_json keeps each dict's key order: the actual token comes first.
  ordered_json doc = ordered_json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Status::BadInput("logprobs response is not a JSON object");
  if (!doc.contains("choices") || !doc["choices"].is_array() || doc["choices"].empty())
    return Status::BadInput("logprobs response has no choices");
  const ordered_json& choice = doc["choices"][0];
  const ordered_json* list = nullptr;
  if (choice.is_object() && choice.contains("prompt_logprobs") && choice["prompt_logprobs"].is_array())
    list = &choice["prompt_logprobs"];
  else if (doc.contains("prompt_logprobs") && doc["prompt_logprobs"].is_array())
    list = &doc["prompt_logprobs"];
  if (!list) return Status::BadInput("choices[0].prompt_logprobs is missing: the server ignored prompt_logprobs");
  const ordered_json* ids = nullptr;
  if (choice.contains("prompt_token_ids") && choice["prompt_token_ids"].is_array() &&
      choice["prompt_token_ids"].size() == list->size())
    ids = &choice["prompt_token_ids"];
  ParsedLogprobs parsed;
  parsed.keyed_by_id = true;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const ordered_json& entry = (*list)[i];
    if (entry.is_null()) continue;  // the first token: nothing to condition on
    if (!entry.is_object() || entry.empty())
      return Status::BadInput(fmt::format("choices[0].prompt_logprobs[{}] is not an object of token ids", i));
    Position position;
    for (auto it = entry.begin(); it != entry.end(); ++it) {
      const ordered_json& value = it.value();
      double logprob = 0;
      if (value.is_number()) logprob = value.get<double>();  // older servers: {id: logprob}
      else if (value.is_object() && value.contains("logprob") && value["logprob"].is_number())
        logprob = value["logprob"].get<double>();
      else
        return Status::BadInput(fmt::format("choices[0].prompt_logprobs[{}][\"{}\"] has no numeric logprob", i, it.key()));
      position.top.emplace_back(it.key(), logprob);
    }
    if (ids) {
      if (!(*ids)[i].is_number_integer())
        return Status::BadInput(fmt::format("choices[0].prompt_token_ids[{}] is not an integer", i));
      position.token = std::to_string((*ids)[i].get<long long>());
    } else {
      position.token = position.top.front().first;
    }
    bool found = false;
    for (const auto& [token, logprob] : position.top)
      if (token == position.token) {
        position.logprob = logprob;
        found = true;
      }
    if (!found)
      return Status::BadInput(fmt::format("choices[0].prompt_logprobs[{}] does not hold the prompt token {}", i,
                                          position.token));
    parsed.sequence.push_back(std::move(position));
  }
  QDRIFT_TRY(check_logprobs(parsed.sequence));
  return parsed;
}

}  // namespace qdrift::tripwire
