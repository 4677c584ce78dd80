// The command lines the sandbox runs: bubblewrap around python3, or python3 alone
// (allow_unsandboxed). Kept apart from process handling so tests can read them.
#pragma once

#include <string>
#include <vector>

#include "qdrift/sandbox.h"

namespace qdrift::sandbox {

// Where the program appears inside the sandbox (read-only, bound from fd 3).
inline constexpr const char* kProgramPath = "/sandbox/main.py";

// bwrap arguments for running kProgramPath from fd 3. With `nproc_inside`, python first
// sets RLIMIT_NPROC itself (inside the new user namespace, where the count covers the
// sandbox's own processes only) and then execs the program: the way to bound a fork
// bomb when qdrift is not root and cannot give the sandbox a uid of its own.
std::vector<std::string> bwrap_command(const SandboxOptions& options, bool nproc_inside);

// python3 on `program_path` (allow_unsandboxed).
std::vector<std::string> python_command(const SandboxOptions& options, const std::string& program_path);

// The environment of the child itself: PATH, HOME, a UTF-8 locale; nothing inherited.
std::vector<std::string> child_environment(const std::string& home);

}  // namespace qdrift::sandbox
