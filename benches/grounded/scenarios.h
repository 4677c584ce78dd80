// The three built-in scenarios (a QuestionBank), each a generated market and its 30 questions,
// made once per process; their files (CSV and SQLite) are written on first
// use into a private directory that is removed when the process exits.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "grounded/market_data.h"
#include "grounded/question_bank.h"
#include "grounded/questions.h"
#include "qdrift/status.h"

namespace qdrift::grounded {

inline constexpr int kScenarios = 3;

class Scenarios final : public QuestionBank {
 public:
  // The process's scenarios, generated on first call (thread-safe).
  static const Scenarios& get();

  // All 90 questions: scenario 1's 30, then 2's, then 3's.
  const std::vector<Question>& questions() const override { return generated().questions; }
  // The first 4, 3 and 3 of the scenarios: every theme's first templates.
  std::vector<const Question*> smoke_questions() const override;
  // The directory holding `scenario`'s files, written on first call.
  Result<std::string> data_dir(int scenario) const;
  Result<std::string> data_dir(const Question& question) const override { return data_dir(question.scenario); }
  std::string data_description() const override;
  // sqlite3 on market.db with the question's query.
  std::string reference_command(const Question& question) const override;

  ~Scenarios();
  Scenarios(const Scenarios&) = delete;
  Scenarios& operator=(const Scenarios&) = delete;

 private:
  Scenarios() = default;
  // Generated on first use, not when the bench registry is built: a run
  // without the agent bench never pays for its markets.
  struct Generated {
    std::vector<Market> markets;
    std::vector<Question> questions;
  };
  const Generated& generated() const;
  mutable std::once_flag generated_once_;
  mutable Generated generated_;
  mutable std::string root_;  // the private directory, once made
};

// The system prompt an agent sees: what /data holds, the tools present in
// the sandbox (`tools`, as probed), the protocol and the limits.
std::string system_prompt(const std::string& data_description, bool native_tools, const std::vector<std::string>& tools);

}  // namespace qdrift::grounded
