// write_custom_answer: the simulator's right and wrong responses for a custom
// bench. A spec may carry any `extract` regex, so no single phrasing is sure to
// be read back; instead a few common phrasings are tried and the first one the
// bench's own score_custom() grades as intended is used.
#include <fmt/format.h>

#include <array>
#include <cctype>

#include "common/final_number.h"
#include "custom/custom_scoring.h"

namespace qdrift::custom {

namespace {

// The first three are natural and chosen by noise; the rest are fallbacks for
// extract regexes that want a particular shape.
constexpr std::array<std::string_view, 12> kPhrasings = {
    "Weighing the options carefully.\n\nAnswer: {}",
    "The answer is {}.",
    "**Answer:** {}",
    "Answer: ({})",
    "The final answer is {}.",
    "#### {}",
    "{}",
    "\\boxed{{{}}}",
    "<answer>{}</answer>",
    "Final answer: {}",
    "[{}]",
    "ANSWER={}",
};

std::string wrong_letter(const Item& item, std::string_view prompt, std::uint64_t noise) {
  const int options = std::max(count_choices(prompt), 2);
  const int gold = item.answer.empty() ? 0 : item.answer[0] - 'A';
  const int other = (gold + 1 + static_cast<int>(noise % static_cast<std::uint64_t>(options - 1))) % options;
  return std::string(1, static_cast<char>('A' + other));
}

std::string wrong_number(const std::string& gold, std::uint64_t noise) {
  static constexpr long long kSlips[] = {1, -1, 10, 2, -2, 100};
  const std::string canonical = scoring::canonical_decimal(gold).value_or("0");
  const bool integer = canonical.find('.') == std::string::npos && canonical.size() <= 17;
  if (integer) return std::to_string(std::stoll(canonical) + kSlips[noise % 6]);
  return fmt::format("{}1", canonical);  // one more decimal digit: "2.5" -> "2.51", a different number
}

std::string wrong_text(const std::string& gold, std::uint64_t noise) {
  static constexpr std::string_view kDistractors[] = {"none of these", "it cannot be determined", "something else",
                                                      "no answer"};
  for (std::size_t k = 0; k < 4; ++k) {
    std::string_view candidate = kDistractors[(noise + k) % 4];
    if (normalize_short_answer(candidate) != normalize_short_answer(gold)) return std::string(candidate);
  }
  return "zzz";
}

}  // namespace

std::string write_custom_answer(const CustomSpec& spec, const Item& item, std::string_view prompt, bool correct,
                                std::uint64_t noise) {
  std::string value = item.answer;
  if (!correct) {
    switch (spec.type) {
      case AnswerType::kMultipleChoice:
        value = wrong_letter(item, prompt, noise);
        break;
      case AnswerType::kNumeric:
        value = wrong_number(item.answer, noise >> 4);
        break;
      case AnswerType::kShortAnswer:
        value = wrong_text(item.answer, noise >> 4);
        break;
    }
  }
  // Score against the prompt as asked: it is what a run will grade against.
  Item asked = item;
  asked.prompt = std::string(prompt);
  const std::size_t first = (noise >> 12) % 3;
  for (std::size_t k = 0; k < kPhrasings.size(); ++k) {
    const std::size_t index = k < 3 ? (first + k) % 3 : k;
    std::string response = fmt::format(fmt::runtime(kPhrasings[index]), value);
    const Score score = score_custom(spec, asked, response, "stop");
    if (score.correct == correct && !score.answer.empty()) return response;
  }
  // The spec's regex accepts none of our phrasings: say it plainly; the run
  // will grade it as it grades any unparseable answer.
  return fmt::format("Answer: {}", value);
}

}  // namespace qdrift::custom
