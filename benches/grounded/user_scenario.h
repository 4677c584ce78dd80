// A user's agent scenario: their own data files, tools and questions, run by
// the grounded agent (docs/grounded.md "Your own scenario"). A JSON spec,
// versioned ("agent_scenario": 1) and strict like custom bench specs, loaded
// with --bench-file. Every data file is pinned by sha256, so a baseline and a
// candidate provably saw the same data.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "qdrift/bench.h"
#include "qdrift/status.h"

namespace qdrift::grounded {

inline constexpr int kAgentScenarioVersion = 1;

// Whether a parsed JSON document is an agent scenario spec (it has the
// "agent_scenario" key), so --bench-file can tell it from a custom bench spec.
bool is_agent_scenario_spec(std::string_view json_text);

// Reads the spec at `path`, checks every pinned file and bind, and makes the
// bench. Errors are BadInput, one line: `PATH: "key": what is wrong`.
Result<std::unique_ptr<Bench>> load_agent_scenario_bench(const std::string& path);

}  // namespace qdrift::grounded
