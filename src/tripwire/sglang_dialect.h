// SGLang's teacher-forced logprobs: native POST /generate with return_logprob,
// logprob_start_len 0 and top_logprobs_num.
#pragma once

#include <string>
#include <string_view>

#include "qdrift/status.h"
#include "qdrift/tripwire.h"

namespace qdrift::tripwire {

std::string sglang_generate_request(const std::string& text, int top_k, int seed = 0);

// Parses meta_info.input_token_logprobs ([logprob, token_id, text], the first
// logprob null) and meta_info.input_top_logprobs (null or [[logprob, token_id,
// text], ...]). Tokens are keyed by id, so tokens with equal text stay apart.
Result<Sequence> parse_sglang_generate(std::string_view body);

}  // namespace qdrift::tripwire
