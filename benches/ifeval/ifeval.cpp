// The instruction table (id, checker, kwargs), kwargs validation, and the
// strict and loose evaluation of a response.
#include "ifeval/ifeval.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "ifeval/checkers.h"
#include "ifeval/pattern.h"
#include "ifeval/text.h"

namespace qdrift::ifeval {
namespace {

// How a kwarg is checked and which field of Args receives it.
enum class Field {
  kText,      // non-empty string -> Args::text
  kRegex,     // non-empty string that compiles as a regex -> Args::text
  kLetter,    // one character -> Args::text
  kWords,     // non-empty list of regex strings -> Args::words
  kNumber,    // non-negative integer -> Args::number
  kNth,       // integer from 1 to num_paragraphs -> Args::nth
  kRelation,  // "less than" or "at least" -> Args::relation
};

struct Kwarg {
  std::string_view name;
  Field field;
};

struct Spec {
  std::string_view id;
  Checker check;
  std::vector<Kwarg> kwargs;
};

const std::vector<Spec>& specs() {
  static const std::vector<Spec> table = {
      {"change_case:capital_word_frequency",
       check_capital_word_frequency,
       {{"capital_frequency", Field::kNumber}, {"capital_relation", Field::kRelation}}},
      {"change_case:english_capital", check_english_capital, {}},
      {"change_case:english_lowercase", check_english_lowercase, {}},
      {"combination:repeat_prompt", check_repeat_prompt, {{"prompt_to_repeat", Field::kText}}},
      {"combination:two_responses", check_two_responses, {}},
      {"detectable_content:number_placeholders", check_number_placeholders, {{"num_placeholders", Field::kNumber}}},
      {"detectable_content:postscript", check_postscript, {{"postscript_marker", Field::kRegex}}},
      {"detectable_format:constrained_response", check_constrained_response, {}},
      {"detectable_format:json_format", check_json_format, {}},
      {"detectable_format:multiple_sections",
       check_multiple_sections,
       {{"section_spliter", Field::kRegex}, {"num_sections", Field::kNumber}}},
      {"detectable_format:number_bullet_lists", check_number_bullet_lists, {{"num_bullets", Field::kNumber}}},
      {"detectable_format:number_highlighted_sections",
       check_number_highlighted_sections,
       {{"num_highlights", Field::kNumber}}},
      {"detectable_format:title", check_title, {}},
      {"keywords:existence", check_keyword_existence, {{"keywords", Field::kWords}}},
      {"keywords:forbidden_words", check_forbidden_words, {{"forbidden_words", Field::kWords}}},
      {"keywords:frequency",
       check_keyword_frequency,
       {{"keyword", Field::kRegex}, {"frequency", Field::kNumber}, {"relation", Field::kRelation}}},
      {"keywords:letter_frequency",
       check_letter_frequency,
       {{"letter", Field::kLetter}, {"let_frequency", Field::kNumber}, {"let_relation", Field::kRelation}}},
      {"language:response_language", check_response_language, {{"language", Field::kText}}},
      {"length_constraints:nth_paragraph_first_word",
       check_nth_paragraph_first_word,
       {{"num_paragraphs", Field::kNumber}, {"nth_paragraph", Field::kNth}, {"first_word", Field::kText}}},
      {"length_constraints:number_paragraphs", check_number_paragraphs, {{"num_paragraphs", Field::kNumber}}},
      {"length_constraints:number_sentences",
       check_number_sentences,
       {{"num_sentences", Field::kNumber}, {"relation", Field::kRelation}}},
      {"length_constraints:number_words",
       check_number_words,
       {{"num_words", Field::kNumber}, {"relation", Field::kRelation}}},
      {"punctuation:no_comma", check_no_comma, {}},
      {"startend:end_checker", check_end_phrase, {{"end_phrase", Field::kText}}},
      {"startend:quotation", check_quotation, {}},
  };
  return table;
}

const Spec* find_spec(std::string_view id) {
  for (const Spec& spec : specs()) {
    if (spec.id == id) return &spec;
  }
  return nullptr;
}

std::optional<std::int64_t> as_integer(const nlohmann::json& value) {
  if (value.is_number_unsigned())
    return value.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX)
               ? std::optional<std::int64_t>(static_cast<std::int64_t>(value.get<std::uint64_t>()))
               : std::nullopt;
  if (value.is_number_integer()) return value.get<std::int64_t>();
  // Some exports store counts as floats; accept those that are whole. The range is
  // checked first: converting 1e68 to an integer is undefined (found by fuzz/ifeval_fuzz.cpp).
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (std::abs(number) <= 9007199254740992.0 && number == std::floor(number)) return static_cast<std::int64_t>(number);
  }
  return std::nullopt;
}

