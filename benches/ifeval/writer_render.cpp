// Rendering a writer Plan: filler sentences carry the added words (keywords,
// placeholders, highlights, capitals, letter-rich words) appended before their
// final stop, so adding words never adds sentences or paragraphs.
#include "ifeval/writer_render.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ifeval/text.h"

namespace qdrift::ifeval::writer {
namespace {

std::string join(const std::vector<std::string>& pieces, std::string_view separator) {
  std::string out;
  for (const std::string& piece : pieces) {
    if (piece.empty()) continue;
    out += (out.empty() ? "" : std::string(separator)) + piece;
  }
  return out;
}

std::string upper_ascii(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

// The words added to the first response's filler sentences.
std::vector<std::string> added_words(const Plan& plan, const Knobs& knobs, const Filler& filler) {
  std::vector<std::string> words = plan.include;
  for (std::size_t i = 0; i < plan.counts.size(); ++i) {
    const CountGoal& goal = plan.counts[i];
    const int count = i < knobs.tokens.size() ? knobs.tokens[i] : 0;
    for (int t = 0; t < count; ++t) {
      switch (goal.kind) {
        case CountGoal::Kind::kKeyword:
          words.push_back(goal.target);
          break;
        case CountGoal::Kind::kLetter:
          words.push_back(filler.letter_word(goal.target));
          break;
        case CountGoal::Kind::kCapitalWords:
          words.push_back(filler.capital_word(static_cast<std::size_t>(t)));
          break;
      }
    }
  }
  for (int p = 0; p < plan.placeholders; ++p) words.push_back(filler.placeholder(static_cast<std::size_t>(p)));
  // Highlights go mid-line: a line starting with "*word*" would count as a bullet.
  for (int h = 0; h < plan.highlights; ++h) words.push_back("*" + filler.word(static_cast<std::size_t>(h)) + "*");
  return words;
}

// One response. `shift` moves through the filler pool so a second response differs.
std::string render_one(const Plan& plan, const Knobs& knobs, const Filler& filler, std::size_t shift, bool first,
                       bool last) {
  const int paragraphs = paragraph_count(plan);
  const std::vector<std::string> words = first ? added_words(plan, knobs, filler) : std::vector<std::string>{};
  int count = std::max(knobs.sentences, paragraphs > 1 || plan.first_word_paragraph > 0 ? paragraphs : 0);
  if (count == 0 && !words.empty()) count = 1;
  std::vector<std::string> sentences;
  for (int i = 0; i < count; ++i)
    sentences.push_back(filler.sentence(shift + static_cast<std::size_t>(i), knobs.clauses));
  std::vector<std::vector<std::string>> riders(sentences.size());
  for (std::size_t w = 0; w < words.size(); ++w) riders[w % sentences.size()].push_back(words[w]);
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    if (riders[i].empty()) continue;
    auto [body, terminal] = split_terminal(sentences[i]);
    sentences[i] = body + " " + join(riders[i], " ") + terminal;
  }

  std::vector<std::string> blocks;
  for (int b = 0; b < paragraphs; ++b) {
    std::vector<std::string> lines;
    if (plan.sections > 0) lines.push_back(plan.section_splitter + " " + std::to_string(b + 1));
    const auto begin = static_cast<std::size_t>(b * count / paragraphs);
    const auto end = static_cast<std::size_t>((b + 1) * count / paragraphs);
    std::vector<std::string> paragraph(sentences.begin() + begin, sentences.begin() + end);
    if (b + 1 == plan.first_word_paragraph && !paragraph.empty()) {
      std::string& lead = paragraph.front();
      if (lead.size() > 1 && lead[0] >= 'A' && lead[0] <= 'Z' && lead[1] >= 'a' && lead[1] <= 'z')
        lead[0] = static_cast<char>(lead[0] - 'A' + 'a');
      std::string word = plan.first_word;
      if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 'a' + 'A');
      lead = word + " " + lead;
    }
    lines.push_back(join(paragraph, " "));
    if (b == 0) {
      for (int i = 0; i < plan.bullets; ++i)
        lines.push_back("* " + filler.sentence(shift + static_cast<std::size_t>(count + i), 1));
    }
    blocks.push_back(join(lines, "\n"));
  }

  std::vector<std::string> prelude, coda;
  if (first) prelude = {plan.repeat, plan.title ? filler.title() : "", plan.constrained};
  if (!first && plan.title) prelude.push_back(filler.title());
  if (last) {
    const std::size_t next = shift + static_cast<std::size_t>(count + plan.bullets);
    if (!plan.postscript.empty()) coda.push_back(plan.postscript + " " + filler.sentence(next, 1));
    coda.push_back(plan.end_phrase);
    if (plan.text_after_end) coda.push_back(filler.sentence(next + 1, 1));
  }
  prelude.push_back(blocks.front());
  blocks.front() = join(prelude, "\n");
  coda.insert(coda.begin(), blocks.back());
  blocks.back() = join(coda, "\n");
  return join(blocks, plan.star_paragraphs > 0 ? "\n\n***\n\n" : "\n\n");
}

}  // namespace

int paragraph_count(const Plan& plan) {
  if (plan.sections > 0) return plan.sections;
  if (plan.star_paragraphs > 0) return plan.star_paragraphs;
  if (plan.blank_paragraphs > 0) return plan.blank_paragraphs;
  return 1;
}

std::string render(const Plan& plan, const Knobs& knobs, const Filler& filler) {
  std::string text = render_one(plan, knobs, filler, 0, true, !plan.two_responses);
  if (plan.two_responses) text += "\n******\n" + render_one(plan, knobs, filler, 1, false, true);
  if (plan.add_comma) {
    const std::size_t space = text.find(' ');
    text.insert(space == std::string::npos ? text.size() : space, ",");
  }
  if (plan.json) {
    std::string key = "response";
    for (const char* candidate : {"response", "answer", "text", "content"}) {
      if (filler.allowed(candidate)) {
        key = candidate;
        break;
      }
    }
    text = nlohmann::json{{key, text}}.dump(2);
  }
  if (plan.quotation) text = "\"" + text + "\"";
  if (plan.letter_case == LetterCase::kUpper) text = upper_ascii(text);
  if (plan.letter_case == LetterCase::kLower) text = lower(text);
  return text;
}

}  // namespace qdrift::ifeval::writer
