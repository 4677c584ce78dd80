// SGLang /generate logprobs: request body and response parsing.
#include "tripwire/sglang_dialect.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include "util/json_text.h"

namespace qdrift::tripwire {

using nlohmann::json;

std::string sglang_generate_request(const std::string& text, int top_k, int seed) {
  return json_text(json{{"text", text},
              {"sampling_params", {{"max_new_tokens", 1}, {"temperature", 0.0}, {"sampling_seed", seed}}},
              {"return_logprob", true},
              {"logprob_start_len", 0},
              {"top_logprobs_num", top_k},
              {"return_text_in_logprobs", true}});
}

namespace {

// One [logprob, token_id, text?] triple; the key is the token id.
bool read_entry(const json& entry, std::string& key, double& logprob, bool& has_logprob) {
  if (!entry.is_array() || entry.size() < 2 || !entry[1].is_number_integer()) return false;
  key = std::to_string(entry[1].get<long long>());
  has_logprob = entry[0].is_number();
  if (has_logprob) logprob = entry[0].get<double>();
  return has_logprob || entry[0].is_null();
}

}  // namespace

Result<Sequence> parse_sglang_generate(std::string_view body) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Status::BadInput("logprobs response is not a JSON object");
  if (!doc.contains("meta_info") || !doc["meta_info"].is_object())
    return Status::BadInput("meta_info is missing: the server did not return logprobs");
  const json& meta = doc["meta_info"];
  if (!meta.contains("input_token_logprobs") || !meta["input_token_logprobs"].is_array())
    return Status::BadInput("meta_info.input_token_logprobs is missing: pass logprob_start_len 0");
  const json& tokens = meta["input_token_logprobs"];
  const json empty = json::array();
  const json& tops = meta.contains("input_top_logprobs") && meta["input_top_logprobs"].is_array()
                         ? meta["input_top_logprobs"]
                         : empty;
  Sequence sequence;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    Position position;
    bool has_logprob = false;
    if (!read_entry(tokens[i], position.token, position.logprob, has_logprob))
      return Status::BadInput(fmt::format("meta_info.input_token_logprobs[{}] is not [logprob, token_id, text]", i));
    if (!has_logprob) continue;  // the first token: nothing to condition on
    if (i < tops.size() && tops[i].is_array()) {
      for (const json& alternative : tops[i]) {
        std::string key;
        double logprob = 0;
        bool has = false;
        if (!read_entry(alternative, key, logprob, has) || !has)
          return Status::BadInput(fmt::format("meta_info.input_top_logprobs[{}] holds a malformed entry", i));
        position.top.emplace_back(key, logprob);
      }
    }
    sequence.push_back(std::move(position));
  }
  QDRIFT_TRY(check_logprobs(sequence));
  return sequence;
}

}  // namespace qdrift::tripwire
