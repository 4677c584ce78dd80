// The filler pool: the language's sentences minus those the plan bans, made up
// from single words when bans leave too few (a response without the letter
// 'e', say), plus the small words the renderer sprinkles in.
#include "ifeval/writer_filler.h"

#include <algorithm>
#include <array>

#include "ifeval/text.h"
#include "ifeval/word_tokenize.h"

namespace qdrift::ifeval::writer {
namespace {

// Common words with varied letters, for sentences made up under letter bans.
// No one-letter words: a sentence-initial "A" is a word in capitals.
constexpr std::array<std::string_view, 72> kWords = {
    "good",  "food",   "warm",  "day",  "sun",   "cold",  "rain",  "dog",   "cat",    "hill",  "kind",  "tall",
    "calm",  "road",   "lamp",  "book", "milk",  "walk",  "sing",  "old",   "big",    "soft",  "long",  "fast",
    "slow",  "wind",   "star",  "moon", "bird",  "fish",  "corn",  "farm",  "park",   "city",  "town",  "kids",
    "swim",  "trees",  "green", "blue", "river", "lake",  "near",  "fine",  "bright", "clear", "quiet", "happy",
    "small", "strong", "light", "dark", "open",  "round", "sharp", "sweet", "fresh",  "wild",  "plain", "young",
    "dry",   "deep",   "high",  "glad", "mild",  "lush",  "busy",  "jolly", "vivid",  "brisk", "husky", "zany"};

// Words with a letter several times, for "use the letter q at least 6 times".
constexpr std::array<std::string_view, 30> kRichWords = {
    "banana",     "bubble",       "succinct", "added",      "referee",  "fluff",   "giggling", "hitchhike",
    "inhibition", "jujitsu",      "jazz",     "knickknack", "lollipop", "mammoth", "nineteen", "voodoo",
    "pepper",     "quinquennial", "quiz",     "error",      "possess",  "tattoo",  "unusual",  "vivid",
    "powwow",     "xerox",        "yearly",   "pizzazz",    "cocoa",    "hashish"};

constexpr std::array<std::string_view, 16> kPlaceholders = {
    "name",   "address", "date",    "city",    "phone",  "email", "company", "role",
    "school", "street",  "country", "website", "amount", "time",  "manager", "team"};

constexpr std::array<std::string_view, 16> kCapitals = {"NOTE", "KEY",  "TIP",  "GOAL", "PLAN", "FOCUS",
                                                        "CORE", "BEST", "TOP",  "MAIN", "REAL", "TRUE",
                                                        "BIG",  "NEW",  "FAST", "SAFE"};

constexpr std::u32string_view kTerminals = U".!?\u0964\u06D4\u3002";  // . ! ? । ۔ 。

std::string capitalized(std::string word) {
  if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

std::string decapitalized(std::string word) {
  if (!word.empty() && word[0] >= 'A' && word[0] <= 'Z') word[0] = static_cast<char>(word[0] - 'A' + 'a');
  return word;
}

}  // namespace

std::pair<std::string, std::string> split_terminal(std::string_view sentence) {
  std::u32string text = decode_utf8(sentence);
  std::size_t end = text.size();
  while (end > 0 && kTerminals.find(text[end - 1]) != std::u32string_view::npos) --end;
  return {encode_utf8(std::u32string_view(text).substr(0, end)), encode_utf8(std::u32string_view(text).substr(end))};
}

Filler::Filler(const Plan& plan, std::uint64_t variation) {
  for (const std::string& word : plan.banned_words) {
    if (auto pattern = Pattern::compile("\\b" + word + "\\b", Pattern::kIgnoreCase); pattern.ok())
      bans_.push_back(*pattern);
  }
  for (const std::string& regex : plan.banned_patterns) {
    if (auto pattern = Pattern::compile(regex, Pattern::kIgnoreCase); pattern.ok()) bans_.push_back(*pattern);
  }
  banned_letters_ = plan.banned_letters;
  no_comma_ = plan.no_comma;
  const std::vector<std::string_view>* sentences = language_sentences(plan.language);
  english_ = sentences == nullptr || plan.language == "en";
  if (sentences == nullptr) sentences = language_sentences("en");
  for (std::string_view sentence : *sentences)
    if (allowed(sentence)) pool_.emplace_back(sentence);
  if (english_) {
    for (std::string_view joiner : {" and ", " so ", " then ", "; "}) {
      if (allowed(joiner)) {
        joiner_ = joiner;
        break;
      }
    }
  }
  if (pool_.size() < 4 && english_) synthesize();
  if (pool_.empty()) return;
  std::rotate(pool_.begin(), pool_.begin() + static_cast<std::ptrdiff_t>(variation % pool_.size()), pool_.end());
  std::size_t total_words = 0;
  for (const std::string& sentence : pool_) {
    total_words += count_words(sentence);
    for (std::string_view token : split_whitespace(sentence)) {
      const std::string word = split_terminal(strip_chars(token, ";:'\"")).first;
      if (decode_utf8(word).size() >= 3 && allowed(word) &&
          std::find(words_.begin(), words_.end(), word) == words_.end())
        words_.push_back(word);
    }
  }
  average_words_ = static_cast<double>(total_words) / static_cast<double>(pool_.size());
}

void Filler::synthesize() {
  std::vector<std::string_view> words;
  for (std::string_view word : kWords)
    if (allowed(word)) words.push_back(word);
  if (words.size() < 3) return;
  // Six words per sentence, walking the list with a stride coprime to its
  // length so sentences differ.
  const std::size_t stride = words.size() % 5 == 0 ? 3 : 5;
  for (std::size_t i = 0; i < 12; ++i) {
    std::string sentence;
    for (std::size_t k = 0; k < 6; ++k) {
      const std::string_view word = words[(i * 6 + k) * stride % words.size()];
      sentence += (k == 0 ? capitalized(std::string(word)) : " " + std::string(word));
    }
    pool_.push_back(sentence + ".");
  }
}

bool Filler::allowed(std::string_view text) const {
  if (no_comma_ && text.find(',') != std::string_view::npos) return false;
  const std::string lowered = lower(text);
  for (const std::string& letter : banned_letters_)
    if (!letter.empty() && lowered.find(letter) != std::string::npos) return false;
  for (const Pattern& ban : bans_)
    if (ban.search(text)) return false;
  return true;
}

std::string Filler::sentence(std::size_t index, int clauses) const {
  if (pool_.empty()) return "";
  if (clauses <= 1) return pool_[index % pool_.size()];
  std::string joined;
  std::string terminal;
  for (int k = 0; k < clauses; ++k) {
    auto [body, end] = split_terminal(pool_[(index * static_cast<std::size_t>(clauses) + k) % pool_.size()]);
    joined += k == 0 ? body : joiner_ + (english_ ? decapitalized(body) : body);
    terminal = end;
  }
  return joined + terminal;
}

std::string Filler::word(std::size_t index) const { return words_.empty() ? "note" : words_[index % words_.size()]; }

std::string Filler::placeholder(std::size_t index) const {
  std::vector<std::string_view> names;
  for (std::string_view name : kPlaceholders)
    if (allowed(name)) names.push_back(name);
  if (names.empty()) return "[" + std::to_string(index + 1) + "]";
  // Past the list, number them so each is still a distinct blank.
  const std::string suffix = index < names.size() ? "" : " " + std::to_string(index / names.size() + 1);
  return "[" + std::string(names[index % names.size()]) + suffix + "]";
}

std::string Filler::capital_word(std::size_t index) const {
  std::vector<std::string_view> words;
  for (std::string_view word : kCapitals)
    if (allowed(word)) words.push_back(word);
  return words.empty() ? "OK" : std::string(words[index % words.size()]);
}

std::string Filler::letter_word(const std::string& letter) const {
  std::string best;
  std::size_t best_count = 0;
  auto consider = [&](std::string_view word) {
    const std::string lowered = lower(word);
    std::size_t count = 0;
    for (std::size_t pos = lowered.find(letter); pos != std::string::npos; pos = lowered.find(letter, pos + 1)) ++count;
    if (count > best_count && allowed(word)) {
      best = std::string(word);
      best_count = count;
    }
  };
  for (std::string_view word : kRichWords) consider(word);
  for (const std::string& word : words_) consider(word);
  return best_count > 0 ? best : letter + letter + letter;  // a symbol such as '#' or '!'
}

std::string Filler::title() const {
  std::string title;
  for (std::size_t i = 0; i < 3 && i < words_.size(); ++i)
    title += (i == 0 ? "" : " ") + (english_ ? capitalized(words_[i]) : words_[i]);
  return "<<" + (title.empty() ? std::string("Answer") : title) + ">>";
}

}  // namespace qdrift::ifeval::writer
