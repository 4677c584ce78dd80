// The simulator's teacher-forced logprobs. Each context has a fixed "true"
// next-token distribution; a variant distorts the logits systematically (the same
// distortion on every serve, like a quantized weight), and serving noise from the
// server's seed jitters them a little, so two fp16 serves agree on the top token
// about 98-99% of the time, int4 less, and broken collapses.
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qdrift/sim.h"
#include "util/hash.h"

namespace qdrift {

using nlohmann::json;

namespace {

constexpr int kAlternatives = 32;


std::vector<std::string> split_tokens(const std::string& text) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : text) {
    if (c == ' ' && !current.empty()) {
      tokens.push_back(current);
      current.clear();
    }
    current.push_back(c);
  }
  if (!current.empty()) tokens.push_back(current);
  return tokens;
}

std::string error_body(const std::string& message, int code) {
  return json{{"object", "error"}, {"message", message}, {"type", "BadRequestError"}, {"param", nullptr}, {"code", code}}
      .dump();
}

}  // namespace

long long sim_token_id(const std::string& token) { return static_cast<long long>(hash64(token) % 150000); }

std::vector<SimTokenDistribution> SimModel::prompt_distributions(const std::string& text,
                                                                std::int64_t request_seed) const {
  const std::vector<std::string> tokens = split_tokens(text);
  // How far a variant bends the logits, and how much one serve jitters them.
  const double systematic = 0.45 * (damage_.focused + damage_.uniform);
  const double flatten = 1 + 0.3 * (damage_.focused + damage_.uniform);
  constexpr double kServingNoise = 0.04;
  // Serving noise differs per server seed and per request seed, so two passes of
  // one server differ like two serves while a rerun of the same request is exact.
  const std::string server_seed = std::to_string(options_.seed) + "/" + std::to_string(request_seed);
  std::vector<SimTokenDistribution> out;
  for (std::size_t t = 1; t < tokens.size(); ++t) {
    // The context: up to eight tokens before position t.
    std::string context;
    for (std::size_t j = t >= 8 ? t - 8 : 0; j < t; ++j) context += tokens[j];
    const std::uint64_t ctx = hash_parts({"ctx", context});
    std::vector<std::pair<std::string, double>> logits;
    // The actual token is usually, not always, the most likely one.
    logits.emplace_back(tokens[t], 4.0 + 2.0 * normal_from_hash(hash_parts({"actual", context, tokens[t]})));
    for (int k = 0; k < kAlternatives; ++k) {
      const std::string token = fmt::format(" w{}", mix64(ctx + static_cast<std::uint64_t>(k)) % 5000);
      if (token == tokens[t]) continue;
      logits.emplace_back(token, 1.2 * normal_from_hash(hash_parts({"alt", context, token})));
    }
    double max_logit = -1e300;
    for (auto& [token, logit] : logits) {
      logit = logit / flatten + systematic * normal_from_hash(hash_parts({"variant", context, token})) +
              kServingNoise * normal_from_hash(hash_parts({"serve", server_seed, context, token}));
      max_logit = std::max(max_logit, logit);
    }
    double total = 0;
    for (auto& [token, logit] : logits) total += std::exp(logit - max_logit);
    const double log_total = std::log(total) + max_logit;
    for (auto& [token, logit] : logits) logit -= log_total;
    std::sort(logits.begin(), logits.end(), [](auto& a, auto& b) { return a.second > b.second; });
    out.push_back({tokens[t], std::move(logits)});
  }
  return out;
}

