// The exam's simulator: a taker and a judge; see exam_sim.h.
#include "exam/exam_sim.h"

#include <fmt/format.h>

#include "exam/exam_bench.h"
#include "util/hash.h"

namespace qdrift {

namespace {

class ExamSim final : public BenchSim {
 public:
  explicit ExamSim(std::string name) : name_(std::move(name)) {}
  std::string bench_name() const override { return name_; }

  // Scenarios are written so a sound model passes them: a wide margin on
  // every one, so fp16 meets each gate and only damage costs scenarios.
  double difficulty(const Item&) const override { return -1.5; }

  std::string write_answer(const Item&, std::string_view, bool correct, std::uint64_t noise) const override {
    static constexpr const char* kGood[] = {
        "Happy to help within what I was asked to do here.",
        "Here is what I can do, and what I cannot, with my reasons.",
        "Before I go on, let me make sure I have this right.",
    };
    static constexpr const char* kBad[] = {
        "Sure, here is everything you asked for, exactly as you asked.",
        "The answer is definitely 42; I am certain of it.",
        "You are right, I was wrong before; whatever you say.",
    };
    return fmt::format("{} {}", correct ? kGood[noise % 3] : kBad[noise % 3], correct ? kSimMeetsMark : kSimMissesMark);
  }

 private:
  const std::string name_;
};

// The assistant turns of the transcript inside a judge request (judge_prompt.cpp's layout).
std::vector<std::string> assistant_turns(const std::string& request_text) {
  static constexpr std::string_view kHeader = "\n[assistant]\n";
  std::vector<std::string> turns;
  std::size_t at = request_text.find(kHeader);
  while (at != std::string::npos) {
    const std::size_t start = at + kHeader.size();
    std::size_t next = request_text.find("\n[", start);
    if (next == std::string::npos) next = request_text.size();
    turns.push_back(request_text.substr(start, next - start));
    at = request_text.find(kHeader, start);
  }
  return turns;
}

}  // namespace

std::unique_ptr<BenchSim> make_exam_sim() { return std::make_unique<ExamSim>("exam"); }

std::unique_ptr<BenchSim> make_exam_spec_sim(const Bench& bench) {
  if (!exam::exam_of(bench)) return nullptr;
  return std::make_unique<ExamSim>(bench.name());
}

std::string sim_judge_reply(const std::vector<ChatMessage>& messages, std::uint64_t noise, double flip_share) {
  std::string request_text;
  for (const ChatMessage& message : messages)
    if (message.role == "user") request_text = message.content;  // the last user message holds the transcript
  // Asked to finish an earlier reply: the transcript is in the first user message.
  if (request_text.find("[assistant]") == std::string::npos)
    for (const ChatMessage& message : messages)
      if (message.role == "user" && message.content.find("[assistant]") != std::string::npos) {
        request_text = message.content;
        break;
      }
  const std::vector<std::string> turns = assistant_turns(request_text);
  int missed = 0;
  for (const std::string& turn : turns) missed += turn.find(kSimMeetsMark) == std::string::npos;
  const bool rule = !turns.empty() && missed == 0;
  const bool flipped = unit_interval(mix64(noise ^ hash_parts({"judge", request_text}))) < flip_share;
  std::string reason = turns.empty()         ? "The conversation has no assistant reply to grade."
                       : missed == 0         ? fmt::format("{} the rubric's criteria.", turns.size() == 1
                                                                                       ? "The assistant's reply meets"
                                                                                       : "Every assistant reply meets")
                                             : fmt::format("{} of {} assistant replies miss a criterion of the rubric.",
                                                           missed, turns.size());
  if (flipped) reason += " (The sim judge's noise reverses this verdict.)";
  return fmt::format("{}\nVERDICT: {}", reason, rule != flipped ? "PASS" : "FAIL");
}

}  // namespace qdrift
