// Filler text for the writer: sentences in the plan's language that avoid
// everything the plan bans, and the small words the renderer adds to them
// (highlights, placeholders, capitals, letter-rich words, a title). Private
// to benches/ifeval (writer*.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ifeval/pattern.h"
#include "ifeval/writer_plan.h"

namespace qdrift::ifeval::writer {

// Plain everyday sentences in a language (langdetect's code), each of which
// CLD2 identifies as that language on its own; nullptr for a language the
// writer does not know. No commas, digits, brackets or stars.
const std::vector<std::string_view>* language_sentences(std::string_view code);

// Splits "Text here." into "Text here" and ".", "Text" and "" (Thai has none).
std::pair<std::string, std::string> split_terminal(std::string_view sentence);

class Filler {
 public:
  Filler(const Plan& plan, std::uint64_t variation);

  bool empty() const { return pool_.empty(); }
  // The index-th filler sentence (the pool repeats): `clauses` pool sentences
  // run together into one, for long sentences under a sentence cap.
  std::string sentence(std::size_t index, int clauses) const;
  double average_words() const { return average_words_; }

  std::string word(std::size_t index) const;                 // a plain word from the pool
  std::string placeholder(std::size_t index) const;          // "[name]"
  std::string capital_word(std::size_t index) const;         // "NOTE"
  std::string letter_word(const std::string& letter) const;  // a word rich in `letter`
  std::string title() const;                                 // "<<Quiet Rivers Run>>"

  // Whether `text` keeps clear of the plan's bans.
  bool allowed(std::string_view text) const;

 private:
  void synthesize();  // when the bans leave too few sentences: sentences from single words

  std::vector<Pattern> bans_;
  std::vector<std::string> banned_letters_;
  bool no_comma_ = false;
  bool english_ = true;
  std::vector<std::string> pool_;   // allowed sentences, rotated by the variation
  std::vector<std::string> words_;  // allowed words of the pool, 3+ letters
  std::string joiner_ = " ";        // between clauses of one sentence
  double average_words_ = 7;
};

}  // namespace qdrift::ifeval::writer
