// From an item's instructions to a writer Plan. Breaking an instruction is
// planned, not patched afterwards: the broken one asks for the opposite
// (one bullet too many, a count on the wrong side of its threshold, no
// title), and everything else is planned as if followed.
#include "ifeval/writer_plan.h"

#include <array>

#include "ifeval/text.h"

namespace qdrift::ifeval::writer {
namespace {

std::int64_t number(const nlohmann::json& kwargs, const char* name) {
  const auto found = kwargs.find(name);
  if (found == kwargs.end() || !found->is_number()) return 0;
  return static_cast<std::int64_t>(found->get<double>());
}

std::string text_of(const nlohmann::json& kwargs, const char* name) {
  const auto found = kwargs.find(name);
  return found != kwargs.end() && found->is_string() ? found->get<std::string>() : "";
}

std::vector<std::string> list_of(const nlohmann::json& kwargs, const char* name) {
  std::vector<std::string> out;
  const auto found = kwargs.find(name);
  if (found == kwargs.end() || !found->is_array()) return out;
  for (const nlohmann::json& value : *found)
    if (value.is_string()) out.push_back(value.get<std::string>());
  return out;
}

// "at least n" or "less than n" on `range`, or, when breaking, its opposite.
void apply_relation(Range& range, const std::string& relation, std::int64_t n, bool breaking) {
  const bool at_least = relation != "less than";
  if (at_least != breaking) {
    range.at_least(n);
  } else {
    range.less_than(n);
  }
}

CountGoal& goal(Plan& plan, CountGoal::Kind kind, const std::string& target) {
  for (CountGoal& existing : plan.counts)
    if (existing.kind == kind && existing.target == target) return existing;
  plan.counts.push_back({kind, target, {}});
  return plan.counts.back();
}

void plan_one(Plan& plan, const Instruction& instruction, bool breaking, std::uint64_t variation) {
  const std::string& id = instruction.id;
  const nlohmann::json& kwargs = instruction.kwargs;
  if (id == "change_case:capital_word_frequency") {
    apply_relation(goal(plan, CountGoal::Kind::kCapitalWords, "").range, text_of(kwargs, "capital_relation"),
                   number(kwargs, "capital_frequency"), breaking);
  } else if (id == "change_case:english_capital") {
    if (!breaking) plan.letter_case = LetterCase::kUpper;
  } else if (id == "change_case:english_lowercase") {
    if (!breaking) plan.letter_case = LetterCase::kLower;
  } else if (id == "combination:repeat_prompt") {
    if (!breaking) plan.repeat = text_of(kwargs, "prompt_to_repeat");
  } else if (id == "combination:two_responses") {
    plan.two_responses = !breaking;
  } else if (id == "detectable_content:number_placeholders") {
    const auto n = static_cast<int>(number(kwargs, "num_placeholders"));
    plan.placeholders = breaking ? std::max(0, n - 1) : n;
  } else if (id == "detectable_content:postscript") {
    if (!breaking) plan.postscript = text_of(kwargs, "postscript_marker");
  } else if (id == "detectable_format:constrained_response") {
    static constexpr std::array<const char*, 3> kOptions = {"My answer is yes.", "My answer is no.",
                                                            "My answer is maybe."};
    if (!breaking) plan.constrained = kOptions[variation % kOptions.size()];
  } else if (id == "detectable_format:json_format") {
    plan.json = !breaking;
  } else if (id == "detectable_format:multiple_sections") {
    const auto n = static_cast<int>(number(kwargs, "num_sections"));
    plan.section_splitter = std::string(strip(text_of(kwargs, "section_spliter")));
    plan.sections = breaking ? std::max(0, n - 1) : n;
  } else if (id == "detectable_format:number_bullet_lists") {
    const auto n = static_cast<int>(number(kwargs, "num_bullets"));
    plan.bullets = !breaking ? n : (n == 0 || variation % 2 == 0) ? n + 1 : n - 1;
  } else if (id == "detectable_format:number_highlighted_sections") {
    const auto n = static_cast<int>(number(kwargs, "num_highlights"));
    plan.highlights = breaking ? std::max(0, n - 1) : n;
  } else if (id == "detectable_format:title") {
    plan.title = !breaking;
  } else if (id == "keywords:existence") {
    const std::vector<std::string> keywords = list_of(kwargs, "keywords");
    const std::size_t left_out = breaking && !keywords.empty() ? variation % keywords.size() : keywords.size();
    for (std::size_t i = 0; i < keywords.size(); ++i) {
      if (i == left_out) {
        plan.banned_patterns.push_back(keywords[i]);
      } else {
        plan.include.push_back(keywords[i]);
      }
    }
  } else if (id == "keywords:forbidden_words") {
    const std::vector<std::string> words = list_of(kwargs, "forbidden_words");
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (breaking && i == variation % words.size()) {
        plan.include.push_back(words[i]);
      } else {
        plan.banned_words.push_back(words[i]);
      }
    }
  } else if (id == "keywords:frequency") {
    apply_relation(goal(plan, CountGoal::Kind::kKeyword, std::string(strip(text_of(kwargs, "keyword")))).range,
                   text_of(kwargs, "relation"), number(kwargs, "frequency"), breaking);
  } else if (id == "keywords:letter_frequency") {
    apply_relation(goal(plan, CountGoal::Kind::kLetter, lower(strip(text_of(kwargs, "letter")))).range,
                   text_of(kwargs, "let_relation"), number(kwargs, "let_frequency"), breaking);
  } else if (id == "language:response_language") {
    const std::string language = text_of(kwargs, "language");
    plan.language = !breaking ? language : language == "en" ? "de" : "en";
  } else if (id == "length_constraints:nth_paragraph_first_word") {
    const auto paragraphs = static_cast<int>(number(kwargs, "num_paragraphs"));
    plan.blank_paragraphs = paragraphs;
    plan.first_word_paragraph = static_cast<int>(number(kwargs, "nth_paragraph"));
    plan.first_word = text_of(kwargs, "first_word");
    if (breaking && variation % 2 == 0) {
      plan.blank_paragraphs = paragraphs + 1;
    } else if (breaking) {
      plan.first_word_paragraph = 0;  // the paragraph starts with a filler word instead
    }
  } else if (id == "length_constraints:number_paragraphs") {
    const auto n = static_cast<int>(number(kwargs, "num_paragraphs"));
    plan.star_paragraphs = breaking ? n + 1 : n;
  } else if (id == "length_constraints:number_sentences") {
    apply_relation(plan.sentences, text_of(kwargs, "relation"), number(kwargs, "num_sentences"), breaking);
  } else if (id == "length_constraints:number_words") {
    apply_relation(plan.words, text_of(kwargs, "relation"), number(kwargs, "num_words"), breaking);
  } else if (id == "punctuation:no_comma") {
    plan.no_comma = !breaking;
    plan.add_comma = breaking;
  } else if (id == "startend:end_checker") {
    plan.end_phrase = text_of(kwargs, "end_phrase");
    plan.text_after_end = breaking;
  } else if (id == "startend:quotation") {
    plan.quotation = !breaking;
  }
}

}  // namespace

Plan make_plan(const std::vector<Instruction>& instructions, int violate, std::uint64_t variation) {
  Plan plan;
  for (std::size_t i = 0; i < instructions.size(); ++i)
    plan_one(plan, instructions[i], static_cast<int>(i) == violate, variation);
  // A count with a ceiling is kept out of the filler, so the tokens the writer
  // adds are the only occurrences it has to count.
  for (const CountGoal& count : plan.counts) {
    if (count.range.high == kUnbounded) continue;
    if (count.kind == CountGoal::Kind::kKeyword) plan.banned_patterns.push_back(count.target);
    if (count.kind == CountGoal::Kind::kLetter) plan.banned_letters.push_back(count.target);
  }
  return plan;
}

}  // namespace qdrift::ifeval::writer
