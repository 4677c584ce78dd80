// What the judge is asked, and how its answer is read. The request is blind:
// it holds the rubric and the transcript and nothing else — never the model's
// name, the endpoint, a file name or anything about quantisation — so the
// judge cannot favour the baseline. Its wording is versioned (kJudgePromptVersion):
// a different prompt is a different judge, and runs graded by different judges
// are never compared.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/openai.h"

namespace qdrift::exam {

inline constexpr const char* kJudgePromptVersion = "judge-1";

// The judge request's messages: a fixed system prompt, then the rubric (in
// `order`, a permutation of its indices; empty = as written) and the
// conversation. Only roles system, user and assistant of `conversation` are shown.
std::vector<ChatMessage> judge_messages(const std::vector<std::string>& rubric,
                                        const std::vector<ChatMessage>& conversation,
                                        const std::vector<std::size_t>& order = {});

// The follow-up when a reply had no verdict line: the reply stays in the
// history and the judge is asked to finish.
ChatMessage finish_verdict_message();

// How the judge is sampled: temperature 0, no reasoning mode, a fixed seed (a
// verdict depends only on what it judges).
SamplingParams judge_sampling();
inline constexpr std::int64_t kJudgeSeed = 20261207;

struct JudgeVerdict {
  bool pass = false;
  std::string reason;  // the judge's last lines before its verdict, one line, capped
};

// The last line of the form `VERDICT: PASS` or `VERDICT: FAIL` (case, markdown
// emphasis and spacing forgiven) decides; nullopt when there is none.
std::optional<JudgeVerdict> read_verdict(std::string_view reply);

}  // namespace qdrift::exam