Status check_regex(std::string_view regex, const std::string& where) {
  Result<Pattern> pattern = Pattern::compile(regex);
  return pattern.ok() ? Status::Ok() : Status::BadInput(where + ": " + pattern.status().message());
}

// Reads one kwarg into `args`; `where` prefixes error messages.
Status read_kwarg(const Kwarg& kwarg, const nlohmann::json& value, const std::string& where, Args& args) {
  const std::string name = where + " kwarg '" + std::string(kwarg.name) + "'";
  switch (kwarg.field) {
    case Field::kText:
    case Field::kRegex:
    case Field::kLetter:
      if (!value.is_string() || strip(value.get_ref<const std::string&>()).empty()) {
        return Status::BadInput(name + " must be a non-empty string, got " + value.dump());
      }
      args.text = value.get<std::string>();
      if (kwarg.field == Field::kLetter && decode_utf8(args.text).size() != 1) {
        return Status::BadInput(name + " must be a single character, got " + value.dump());
      }
      return kwarg.field == Field::kRegex ? check_regex(strip(args.text), name) : Status::Ok();
    case Field::kWords:
      if (!value.is_array() || value.empty()) return Status::BadInput(name + " must be a non-empty list of strings");
      for (const nlohmann::json& word : value) {
        if (!word.is_string() || word.get_ref<const std::string&>().empty()) {
          return Status::BadInput(name + " must hold only non-empty strings, got " + word.dump());
        }
        QDRIFT_TRY(check_regex(word.get_ref<const std::string&>(), name));
        args.words.push_back(word.get<std::string>());
      }
      return Status::Ok();
    case Field::kNumber:
    case Field::kNth: {
      const std::optional<std::int64_t> number = as_integer(value);
      if (!number || *number < 0)
        return Status::BadInput(name + " must be a non-negative integer, got " + value.dump());
      (kwarg.field == Field::kNumber ? args.number : args.nth) = *number;
      return Status::Ok();
    }
    case Field::kRelation:
      if (value == "less than") {
        args.relation = Relation::kLessThan;
      } else if (value == "at least") {
        args.relation = Relation::kAtLeast;
      } else {
        return Status::BadInput(name + " must be \"less than\" or \"at least\", got " + value.dump());
      }
      return Status::Ok();
  }
  return Status::Internal(name + ": unhandled field kind");
}

struct Prepared {
  const Spec* spec;
  Args args;
};

