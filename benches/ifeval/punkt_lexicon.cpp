// The word lists that stand in for punkt's trained English parameters. Both
// are written for this project, not extracted from the model: abbreviations
// that keep a period from ending a sentence, and everyday words whose
// capitalized form after a period marks a new sentence (see punkt.h).
#include <algorithm>
#include <array>
#include <string_view>

#include "ifeval/punkt.h"

namespace qdrift::ifeval::punkt_lexicon {
namespace {

// Sorted, so lookups can binary-search.
constexpr auto kAbbreviations = std::to_array<std::u32string_view>({
    U"a.m", U"al",  U"approx", U"apr", U"aug", U"ave", U"blvd", U"capt", U"cf",   U"co",     U"col", U"corp",
    U"d.c", U"dec", U"dept",   U"dr",  U"e.g", U"est", U"etc",  U"feb",  U"fig",  U"ft",     U"gen", U"gov",
    U"i.e", U"inc", U"jan",    U"jr",  U"jul", U"jun", U"lt",   U"ltd",  U"mar",  U"messrs", U"mr",  U"mrs",
    U"ms",  U"mt",  U"n.y",    U"no",  U"nov", U"oct", U"p.m",  U"ph.d", U"prof", U"rd",     U"rep", U"rev",
    U"sen", U"sep", U"sept",   U"sgt", U"sr",  U"st",  U"u.k",  U"u.n",  U"u.s",  U"u.s.a",  U"vol", U"vs",
});

constexpr auto kCommonWords = std::to_array<std::u32string_view>({
    U"a",           U"about",  U"after",  U"all",       U"also",      U"although", U"an",       U"and",    U"another",
    U"any",         U"are",    U"as",     U"at",        U"be",        U"because",  U"before",   U"being",  U"besides",
    U"both",        U"but",    U"by",     U"can",       U"consider",  U"could",    U"did",      U"do",     U"does",
    U"don't",       U"during", U"each",   U"even",      U"every",     U"finally",  U"first",    U"for",    U"from",
    U"furthermore", U"given",  U"good",   U"great",     U"had",       U"has",      U"have",     U"he",     U"her",
    U"here",        U"here's", U"his",    U"how",       U"however",   U"if",       U"imagine",  U"in",     U"instead",
    U"is",          U"it",     U"it's",   U"its",       U"just",      U"keep",     U"last",     U"let",    U"let's",
    U"like",        U"make",   U"many",   U"may",       U"meanwhile", U"more",     U"moreover", U"most",   U"much",
    U"my",          U"next",   U"no",     U"not",       U"now",       U"of",       U"often",    U"on",     U"once",
    U"one",         U"only",   U"or",     U"other",     U"our",       U"overall",  U"please",   U"rather", U"remember",
    U"second",      U"she",    U"should", U"similarly", U"since",     U"so",       U"some",     U"still",  U"such",
    U"thank",       U"thanks", U"that",   U"that's",    U"the",       U"their",    U"then",     U"there",  U"there's",
    U"therefore",   U"these",  U"they",   U"this",      U"those",     U"though",   U"thus",     U"to",     U"today",
    U"too",         U"try",    U"two",    U"under",     U"unlike",    U"until",    U"use",      U"we",     U"well",
    U"were",        U"what",   U"what's", U"when",      U"where",     U"whether",  U"which",    U"while",  U"who",
    U"why",         U"will",   U"with",   U"without",   U"would",     U"yes",      U"yet",      U"you",    U"you're",
    U"your",
});

static_assert(std::is_sorted(kAbbreviations.begin(), kAbbreviations.end()));
static_assert(std::is_sorted(kCommonWords.begin(), kCommonWords.end()));

template <std::size_t N>
bool contains(const std::array<std::u32string_view, N>& sorted, std::u32string_view word) {
  return std::binary_search(sorted.begin(), sorted.end(), word);
}

}  // namespace

bool is_abbreviation(std::u32string_view type) { return contains(kAbbreviations, type); }
bool is_common_lowercase_word(std::u32string_view type) { return contains(kCommonWords, type); }

}  // namespace qdrift::ifeval::punkt_lexicon
