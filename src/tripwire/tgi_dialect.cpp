// TGI /generate prefill logprobs: request body and response parsing.
#include "tripwire/tgi_dialect.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include "util/json_text.h"

namespace qdrift::tripwire {

using nlohmann::json;

std::string tgi_generate_request(const std::string& text, int seed) {
  return json_text(json{{"inputs", text},
              {"parameters", {{"max_new_tokens", 1}, {"details", true}, {"decoder_input_details", true}, {"seed", seed}}}});
}

Result<Sequence> parse_tgi_generate(std::string_view body) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_array() && doc.size() == 1) doc = doc[0];
  if (doc.is_discarded() || !doc.is_object()) return Status::BadInput("logprobs response is not a JSON object");
  if (!doc.contains("details") || !doc["details"].is_object())
    return Status::BadInput("details is missing: the server did not honour \"details\": true");
  const json& details = doc["details"];
  if (!details.contains("prefill") || !details["prefill"].is_array() || details["prefill"].empty())
    return Status::BadInput("details.prefill is missing or empty: pass \"decoder_input_details\": true");
  Sequence sequence;
  const json& prefill = details["prefill"];
  for (std::size_t i = 0; i < prefill.size(); ++i) {
    const json& token = prefill[i];
    if (!token.is_object() || !token.contains("id") || !token["id"].is_number_integer() || !token.contains("logprob"))
      return Status::BadInput(fmt::format("details.prefill[{}] is not {{id, text, logprob}}", i));
    if (token["logprob"].is_null()) continue;  // the first token: nothing to condition on
    if (!token["logprob"].is_number())
      return Status::BadInput(fmt::format("details.prefill[{}].logprob is not a number", i));
    sequence.push_back({std::to_string(token["id"].get<long long>()), token["logprob"].get<double>(), {}});
  }
  QDRIFT_TRY(check_logprobs(sequence));
  return sequence;
}

}  // namespace qdrift::tripwire
