// vLLM echo logprobs: request body and response parsing.
#include "tripwire/vllm_dialect.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace qdrift::tripwire {

using nlohmann::json;

std::string vllm_echo_request(const std::string& model, const std::string& text, int top_k, int seed) {
  return json{{"model", model}, {"prompt", text},    {"max_tokens", 1}, {"echo", true},
              {"logprobs", top_k}, {"temperature", 0.0}, {"seed", seed}}
      .dump();
}

Result<Sequence> parse_vllm_echo(std::string_view body) {
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
  Sequence sequence;
  for (std::size_t i = 0; i < prompt_length; ++i) {
    if (token_logprobs[i].is_null()) continue;  // the first token: nothing to condition on
    if (!token_logprobs[i].is_number() || !tokens[i].is_string())
      return Status::BadInput(fmt::format("choices[0].logprobs position {}: token or logprob has the wrong type", i));
    Position position;
    position.token = tokens[i].get<std::string>();
    position.logprob = token_logprobs[i].get<double>();
    if (top_logprobs[i].is_object()) {
      for (auto it = top_logprobs[i].begin(); it != top_logprobs[i].end(); ++it)
        if (it.value().is_number()) position.top.emplace_back(it.key(), it.value().get<double>());
    } else if (!top_logprobs[i].is_null()) {
      return Status::BadInput(fmt::format("choices[0].logprobs.top_logprobs[{}] is not an object", i));
    }
    sequence.push_back(std::move(position));
  }
  return sequence;
}

}  // namespace qdrift::tripwire
