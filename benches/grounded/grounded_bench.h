// `grounded`: the brief's grounded-reasoning bench. The model answers 90
// questions over three generated markets (daily prices, splits, dividends) by
// running bash in a sandbox, up to 30 turns each (docs/grounded.md). A user's
// scenario spec (user_scenario.h) makes another bench of the same kind.
#pragma once

#include <memory>
#include <string>

#include "grounded/question_bank.h"
#include "qdrift/bench.h"

namespace qdrift {

// The built-in bench over the generated scenarios.
std::unique_ptr<Bench> make_grounded_bench();

namespace grounded {

struct AgentBenchInfo {
  std::string name, version, summary;
};

// An agent bench over any question bank.
std::unique_ptr<Bench> make_agent_bench(AgentBenchInfo info, std::shared_ptr<const QuestionBank> bank);

// The question bank of an agent bench; null for any other bench.
const QuestionBank* bank_of(const Bench& bench);

}  // namespace grounded

}  // namespace qdrift
