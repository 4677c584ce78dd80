// One grounded question played to its end: the model runs bash commands in its
// own sandbox session over the scenario's files until it submits an answer,
// runs out of turns, or keeps replying with neither.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grounded/agent_protocol.h"
#include "grounded/questions.h"
#include "qdrift/bash_session.h"
#include "qdrift/episode.h"

namespace qdrift::grounded {

// The rules of the game, fixed for a run.
inline constexpr int kTurnCap = 30;      // model turns; reaching it is a turn-cap hit
inline constexpr int kStrikesToEnd = 3;  // replies in a row with neither a command nor an answer

// What every episode of a run shares.
struct EpisodeContext {
  ToolProtocol protocol = ToolProtocol::kText;
  std::string system_prompt;   // for this protocol, listing the tools that are present
  BashSessionOptions session;  // with the scenario's data bound at /data (per scenario: see data_dir)
};

// `data_dir` is the question's scenario directory, bound read-only at /data.
std::unique_ptr<Episode> make_grounded_episode(std::shared_ptr<const EpisodeContext> context, const Question& question,
                                               const std::string& data_dir, const SamplingParams& sampling);

// The reminder a reply with neither a command nor an answer gets.
std::string reminder(ToolProtocol protocol, const std::string& problem);

}  // namespace qdrift::grounded