SimReply SimModel::completions(const std::string& request_body) const {
  json request = json::parse(request_body, nullptr, false);
  if (request.is_discarded() || !request.is_object()) return {400, error_body("request body is not valid JSON", 400)};
  if (request.value("model", "") != options_.model_name)
    return {404, json{{"object", "error"},
                      {"message", fmt::format("The model `{}` does not exist.", request.value("model", ""))},
                      {"type", "NotFoundError"},
                      {"param", nullptr},
                      {"code", 404}}
                     .dump()};
  if (!request.contains("prompt") || !request["prompt"].is_string())
    return {400, error_body("prompt must be a string", 400)};
  const int top_k = request.value("logprobs", 0);
  if (top_k > kSimMaxLogprobs)
    return {400, error_body(fmt::format("Requested sample logprobs of {}, which is greater than max allowed: {}", top_k,
                                        kSimMaxLogprobs),
                            400)};
  const std::string prompt = request["prompt"].get<std::string>();
  const std::vector<std::string> tokens = split_tokens(prompt);
  const std::vector<SimTokenDistribution> positions = prompt_distributions(prompt, request.value("seed", 0));
  const auto prompt_tokens = static_cast<std::int64_t>(tokens.size());
  json usage = {{"prompt_tokens", prompt_tokens}, {"total_tokens", prompt_tokens + 1}, {"completion_tokens", 1}};
  json choice = {{"index", 0}, {"text", " ."}, {"logprobs", nullptr}, {"finish_reason", "length"}, {"stop_reason", nullptr}};
  if (request.contains("prompt_logprobs") && !request["prompt_logprobs"].is_null()) {
    // vLLM >= 0.6: per position a dict keyed by token id, the prompt token first.
    const int prompt_k = request["prompt_logprobs"].is_number_integer() ? request["prompt_logprobs"].get<int>() : -1;
    if (prompt_k < 0 || prompt_k > kSimMaxLogprobs)
      return {400, error_body(fmt::format("Requested prompt logprobs of {}, which is greater than max allowed: {}",
                                          prompt_k, kSimMaxLogprobs),
                              400)};
    nlohmann::ordered_json list = nlohmann::ordered_json::array({nullptr});
    for (const SimTokenDistribution& position : positions) {
      nlohmann::ordered_json entry = nlohmann::ordered_json::object();
      for (std::size_t k = 0; k < position.logprobs.size(); ++k)
        if (position.logprobs[k].first == position.actual)
          entry[std::to_string(sim_token_id(position.actual))] = {
              {"logprob", position.logprobs[k].second}, {"rank", k + 1}, {"decoded_token", position.actual}};
      for (std::size_t k = 0; k < position.logprobs.size() && static_cast<int>(k) < prompt_k; ++k)
        entry[std::to_string(sim_token_id(position.logprobs[k].first))] = {
            {"logprob", position.logprobs[k].second}, {"rank", k + 1}, {"decoded_token", position.logprobs[k].first}};
      list.push_back(std::move(entry));
    }
    choice["prompt_logprobs"] = std::move(list);
    if (request.value("return_token_ids", false)) {
      json ids = json::array();
      for (const std::string& token : tokens) ids.push_back(sim_token_id(token));
      choice["prompt_token_ids"] = std::move(ids);
    }
    json response = {{"id", fmt::format("cmpl-{:016x}", hash64(prompt))},
                     {"object", "text_completion"},
                     {"model", options_.model_name},
                     {"choices", json::array({choice})},
                     {"usage", usage}};
    // Dumped through ordered_json so each dict keeps the prompt token first.
    return {200, nlohmann::ordered_json::parse(response.dump()).dump()};
  }
  if (!request.value("echo", false)) return {400, error_body("the simulator serves completions for logprobs only", 400)};
  if (!options_.echo_logprobs)
    return {400, error_body("echo is not supported with logprobs on this server; use prompt_logprobs", 400)};
  // return_tokens_as_token_ids: "token_id:N" instead of the token's text.
  const bool as_ids = request.value("return_tokens_as_token_ids", false);
  auto name = [&](const std::string& token) {
    return as_ids ? fmt::format("token_id:{}", sim_token_id(token)) : token;
  };
  json token_logprobs = json::array({nullptr}), top_logprobs = json::array({nullptr}), offsets = json::array({0});
  json token_list = json::array({tokens.empty() ? "" : name(tokens[0])});
  std::size_t offset = tokens.empty() ? 0 : tokens[0].size();
  for (const SimTokenDistribution& position : positions) {
    double actual = -9999.0;
    json top = json::object();
    for (std::size_t k = 0; k < position.logprobs.size(); ++k) {
      if (position.logprobs[k].first == position.actual) actual = position.logprobs[k].second;
      if (static_cast<int>(k) < top_k) top[name(position.logprobs[k].first)] = position.logprobs[k].second;
    }
    top[name(position.actual)] = actual;  // vLLM lists the prompt token itself too
    token_list.push_back(name(position.actual));
    token_logprobs.push_back(actual);
    top_logprobs.push_back(top);
    offsets.push_back(offset);
    offset += position.actual.size();
  }
  // One generated token, as echo with max_tokens 1 returns.
  token_list.push_back(name(" ."));
  token_logprobs.push_back(-0.5);
  top_logprobs.push_back(json{{name(" ."), -0.5}});
  offsets.push_back(offset);
  choice["text"] = prompt + " .";
  choice["logprobs"] = {
      {"text_offset", offsets}, {"token_logprobs", token_logprobs}, {"tokens", token_list}, {"top_logprobs", top_logprobs}};
  json response = {{"id", fmt::format("cmpl-{:016x}", hash64(prompt))},
                   {"object", "text_completion"},
                   {"model", options_.model_name},
                   {"choices", json::array({choice})},
                   {"usage", usage}};
  return {200, response.dump()};
}

