// One child process with rlimits, an optional unprivileged uid, captured output and a
// wall-clock deadline: fork + execve (no shell), pipes, poll and a pidfd. The sandbox
// builds its bwrap (or plain python3) command line and hands it here.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "qdrift/sandbox.h"
#include "qdrift/status.h"

namespace qdrift::sandbox {

struct ChildSpec {
  std::vector<std::string> argv;  // argv[0] is the absolute path that is executed
  std::vector<std::string> env;   // the whole environment ("K=V")
  std::string cwd = "/";
  SandboxLimits limits;
  bool set_nproc = true;            // RLIMIT_NPROC before exec (useless for uid 0, harmful for a
                                    // non-root user whose other processes share the count)
  std::optional<uid_t> run_as_uid;  // drop to this uid/gid (and no groups) before exec; needs root
  int inherit_fd = -1;              // passed to the child as fd 3 (the program, for --ro-bind-data)
  bool bwrap_info = false;          // the child is bwrap with --info-fd 5: at the timeout, kill the
                                    // sandbox's init (its pid is in the info) before bwrap itself
  std::uint64_t data_bytes = 0;     // RLIMIT_DATA (private writable memory) when nonzero
  std::size_t head_bytes = 0;       // also keep the first head_bytes of each stream (*_head)
  bool merge_stderr = false;        // the child's stderr is its stdout pipe: one stream, in the order
                                    // written, kept and counted as stdout
};

struct ChildOutcome {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  bool timed_out = false;
  std::string stdout_tail, stderr_tail;
  std::string stdout_head, stderr_head;  // the first spec.head_bytes of each stream
  std::uint64_t stdout_bytes = 0, stderr_bytes = 0;
  double seconds = 0;
  bool bwrap_started = false;  // bwrap_info: bwrap reported the pid of its sandbox's init
};

// Runs the child to completion or to the deadline. After it ends, its process group
// gets SIGKILL and, when it ran as `run_as_uid`, so does every process of that uid, so
// nothing it started outlives the call. An error means it could not be started.
//
// At the deadline a bwrap child is stopped from the inside out: SIGKILL to the sandbox's
// init tears down its pid namespace, bwrap reaps it and exits. Killing bwrap first would
// orphan that init to the host's PID 1, leaving a zombie of the slot's uid that counts
// against RLIMIT_NPROC until PID 1 gets round to it.
Result<ChildOutcome> run_child(const ChildSpec& spec);

// Kills every process owned by `uid` (from a short-lived child that becomes that uid
// and calls kill(-1, SIGKILL), which reaches exactly the processes that uid may signal).
void kill_all_of_uid(uid_t uid);

}  // namespace qdrift::sandbox
