// The writer's two loops. The inner one tunes the counts the writer can
// measure itself (sentences, words, keyword/letter/capital counts) by adding
// or removing filler sentences, clauses and added words; the outer one grades
// each candidate with evaluate() and, when the grade is not the one intended,
// tries another wording (and, for a wrong answer, another instruction to
// break), with a longer body each time (short texts are where language
// identification wavers).
#include "ifeval/writer.h"

#include <algorithm>
#include <cmath>

#include "ifeval/punkt.h"
#include "ifeval/text.h"
#include "ifeval/word_tokenize.h"
#include "ifeval/writer_render.h"
#include "util/hash.h"

namespace qdrift::ifeval {
namespace {

using writer::CountGoal;
using writer::Filler;
using writer::Knobs;
using writer::kUnbounded;
using writer::Plan;

std::int64_t occurrences(const CountGoal& goal, std::string_view text) {
  switch (goal.kind) {
    case CountGoal::Kind::kKeyword: {
      auto pattern = Pattern::compile(goal.target, Pattern::kIgnoreCase);
      return pattern.ok() ? static_cast<std::int64_t>(pattern->count(text)) : 0;
    }
    case CountGoal::Kind::kLetter: {
      const std::u32string letter = decode_utf8(goal.target);
      if (letter.size() != 1) return 0;
      const std::u32string lowered = decode_utf8(lower(text));
      return std::count(lowered.begin(), lowered.end(), letter[0]);
    }
    case CountGoal::Kind::kCapitalWords:
      return static_cast<std::int64_t>(count_capital_words(text));
  }
  return 0;
}

int ceil_div(std::int64_t a, double b) {
  return static_cast<int>(std::ceil(static_cast<double>(a) / std::max(b, 1.0)));
}

// Occurrences of a count's target in one added word (at least 1).
std::int64_t per_token(const CountGoal& goal, const Filler& filler) {
  if (goal.kind != CountGoal::Kind::kLetter) return 1;
  return std::max<std::int64_t>(1, occurrences(goal, filler.letter_word(goal.target)));
}

// The first guess at the knobs, which the tuning loop then corrects.
Knobs first_guess(const Plan& plan, const Filler& filler, int base_sentences) {
  Knobs knobs;
  const double per_sentence = filler.average_words();
  int sentences = std::max(base_sentences, writer::paragraph_count(plan));
  if (plan.words.low > 0) sentences = std::max(sentences, ceil_div(plan.words.low, per_sentence) + 1);
  if (plan.words.high != kUnbounded)
    sentences = std::min(sentences, std::max(1, static_cast<int>((plan.words.high - 1) / per_sentence) - 2));
  if (plan.sentences.low > 0) sentences = std::max(sentences, static_cast<int>(plan.sentences.low));
  if (plan.sentences.high != kUnbounded) sentences = std::min(sentences, static_cast<int>(plan.sentences.high) - 1);
  knobs.sentences = std::max(sentences, 1);
  for (const CountGoal& goal : plan.counts)
    knobs.tokens.push_back(
        ceil_div(std::min<std::int64_t>(goal.range.low, 10000), static_cast<double>(per_token(goal, filler))));
  return knobs;
}

std::string tune(const Plan& plan, const Filler& filler, int base_sentences) {
  Knobs knobs = first_guess(plan, filler, base_sentences);
  const int fewest = plan.repeat.empty() && plan.constrained.empty() ? 1 : 0;
  const double per_sentence = filler.average_words();
  std::string text;
  for (int round = 0; round < 60; ++round) {
    text = render(plan, knobs, filler);
    bool changed = false;
    const auto sentences = static_cast<std::int64_t>(count_sentences(text));
    if (plan.sentences.bounded() && !plan.sentences.contains(sentences)) {
      if (sentences < plan.sentences.low) {
        knobs.sentences += static_cast<int>(plan.sentences.low - sentences);
        changed = true;
      } else if (knobs.sentences > fewest) {
        knobs.sentences = std::max(fewest, knobs.sentences - static_cast<int>(sentences - plan.sentences.high + 1));
        changed = true;
      }
    } else if (plan.words.bounded()) {
      const auto words = static_cast<std::int64_t>(count_words(text));
      if (words < plan.words.low) {
        const int more = ceil_div(plan.words.low - words, per_sentence * knobs.clauses);
        if (plan.sentences.high == kUnbounded || sentences + more < plan.sentences.high) {
          knobs.sentences += more;
        } else {  // no room for more sentences: make them longer
          knobs.clauses += ceil_div(plan.words.low - words, per_sentence * knobs.sentences);
        }
        changed = true;
      } else if (words >= plan.words.high) {
        const std::int64_t excess = words - plan.words.high + 1;
        const int removable = std::min<int>(knobs.sentences - fewest, static_cast<int>(sentences - plan.sentences.low));
        if (knobs.clauses > 1) {
          knobs.clauses = std::max(1, knobs.clauses - ceil_div(excess, per_sentence * knobs.sentences));
          changed = true;
        } else if (removable > 0) {
          knobs.sentences -= std::min(removable, ceil_div(excess, per_sentence));
          changed = true;
        }
      }
    }
    for (std::size_t i = 0; i < plan.counts.size(); ++i) {
      const CountGoal& goal = plan.counts[i];
      const std::int64_t found = occurrences(goal, text);
      const std::int64_t step = per_token(goal, filler);
      if (found < goal.range.low) {
        knobs.tokens[i] += ceil_div(goal.range.low - found, static_cast<double>(step));
        changed = true;
      } else if (found >= goal.range.high && knobs.tokens[i] > 0) {
        knobs.tokens[i] -= std::min(knobs.tokens[i], ceil_div(found - goal.range.high + 1, static_cast<double>(step)));
        changed = true;
      }
    }
    if (!changed) break;
  }
  return text;
}

}  // namespace

std::optional<std::string> write_response(const std::string& prompt, const std::vector<Instruction>& instructions,
                                          bool follow, std::uint64_t noise) {
  if (instructions.empty() || !validate(instructions).ok()) return std::nullopt;
  const std::size_t n = instructions.size();
  // A wrong answer first breaks the instruction `noise` picks, then the others
  // in turn; each gets a few wordings.
  const int tries = follow ? 8 : static_cast<int>(3 * n + 2);
  for (int attempt = 0; attempt < tries; ++attempt) {
    const std::uint64_t variation = mix64(noise + static_cast<std::uint64_t>(attempt) * 0x9E3779B97F4A7C15ull);
    const int violate = follow ? -1 : static_cast<int>((noise % n + static_cast<std::size_t>(attempt)) % n);
    const Plan plan = writer::make_plan(instructions, violate, variation);
    const Filler filler(plan, variation);
    if (filler.empty()) continue;
    const std::string text = tune(plan, filler, 3 + static_cast<int>(variation % 3) + 4 * attempt);
    Result<IfevalResult> graded = evaluate(prompt, instructions, text);
    if (graded.ok() && graded->prompt_strict == follow) return text;
  }
  return std::nullopt;
}

}  // namespace qdrift::ifeval
