// detectable_content:* and detectable_format:*: markup the response must (or
// must not) contain, found with the reference's own regular expressions.
#include <array>
#include <nlohmann/json.hpp>
#include <string>

#include "ifeval/checkers.h"
#include "ifeval/pattern.h"
#include "ifeval/text.h"

namespace qdrift::ifeval {
namespace {

std::string_view remove_prefix(std::string_view text, std::string_view prefix) {
  return starts_with(text, prefix) ? text.substr(prefix.size()) : text;
}

std::string_view remove_suffix(std::string_view text, std::string_view suffix) {
  return ends_with(text, suffix) ? text.substr(0, text.size() - suffix.size()) : text;
}

}  // namespace

Verdict check_number_placeholders(const Args& args, std::string_view response) {
  static const Pattern placeholder = Pattern::fixed("\\[.*?\\]");
  const auto found = static_cast<std::int64_t>(placeholder.count(response));
  return {found >= args.number,
          std::to_string(found) + " [placeholders], needs at least " + std::to_string(args.number)};
}

Verdict check_postscript(const Args& args, std::string_view response) {
  // The two usual markers get patterns that forgive spacing ("P. S.").
  std::string regex;
  if (args.text == "P.P.S") {
    regex = "\\s*p\\.\\s?p\\.\\s?s.*$";
  } else if (args.text == "P.S.") {
    regex = "\\s*p\\.\\s?s\\..*$";
  } else {
    regex = "\\s*" + lower(args.text) + ".*$";
  }
  Result<Pattern> pattern = Pattern::compile(regex, Pattern::kMultiline);
  if (!pattern.ok()) return {false, pattern.status().message()};
  const bool found = pattern->search(lower(response));
  return {found, found ? "has a postscript starting with " + args.text : "no postscript starting with " + args.text};
}

Verdict check_number_bullet_lists(const Args& args, std::string_view response) {
  static const Pattern star_bullet = Pattern::fixed("^\\s*\\*[^\\*].*$", Pattern::kMultiline);
  static const Pattern dash_bullet = Pattern::fixed("^\\s*-.*$", Pattern::kMultiline);
  const auto bullets = static_cast<std::int64_t>(star_bullet.count(response) + dash_bullet.count(response));
  return {bullets == args.number,
          std::to_string(bullets) + " bullet points, needs exactly " + std::to_string(args.number)};
}

Verdict check_constrained_response(const Args&, std::string_view response) {
  static constexpr std::array<std::string_view, 3> kOptions = {"My answer is yes.", "My answer is no.",
                                                               "My answer is maybe."};
  const std::string_view text = strip(response);
  for (std::string_view option : kOptions) {
    if (text.find(option) != text.npos) return {true, "contains '" + std::string(option) + "'"};
  }
  return {false, "contains none of 'My answer is yes./no./maybe.'"};
}

Verdict check_number_highlighted_sections(const Args& args, std::string_view response) {
  static const Pattern single = Pattern::fixed("\\*[^\\n\\*]*\\*");
  static const Pattern double_star = Pattern::fixed("\\*\\*[^\\n\\*]*\\*\\*");
  std::int64_t highlights = 0;
  for (auto [begin, end] : single.find_all(response)) {
    highlights += strip(strip_chars(response.substr(begin, end - begin), "*")).empty() ? 0 : 1;
  }
  // **bold** spans count again, as in the reference.
  for (auto [begin, end] : double_star.find_all(response)) {
    const std::string_view inner = response.substr(begin + 2, end - begin - 4);
    highlights += strip(inner).empty() ? 0 : 1;
  }
  return {highlights >= args.number,
          std::to_string(highlights) + " *highlighted* sections, needs at least " + std::to_string(args.number)};
}

Verdict check_multiple_sections(const Args& args, std::string_view response) {
  const std::string splitter(strip(args.text));
  Result<Pattern> pattern = Pattern::compile("\\s?" + splitter + "\\s?\\d+\\s?");
  if (!pattern.ok()) return {false, pattern.status().message()};
  const auto sections = static_cast<std::int64_t>(pattern->split(response).size()) - 1;
  return {sections >= args.number, std::to_string(sections) + " sections marked '" + splitter + " N', needs at least " +
                                       std::to_string(args.number)};
}

Verdict check_json_format(const Args&, std::string_view response) {
  std::string_view text = strip(response);
  for (std::string_view fence : {"```json", "```Json", "```JSON", "```"}) text = remove_prefix(text, fence);
  text = strip(remove_suffix(text, "```"));
  const bool valid = nlohmann::json::accept(text);
  return {valid, valid ? "parses as JSON" : "does not parse as JSON"};
}

Verdict check_title(const Args&, std::string_view response) {
  static const Pattern title = Pattern::fixed("<<[^\\n]+>>");
  for (auto [begin, end] : title.find_all(response)) {
    const std::string_view inner = rstrip_chars(lstrip_chars(response.substr(begin, end - begin), "<"), ">");
    if (!strip(inner).empty()) return {true, "has a <<title>>"};
  }
  return {false, "no <<title>>"};
}

}  // namespace qdrift::ifeval
