// The grounded bench's questions: ten templates per scenario, each asked three
// times with seeded picks. A template computes its gold from the Market's cents
// exactly as the files hold them, and writes a query that computes it again from
// market.db; the tests run every query and compare. The templates live in one
// file per theme (questions_series, _cross_section, _adjusted), their shared
// helpers in question_kit; answer_matches is in answer_match.cpp.
#include "grounded/questions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "grounded/question_kit.h"

namespace qdrift::grounded {
namespace {

using detail::Draft;

// The ten templates of a scenario's theme; scenario is 1, 2 or 3.
const detail::ThemeTemplates& templates_of(int scenario) {
  if (scenario == 1) return detail::series_templates();
  if (scenario == 2) return detail::cross_section_templates();
  return detail::adjusted_templates();
}

// Tolerance forgives the stated rounding (one unit of the last digit, plus a
// margin) and nothing more; a value read off the table forgives only float
// noise; from 10,000 up, 0.1% relative forgives printing large numbers loosely.
double tolerance_of(const Draft& d) {
  if (d.kind != AnswerKind::kNumber) return 0;
  // Literals, not 1.1 * step: that product is 0.011000000000000001 and would print so.
  const double absolute = d.decimals == 0 ? (d.rounded ? 1.1 : 0.5) : (d.rounded ? 0.011 : 0.005);
  return std::abs(d.value) >= 10'000 ? std::max(absolute, 0.001 * std::abs(d.value)) : absolute;
}

Question to_question(Draft d, int scenario, int position) {
  Question q;
  q.id = fmt::format("s{}-q{:02}", scenario, position);
  q.scenario = scenario;
  q.kind = d.kind;
  q.gold = d.kind == AnswerKind::kTicker ? d.ticker : fmt::format("{:.{}f}", d.value, d.decimals);
  q.tolerance = tolerance_of(d);
  q.unit = d.unit;
  q.text = std::move(d.text);
  q.sql = std::move(d.sql);
  return q;
}

}  // namespace

std::vector<Question> make_questions(const Market& market) {
  if (market.scenario < 1 || market.scenario > 3) return {};
  const detail::ThemeTemplates& templates = templates_of(market.scenario);
  Rng rng(0x6a09e667f3bcc909ULL ^ static_cast<std::uint64_t>(market.scenario));
  std::vector<Question> questions;
  std::set<std::string> texts, ticker_answers;
  for (int round = 0; round < 3; ++round)
    for (std::size_t k = 0; k < templates.size(); ++k) {
      // A pick that is degenerate or repeats an earlier question is drawn again;
      // the draws are seeded, so the retries are the same on every run.
      for (int attempt = 0; attempt < 10'000; ++attempt) {
        std::optional<Draft> draft = templates[k](market, rng);
        if (!draft || texts.count(draft->text)) continue;
        // A template answering the same ticker twice would reward a lucky guess.
        const std::string answer_key = fmt::format("{}|{}", k, draft->ticker);
        if (draft->kind == AnswerKind::kTicker && !ticker_answers.insert(answer_key).second) continue;
        texts.insert(draft->text);
        questions.push_back(to_question(std::move(*draft), market.scenario, static_cast<int>(questions.size()) + 1));
        break;
      }
    }
  return questions;
}

}  // namespace qdrift::grounded
