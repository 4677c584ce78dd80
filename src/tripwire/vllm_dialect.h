// vLLM's teacher-forced logprobs: /v1/completions with echo and logprobs (the
// legacy OpenAI shape). The prompt_logprobs extra parameter is not read yet.
#pragma once

#include <string>
#include <string_view>

#include "qdrift/status.h"
#include "qdrift/tripwire.h"

namespace qdrift::tripwire {

// Body asking for the prompt's logprobs with `top_k` alternatives per position.
// max_tokens is 1 because some vLLM versions reject 0 with echo; the one generated
// token is dropped by the parser (it is past usage.prompt_tokens).
// `seed` labels the pass: teacher-forced logprobs ignore it on a real server, but the
// simulator uses it so that two passes differ like two serves.
std::string vllm_echo_request(const std::string& model, const std::string& text, int top_k, int seed = 0);

// Parses choices[0].logprobs of an echo response. The first position has a null
// logprob (nothing precedes it) and is skipped; -9999.0, vLLM's clamp for -inf,
// is kept as is (probability 0 for every metric); top_logprobs is keyed by token
// text, so tokens with equal text collapse into one key (the KL estimator treats
// the collapsed key as one token, which can only lower the estimate).
Result<Sequence> parse_vllm_echo(std::string_view body);

}  // namespace qdrift::tripwire
