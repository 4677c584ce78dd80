// TGI's teacher-forced logprobs: POST /generate with details and
// decoder_input_details. TGI returns the prompt ("prefill") tokens' own
// logprobs but no alternatives, so top-1 agreement and KL cannot be computed
// from it; Δp and the PPL ratio can. Not yet wired into the trip rule.
#pragma once

#include <string>
#include <string_view>

#include "qdrift/status.h"
#include "qdrift/tripwire.h"

namespace qdrift::tripwire {

std::string tgi_generate_request(const std::string& text, int seed = 0);

// Parses details.prefill ([{id, text, logprob|null}]); accepts the object or a
// one-element list (TGI has answered in both shapes). Positions have no `top`.
Result<Sequence> parse_tgi_generate(std::string_view body);

}  // namespace qdrift::tripwire
