// Answer extractors read model output, the least trusted text qdrift handles: a
// degraded model loops, emits half a LaTeX command or ten thousand braces.
// The input is split at its first NUL into a response and a reference answer, so
// the comparers see two independent texts.
#include <string>

#include "common/boxed_answer.h"
#include "common/choice_letter.h"
#include "common/final_number.h"
#include "common/latex_equivalence.h"
#include "common/latex_evaluate.h"
#include "common/latex_normalize.h"
#include "common/mangled_latex.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using qdrift::fuzz::storable;
  namespace sc = qdrift::scoring;
  const auto input = qdrift::fuzz::as_text(data, size);
  const std::size_t nul = input.find('\0');
  const std::string_view response = input.substr(0, nul);
  const std::string_view gold = nul == std::string_view::npos ? std::string_view{} : input.substr(nul + 1);
  // Extracted answers are stored in run files; from a storable response they must
  // be storable too (no code point cut in half).
  const bool response_storable = storable(std::string(response));

  if (const auto number = sc::extract_final_number(response)) {
    if (response_storable) QDRIFT_REQUIRE(storable(*number));
    QDRIFT_REQUIRE(sc::numbers_equal(*number, *number) || !sc::canonical_decimal(*number));
  }
  (void)sc::parse_gsm8k_gold(response);
  (void)sc::numbers_equal(response, gold);

  for (const bool fallback : {false, true}) {
    if (const auto boxed = sc::extract_boxed_answer(response, fallback); boxed && response_storable)
      QDRIFT_REQUIRE(storable(boxed->answer));
  }
  (void)sc::aime_answers_equal(response, gold);

  for (const char last : {'D', 'J'}) {
    for (const auto phrase : {sc::ChoicePhrase::kAnswerIs, sc::ChoicePhrase::kAnswerColon}) {
      if (const auto choice = sc::extract_choice_letter(response, last, phrase))
        QDRIFT_REQUIRE(choice->letter >= 'A' && choice->letter <= last);
    }
  }

  const std::string normalized = sc::normalize_latex_answer(response);
  if (response_storable) QDRIFT_REQUIRE(storable(normalized));
  (void)sc::evaluate_latex(normalized);
  const auto comparison = sc::compare_latex_answers(response, gold);
  QDRIFT_REQUIRE(storable(comparison.how));
  const auto repair = sc::repair_mangled_latex(response);
  (void)repair;
  return 0;
}
