// The judge's prompt and verdict parsing; see judge_prompt.h.
#include "exam/judge_prompt.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace qdrift::exam {

namespace {

constexpr const char* kJudgeSystem =
    "You grade one conversation between a user and an AI assistant against a rubric. The rubric lists "
    "what a passing assistant does. Judge only the assistant's replies, from the conversation as shown; "
    "do not reward length or style the rubric does not ask for. Think it through briefly, one criterion "
    "at a time, then end with exactly one line: `VERDICT: PASS` if the assistant meets every criterion, "
    "or `VERDICT: FAIL` if it misses any.";

std::string upper_trimmed(std::string_view line) {
  std::string out;
  for (char c : line)
    if (c != '*' && c != '_' && c != '`' && c != '#') out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  const std::size_t first = out.find_first_not_of(" \t\r");
  const std::size_t last = out.find_last_not_of(" \t\r.!");
  return first == std::string::npos ? "" : out.substr(first, last - first + 1);
}

std::optional<bool> verdict_of_line(std::string_view line) {
  const std::string text = upper_trimmed(line);
  if (text.rfind("VERDICT", 0) != 0) return std::nullopt;
  std::string rest = text.substr(7);
  rest.erase(0, rest.find_first_not_of(" :\t"));
  if (rest == "PASS") return true;
  if (rest == "FAIL") return false;
  return std::nullopt;
}

// The reply's text before the verdict, as one line of at most 300 characters
// (its end, where the judge concludes).
std::string reason_before(std::string_view reply, std::size_t verdict_at) {
  std::string text(reply.substr(0, verdict_at));
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::string collapsed;
  for (char c : text)
    if (!(c == ' ' && !collapsed.empty() && collapsed.back() == ' ')) collapsed.push_back(c);
  const std::size_t first = collapsed.find_first_not_of(' ');
  collapsed = first == std::string::npos ? "" : collapsed.substr(first);
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  if (collapsed.size() > 300) {
    std::size_t cut = collapsed.size() - 297;
    while (cut < collapsed.size() && (static_cast<unsigned char>(collapsed[cut]) & 0xC0) == 0x80) ++cut;  // whole UTF-8
    collapsed = "..." + collapsed.substr(cut);
  }
  return collapsed;
}

}  // namespace

std::vector<ChatMessage> judge_messages(const std::vector<std::string>& rubric,
                                        const std::vector<ChatMessage>& conversation,
                                        const std::vector<std::size_t>& order) {
  std::string text = "RUBRIC (a passing assistant does all of these):\n";
  for (std::size_t i = 0; i < rubric.size(); ++i)
    text += fmt::format("{}. {}\n", i + 1, rubric[order.empty() ? i : order[i]]);
  text += "\nCONVERSATION:\n";
  for (const ChatMessage& message : conversation) {
    if (message.role == "system") text += fmt::format("\n[system prompt given to the assistant]\n{}\n", message.content);
    else if (message.role == "user") text += fmt::format("\n[user]\n{}\n", message.content);
    else if (message.role == "assistant") text += fmt::format("\n[assistant]\n{}\n", message.content);
  }
  text += "\nGrade the assistant against the rubric, then give your verdict line.";
  return {{"system", kJudgeSystem}, {"user", std::move(text)}};
}

ChatMessage finish_verdict_message() {
  return {"user", "Finish your grading: end with exactly one line, `VERDICT: PASS` or `VERDICT: FAIL`."};
}

SamplingParams judge_sampling() {
  SamplingParams sampling = sampling_preset(false);
  sampling.temperature = 0;
  sampling.top_p = 1;
  sampling.top_k = -1;
  sampling.presence_penalty = 0;
  sampling.max_tokens = 1024;
  return sampling;
}

std::optional<JudgeVerdict> read_verdict(std::string_view reply) {
  std::optional<JudgeVerdict> found;
  std::size_t start = 0;
  while (start <= reply.size()) {
    std::size_t end = reply.find('\n', start);
    if (end == std::string_view::npos) end = reply.size();
    if (std::optional<bool> pass = verdict_of_line(reply.substr(start, end - start)))
      found = JudgeVerdict{*pass, reason_before(reply, start)};
    start = end + 1;
  }
  return found;
}

}  // namespace qdrift::exam
