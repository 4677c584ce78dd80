// Grading for custom benches: how each answer type is extracted from a
// response and compared with the gold answer, and (for the simulator) how a
// right or wrong response is written for an item.
//
//   multiple_choice  the letter: the spec's `extract` regex, else the shared
//                    extractor (scoring::extract_choice_letter, "Answer: X" first).
//   short_answer     the `extract` regex, else the text after the last "answer:" /
//                    "answer is", else the last non-empty line; compared after
//                    normalize_short_answer.
//   numeric          the `extract` regex, else scoring::find_final_number; compared
//                    as exact decimals (commas, '$', a trailing '.' ignored).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "custom/custom_spec.h"
#include "qdrift/bench.h"

namespace qdrift::custom {

// ASCII letters lower-cased, ASCII punctuation dropped, runs of white space
// made one space, trimmed ("  The Bid-Ask  spread. " -> "the bidask spread").
std::string normalize_short_answer(std::string_view text);

// The options as "A) first\nB) second..." (line breaks inside an option become spaces).
std::string render_choices(const std::vector<std::string>& options);

// How many options the prompt shows: the longest run of lines holding "A) ",
// then starting "B) ", "C) ", ... (the block render_choices wrote). 0 when none.
int count_choices(std::string_view prompt);

// The short answer a response gives, without a spec regex; nullopt when it is blank.
std::optional<std::string> default_short_answer(std::string_view response);

// Grades one response (content and finish reason) to `item` under `spec`.
// Score::answer is the canonical form (letter, decimal, normalised text) so that
// majority votes over samples group equal answers.
Score score_custom(const CustomSpec& spec, const Item& item, std::string_view content, std::string_view finish_reason);

// A response that score_custom() grades as `correct` for `item` asked as
// `prompt`, and when wrong, with a definite other answer (not "no answer").
// `noise` picks the wording and the wrong value.
std::string write_custom_answer(const CustomSpec& spec, const Item& item, std::string_view prompt, bool correct,
                                std::uint64_t noise);

}  // namespace qdrift::custom
