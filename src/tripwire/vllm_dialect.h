// vLLM's teacher-forced logprobs, two ways: /v1/completions with echo and
// logprobs (the legacy OpenAI shape, every vLLM since 0.2), or with the
// prompt_logprobs extra parameter (vLLM >= 0.6; keyed by token id).
#pragma once

#include <string>
#include <string_view>

#include "qdrift/status.h"
#include "qdrift/tripwire.h"

namespace qdrift::tripwire {

// A parsed pass over one text, and whether its tokens are keyed by token id
// (comparable across servers) or by token text (tokens with equal text collapse).
struct ParsedLogprobs {
  Sequence sequence;
  bool keyed_by_id = false;
};

// Body asking for the prompt's logprobs with `top_k` alternatives per position.
// max_tokens is 1 because some vLLM versions reject 0 with echo; the one generated
// token is dropped by the parser (it is past usage.prompt_tokens).
// return_tokens_as_token_ids asks for "token_id:N" keys, so two tokens with the same
// text stay apart; a vLLM too old to know it ignores it and keys by text.
// `seed` labels the pass: teacher-forced logprobs ignore it on a real server, but the
// simulator uses it so that two passes differ like two serves.
std::string vllm_echo_request(const std::string& model, const std::string& text, int top_k, int seed = 0);

// Parses choices[0].logprobs of an echo response. The first position has a null
// logprob (nothing precedes it) and is skipped; -9999.0, vLLM's clamp for -inf,
// is kept as is (probability 0 for every metric). With "token_id:N" tokens the
// keys become "N"; otherwise top_logprobs is keyed by token text, so tokens with
// equal text collapse into one key (the KL estimator treats the collapsed key as
// one token, which can only lower the estimate).
Result<ParsedLogprobs> parse_vllm_echo(std::string_view body);

// The prompt_logprobs variant: no echo; return_token_ids asks newer vLLM to name
// the prompt's token ids, which say which entry of each position is the actual token.
std::string vllm_prompt_logprobs_request(const std::string& model, const std::string& text, int top_k, int seed = 0);

// Parses choices[0].prompt_logprobs: [null, {"<id>": {"logprob", "rank",
// "decoded_token"}, ...}, ...]. Each dict holds the actual prompt token and the
// top-k (k + 1 entries when the actual token is not among them). The actual token is
// prompt_token_ids[i] when the server sent them, else the dict's first key: vLLM
// inserts the prompt token first (key order is kept while parsing).
Result<ParsedLogprobs> parse_vllm_prompt_logprobs(std::string_view body);

}  // namespace qdrift::tripwire