SimReply SimModel::sglang_generate(const std::string& request_body) const {
  json request = json::parse(request_body, nullptr, false);
  if (request.is_discarded() || !request.is_object() || !request.contains("text") || !request["text"].is_string())
    return {400, json{{"error", {{"message", "text must be a string"}}}}.dump()};
  const std::string text = request["text"].get<std::string>();
  const int top_k = request.value("top_logprobs_num", 0);
  std::int64_t seed = 0;
  if (request.contains("sampling_params") && request["sampling_params"].is_object())
    seed = request["sampling_params"].value("sampling_seed", 0);
  auto id = sim_token_id;
  const std::vector<std::string> tokens = split_tokens(text);
  const std::vector<SimTokenDistribution> positions = prompt_distributions(text, seed);
  json token_logprobs = json::array(), top_logprobs = json::array();
  if (!tokens.empty()) {
    token_logprobs.push_back(json::array({nullptr, id(tokens[0]), tokens[0]}));
    top_logprobs.push_back(nullptr);
  }
  for (const SimTokenDistribution& position : positions) {
    double actual = -9999.0;
    json top = json::array();
    for (std::size_t k = 0; k < position.logprobs.size(); ++k) {
      const auto& [token, logprob] = position.logprobs[k];
      if (token == position.actual) actual = logprob;
      if (static_cast<int>(k) < top_k) top.push_back(json::array({logprob, id(token), token}));
    }
    token_logprobs.push_back(json::array({actual, id(position.actual), position.actual}));
    top_logprobs.push_back(std::move(top));
  }
  json response = {{"text", " ."},
                   {"meta_info",
                    {{"id", fmt::format("{:032x}", hash64(text))},
                     {"finish_reason", {{"type", "length"}, {"length", 1}}},
                     {"prompt_tokens", tokens.size()},
                     {"completion_tokens", 1},
                     {"input_token_logprobs", std::move(token_logprobs)},
                     {"input_top_logprobs", std::move(top_logprobs)},
                     {"output_token_logprobs", json::array({json::array({-0.5, id(" ."), " ."})})}}}};
  return {200, response.dump()};
}

SimReply SimModel::tgi_generate(const std::string& request_body) const {
  json request = json::parse(request_body, nullptr, false);
  if (request.is_discarded() || !request.is_object() || !request.contains("inputs") || !request["inputs"].is_string())
    return {422, json{{"error", "Failed to deserialize the JSON body: missing field `inputs`"},
                      {"error_type", "validation"}}.dump()};
  const std::string text = request["inputs"].get<std::string>();
  const json parameters = request.contains("parameters") && request["parameters"].is_object() ? request["parameters"]
                                                                                                : json::object();
  const std::vector<std::string> tokens = split_tokens(text);
  const std::vector<SimTokenDistribution> positions = prompt_distributions(text, parameters.value("seed", 0));
  json details = {{"finish_reason", "length"}, {"generated_tokens", 1}, {"seed", nullptr}};
  details["tokens"] = json::array({{{"id", sim_token_id(" .")}, {"text", " ."}, {"logprob", -0.5}, {"special", false}}});
  if (parameters.value("decoder_input_details", false)) {
    // TGI gives each prompt token's own logprob (null for the first) and no alternatives.
    json prefill = json::array();
    if (!tokens.empty()) prefill.push_back({{"id", sim_token_id(tokens[0])}, {"text", tokens[0]}, {"logprob", nullptr}});
    for (const SimTokenDistribution& position : positions) {
      double actual = -9999.0;
      for (const auto& [token, logprob] : position.logprobs)
        if (token == position.actual) actual = logprob;
      prefill.push_back({{"id", sim_token_id(position.actual)}, {"text", position.actual}, {"logprob", actual}});
    }
    details["prefill"] = std::move(prefill);
  }
  json response = {{"generated_text", " ."}};
  if (parameters.value("details", false)) response["details"] = std::move(details);
  return {200, response.dump()};
}

}  // namespace qdrift
