// The one sandbox a qdrift process runs HumanEval programs in. Creating it probes
// bubblewrap with a real run (~50 ms), so it is made once, on first use, and shared
// by every scoring thread. The run's permission to go unsandboxed is given at plan
// time (prepare); score() takes whatever sandbox prepare made, or a strict one.
#pragma once

#include "qdrift/sandbox.h"
#include "qdrift/status.h"

namespace qdrift::humaneval {

// The sandbox for a run. Without bubblewrap (or namespaces) this is an error naming
// the cause and --allow-unsandboxed, unless `allow_unsandboxed`. A process that made an
// unsandboxed one earlier still refuses a later caller that does not allow it.
Result<const Sandbox*> prepare_sandbox(bool allow_unsandboxed);

// For score(): the sandbox prepare made, else a strict one made now.
Result<const Sandbox*> scoring_sandbox();

// Where bubblewrap is: $QDRIFT_BWRAP when set (a bwrap outside /usr/bin; tests point
// it at a missing file), else SandboxOptions' default.
std::string bwrap_path();

}  // namespace qdrift::humaneval
