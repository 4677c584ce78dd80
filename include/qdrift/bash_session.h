// A sandboxed bash session for agent benches: a model's shell commands, each run by
// `bash -c` in a fresh bubblewrap sandbox with the same hardening as the Python sandbox
// (sandbox.h: no network, its own PID/user/IPC/UTS/cgroup namespaces, a read-only /usr,
// a clean environment, rlimits, a wall-clock kill), over read-only data at /data.
//
// What persists between a session's commands is the files in /scratch, a private host
// directory bound read-write; shell state (variables, cwd, functions) does not. /tmp is
// a small tmpfs of each command's own. stdin is /dev/null.
//
// The scratch cap is not a quota. No tmpfs outlives a bwrap, so /scratch is a host
// directory and its size is measured (never following a symlink) after each command:
// over the cap, it is emptied and that command's output says so. Within one command it
// can grow past the cap, bounded only by RLIMIT_FSIZE per file and the command's time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/status.h"

namespace qdrift {

// Limits on one command (every process it starts counts).
struct BashCommandLimits {
  double wall_seconds = 30;                 // then the whole sandbox gets SIGKILL
  int cpu_seconds = 30;                     // RLIMIT_CPU per process
  std::uint64_t memory_bytes = 1ull << 30;  // RLIMIT_DATA per process: 1 GiB of heap and anonymous memory
  // RLIMIT_AS per process, a backstop: address space also holds reservations never touched.
  // mlr (a Go program) reserves ~1.05 GiB at start and fails now and then under 1 GiB.
  std::uint64_t address_space_bytes = 4ull << 30;
  int max_processes = 256;                      // RLIMIT_NPROC: tasks, bwrap included
  std::uint64_t file_size_bytes = 64ull << 20;  // RLIMIT_FSIZE: 64 MiB per file
  int open_files = 256;                         // RLIMIT_NOFILE
  std::uint64_t tmp_bytes = 16ull << 20;        // the command's own tmpfs at /tmp
};

// A host path shown read-only inside the sandbox.
struct ReadOnlyBind {
  std::string host_path;     // must exist; as root, readable by others (commands run as another uid)
  std::string sandbox_path;  // absolute; not /, /usr, /scratch, /tmp, /proc, /dev or below the last four;
                             // below /usr only onto a directory that exists there
};

struct BashSessionOptions {
  std::string bwrap_path = "/usr/bin/bwrap";
  std::string bash_path = "/usr/bin/bash";            // must live under /usr to be seen in the sandbox
  std::vector<ReadOnlyBind> read_only_binds;          // the scenario's data at /data; extra tools anywhere
  std::string path = "/usr/local/bin:/usr/bin:/bin";  // PATH inside (add a bound tool dir here)
  BashCommandLimits limits;
  std::uint64_t scratch_cap_bytes = 64ull << 20;  // /scratch, checked after each command
  double session_wall_seconds = 600;              // checked before each command
  std::size_t output_cap_bytes = 10 << 10;        // CommandRun::output: first and last halves
  // As root, each command borrows a uid of [uid_base, uid_base + uid_count), as in
  // SandboxOptions (the same lock files), so RLIMIT_NPROC bounds its processes.
  std::uint32_t uid_base = 1900000000;
  unsigned uid_count = 256;
  std::string scratch_parent;  // where the session's directory is made; "" = the temp dir
};

// What one command did.
struct CommandRun {
  int exit_code = -1;              // bash's exit status; -1 when timed out, killed or not run
  int signal = 0;                  // an exit status of 128+N reads as signal N, as bash reports it
  bool timed_out = false;          // killed at limits.wall_seconds
  bool scratch_emptied = false;    // /scratch went over its cap after this command
  double seconds = 0;              // wall time from spawn to reap
  std::uint64_t output_bytes = 0;  // everything written to stdout and stderr, shown or not
  // What goes back to the model: stdout and stderr merged into one stream in the order
  // they were written (as a terminal shows them), capped by cap_tool_output, then a
  // note when /scratch was emptied and a last line "[exit code N]" or
  // "[killed: timed out after 30 s]". Invalid UTF-8 shows as U+FFFD.
  std::string output;

  bool failed() const { return timed_out || signal != 0 || exit_code != 0; }
};

// `text` itself when it fits in `cap` bytes, else its first cap/2 bytes, a line
// "[… N bytes cut …]" and its last cap/2 bytes (cut between code points). Invalid
// UTF-8 becomes U+FFFD.
std::string cap_tool_output(std::string_view text, std::size_t cap);

// One episode's shell. Not thread-safe: one command at a time; run sessions in parallel.
class BashSession {
 public:
  // Checks the options and makes the session's private scratch directory.
  static Result<BashSession> Open(const BashSessionOptions& options);

  BashSession(BashSession&& other) noexcept;
  BashSession& operator=(BashSession&& other) noexcept;
  BashSession(const BashSession&) = delete;
  BashSession& operator=(const BashSession&) = delete;
  ~BashSession();  // removes the scratch directory (never following a symlink out of it)

  // Runs `bash -c command`. A command that fails, crashes or times out is a CommandRun;
  // an error means qdrift could not run it (the sandbox broke, or the session is past
  // session_wall_seconds: check expired() first). A command over 100,000 bytes or with
  // a NUL byte is not run: a failed CommandRun says why.
  Result<CommandRun> run(std::string_view command);

  bool expired() const;                                            // past session_wall_seconds
  double seconds_used() const;                                     // since Open()
  const std::string& scratch_dir() const { return scratch_dir_; }  // the host directory behind /scratch

 private:
  BashSession(BashSessionOptions options, std::string session_dir);
  void remove_directory();

  BashSessionOptions options_;
  std::string session_dir_;             // ours (mode 0711 as root); holds only scratch_dir_
  std::string scratch_dir_;             // bound at /scratch
  std::optional<uid_t> scratch_owner_;  // the uid the scratch tree was last given to
  std::chrono::steady_clock::time_point opened_;
};

// Runs `true` through the real command line: ok, or an error naming the cause.
Status probe_bash_sandbox(const BashSessionOptions& options);

// Which of the tools a system prompt may promise actually run inside the sandbox, in
// this order: bash, coreutils, grep, sed, awk, sqlite3, python3, jq, mlr, csvlook,
// csvsql, csvstat, pandas (python3 -c 'import pandas').
Result<std::vector<std::string>> available_tools(const BashSessionOptions& options);

}  // namespace qdrift
