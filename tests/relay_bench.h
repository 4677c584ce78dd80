// `relay`: a multi-turn bench for tests and benchmarks, never shipped. Each item
// chains three arith questions in one conversation; between the model's turns a
// tool step (a `wait` call of `tool_ms`) stands in for a sandbox command, so the
// engine's lanes, tool workers, seeds per turn and transcripts are exercised end
// to end against `qdrift sim`, which answers each arith question it recognises.
#pragma once

#include <memory>

#include "qdrift/bench.h"

namespace qdrift::testing {

std::unique_ptr<Bench> make_relay_bench(int tool_ms = 20);

// The relay's tool step: waits `tool_ms`, then answers the first call "waited".
std::vector<ToolResult> wait_tool(const RunTools& request, int tool_ms);

}  // namespace qdrift::testing
