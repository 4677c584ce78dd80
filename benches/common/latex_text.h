// Small scanning helpers shared by the boxed-answer, normalisation and
// equivalence code: brace matching and splitting at top-level commas.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qdrift::scoring {

// The position of the '}' that closes the '{' at `open`. Escaped "\{" and "\}"
// are literal braces (set notation), not grouping, so they are skipped.
// nullopt when the group never closes.
std::optional<std::size_t> closing_brace(std::string_view text, std::size_t open);

// The position of the bracket closing the one at `open`, counting (), [] and {}
// together (so "[0,1)" closes); nullopt when it never closes.
std::optional<std::size_t> closing_bracket(std::string_view text, std::size_t open);

// Pieces of `text` between commas that sit outside every bracket.
std::vector<std::string> split_top_level_commas(std::string_view text);

// The letters of the control word starting at the backslash at `pos`
// ("\frac{" -> "frac"); empty when `pos` is not a backslash before a letter.
std::string_view control_word_at(std::string_view text, std::size_t pos);

std::string_view trim(std::string_view text);

}  // namespace qdrift::scoring