Result<std::vector<Prepared>> prepare(const std::vector<Instruction>& instructions) {
  std::vector<Prepared> prepared;
  for (std::size_t i = 0; i < instructions.size(); ++i) {
    const Instruction& instruction = instructions[i];
    const std::string where = "instruction " + std::to_string(i + 1) + " (" + instruction.id + ")";
    const Spec* spec = find_spec(instruction.id);
    if (spec == nullptr) return Status::BadInput(where + ": unknown instruction id");
    if (!instruction.kwargs.is_null() && !instruction.kwargs.is_object()) {
      return Status::BadInput(where + ": kwargs must be an object, got " + instruction.kwargs.dump());
    }
    Args args;
    for (const Kwarg& kwarg : spec->kwargs) {
      const auto found =
          instruction.kwargs.is_object() ? instruction.kwargs.find(kwarg.name) : instruction.kwargs.end();
      if (!instruction.kwargs.is_object() || found == instruction.kwargs.end() || found->is_null()) {
        return Status::BadInput(where + ": missing kwarg '" + std::string(kwarg.name) + "'");
      }
      QDRIFT_TRY(read_kwarg(kwarg, *found, where, args));
    }
    if (instruction.kwargs.is_object()) {
      for (const auto& entry : instruction.kwargs.items()) {
        // Named copies, not a structured binding: clang 14 (the fuzz build) cannot capture one.
        const std::string& key = entry.key();
        const nlohmann::json& value = entry.value();
        const bool taken = std::any_of(spec->kwargs.begin(), spec->kwargs.end(),
                                       [&](const Kwarg& kwarg) { return kwarg.name == key; });
        if (!taken && !value.is_null()) return Status::BadInput(where + ": unexpected kwarg '" + key + "'");
      }
    }
    if (instruction.id == "length_constraints:nth_paragraph_first_word" && (args.nth < 1 || args.nth > args.number)) {
      return Status::BadInput(where + ": nth_paragraph must be between 1 and num_paragraphs");
    }
    prepared.push_back({spec, std::move(args)});
  }
  return prepared;
}

// The reference never credits an empty (or all-whitespace) text.
Verdict run(const Prepared& instruction, std::string_view text) {
  if (strip(text).empty()) return {false, "empty response"};
  return instruction.spec->check(instruction.args, text);
}

}  // namespace

const std::vector<std::string_view>& instruction_ids() {
  static const std::vector<std::string_view> ids = [] {
    std::vector<std::string_view> out;
    for (const Spec& spec : specs()) out.push_back(spec.id);
    std::sort(out.begin(), out.end());
    return out;
  }();
  return ids;
}

std::optional<std::string> unknown_instruction(const std::vector<Instruction>& instructions) {
  for (const Instruction& instruction : instructions) {
    if (find_spec(instruction.id) == nullptr) return instruction.id;
  }
  return std::nullopt;
}

Status validate(const std::vector<Instruction>& instructions) {
  Result<std::vector<Prepared>> prepared = prepare(instructions);
  return prepared.ok() ? Status::Ok() : prepared.status();
}

std::vector<std::string> loose_variants(const std::string& response) {
  const std::vector<std::string_view> lines = split(response, "\n");
  const std::string without_first(strip(join_lines(lines, 1, lines.size())));
  const std::string without_last(strip(join_lines(lines, 0, lines.size() - 1)));
  const std::string without_both(strip(join_lines(lines, 1, lines.size() - 1)));
  auto unstarred = [](std::string text) {
    text.erase(std::remove(text.begin(), text.end(), '*'), text.end());
    return text;
  };
  return {response,     unstarred(response),      without_first,           without_last,
          without_both, unstarred(without_first), unstarred(without_last), unstarred(without_both)};
}

Result<IfevalResult> evaluate(const std::string& prompt, const std::vector<Instruction>& instructions,
                              const std::string& response) {
  (void)prompt;
  Result<std::vector<Prepared>> prepared = prepare(instructions);
  if (!prepared.ok()) return prepared.status();
  const std::vector<std::string> variants = loose_variants(response);
  IfevalResult result;
  result.prompt_strict = true;
  result.prompt_loose = true;
  for (const Prepared& instruction : *prepared) {
    const Verdict strict = run(instruction, response);
    bool loose = strict.followed;
    for (std::size_t i = 1; i < variants.size() && !loose; ++i) loose = run(instruction, variants[i]).followed;
    result.instructions.push_back({std::string(instruction.spec->id), strict.followed, loose, strict.detail});
    if (!strict.followed && result.explanation.empty()) {
      result.explanation =
          std::string(instruction.spec->id) + ": " + strict.detail + (loose ? " (followed once loosened)" : "");
    }
    result.prompt_strict = result.prompt_strict && strict.followed;
    result.prompt_loose = result.prompt_loose && loose;
  }
  return result;
}

}  // namespace qdrift::ifeval
