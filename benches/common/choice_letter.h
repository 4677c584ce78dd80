// The chosen letter in a multiple-choice answer (mmlu_pro A-J, gpqa A-D).
//
// The rules follow the reference harnesses, tried in this order (the phrase the
// prompt asked for first, the other one second):
//   kAnswerIs     "the answer is (X)" / "answer is X" — TIGER-Lab MMLU-Pro
//                 (evaluate_from_api.py, level 1) and lm-evaluation-harness's
//                 mmlu_pro filter, `answer is \(?([A-J])\)?`.
//   kAnswerColon  "Answer: X" — openai/simple-evals ANSWER_PATTERN_MULTICHOICE
//                 (gpqa) and MMLU-Pro's level-2 `.*[aA]nswer:\s*([A-J])`; we also
//                 accept "**Answer:** X", "Answer: (X)", "Answer: $X$", "Answer: \boxed{X}",
//                 the markup simple-evals' newer normalize_response strips. Both phrases
//                 also allow "option"/"choice" before the letter ("the answer is option C").
//   kBoxed        "\boxed{X}" / "\boxed{(X)}" / "\boxed{\text{X}}" — reasoning models box
//                 letters out of habit.
//   kMarkedLetter a parenthesised or bold letter, "(X)" / "**X**" / "**(X)**", the last one.
//   kLetterLine   the last non-empty line is just the letter, maybe with markup and a
//                 trailing ')' '.' ':' and option text ("C", "**C.**", "C) 42 kg").
// Deviations from the references, on purpose:
//   - Within a rule the LAST match wins (TIGER, lm-eval and simple-evals take the
//     first). Both prompts ask the model to *finish* with the phrase, so the last one
//     is what it committed to; `ambiguous` flags a response that named two different
//     letters under the winning rule, so a reader of the run file sees it.
//   - The letter must end a word: simple-evals' case-insensitive pattern reads
//     "Answer: Despite..." as D, and lm-eval's reads "answer is Because" as B.
//   - The letter must be upper case: "the answer is a ..." is an article.
//   - No bare-capital fallback (MMLU-Pro's extract_final, the last `\b[A-J]\b`
//     anywhere): with A-J it picks the pronoun "I" and the article "A".
#pragma once

#include <optional>
#include <string_view>

namespace qdrift::scoring {

enum class ChoiceRule { kAnswerIs, kAnswerColon, kBoxed, kMarkedLetter, kLetterLine };

// The phrase the prompt asked for; it is tried first, the other phrase second.
enum class ChoicePhrase {
  kAnswerIs,     // mmlu_pro: "...finish your answer with 'the answer is (X)'"
  kAnswerColon,  // gpqa: "The last line of your response should be 'Answer: $LETTER'"
};

struct ChoiceMatch {
  char letter = 0;         // 'A'..last_letter
  ChoiceRule rule{};       // which rule found it, for the score explanation
  bool ambiguous = false;  // the same rule also matched a different letter
};

// A few words naming the rule, e.g. "\"the answer is (X)\"".
std::string_view describe(ChoiceRule rule);

// The chosen letter among 'A'..last_letter (e.g. 'J' for mmlu_pro, 'D' for gpqa);
// nullopt when no rule matches.
std::optional<ChoiceMatch> extract_choice_letter(std::string_view response, char last_letter, ChoicePhrase asked_for);

}  // namespace qdrift::scoring
