// The command lines the sandboxes run: bubblewrap around python3, or python3 alone
// (allow_unsandboxed), and bubblewrap around one command of a bash session. Kept apart
// from process handling so tests can read them.
#pragma once

#include <string>
#include <vector>

#include "qdrift/bash_session.h"
#include "qdrift/sandbox.h"

namespace qdrift::sandbox {

// Where the program appears inside the sandbox (read-only, bound from fd 3).
inline constexpr const char* kProgramPath = "/sandbox/main.py";

// Where a bash session's scratch directory appears inside the sandbox (read-write, cwd and HOME).
inline constexpr const char* kScratchPath = "/scratch";

// The flags both sandboxes share: every namespace unshared, no capabilities, a read-only
// /usr (with /bin, /lib, /lib64), the sandbox's own /proc and a minimal /dev. The caller
// adds its writable places and binds, then freezes / and /dev.
std::vector<std::string> hardened_bwrap_prefix(const std::string& bwrap_path);

// bwrap arguments for running kProgramPath from fd 3. With `nproc_inside`, python first
// sets RLIMIT_NPROC itself (inside the new user namespace, where the count covers the
// sandbox's own processes only) and then execs the program: the way to bound a fork
// bomb when qdrift is not root and cannot give the sandbox a uid of its own.
std::vector<std::string> bwrap_command(const SandboxOptions& options, bool nproc_inside);

// bwrap arguments for one command of a bash session: `bash -c command` in /scratch (the host's
// `scratch_dir`, read-write), with the options' read-only binds and a fresh tmpfs at /tmp.
// `nproc_inside` as for bwrap_command: an outer bash sets RLIMIT_NPROC, then execs the command.
std::vector<std::string> bash_command(const BashSessionOptions& options, const std::string& scratch_dir,
                                      bool nproc_inside, const std::string& command);

// python3 on `program_path` (allow_unsandboxed).
std::vector<std::string> python_command(const SandboxOptions& options, const std::string& program_path);

// The environment of the child itself: PATH, HOME, a UTF-8 locale; nothing inherited.
std::vector<std::string> child_environment(const std::string& home);

}  // namespace qdrift::sandbox
