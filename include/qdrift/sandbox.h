// Running untrusted Python that a (possibly damaged) model wrote, and the HumanEval
// glue around it. The sandbox is qdrift's only security surface: each program runs
// under bubblewrap with no network, its own PID/user/IPC/UTS/cgroup namespaces, a
// read-only /usr, a size-capped private tmpfs as its only writable place, rlimits and
// a wall-clock timeout after which its whole tree is SIGKILLed. When qdrift runs as
// root, each run borrows an unprivileged uid of its own, so RLIMIT_NPROC (which the
// kernel never enforces for uid 0) bounds a fork bomb.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/status.h"

namespace qdrift {

// Resource limits for one program.
struct SandboxLimits {
  double wall_seconds = 10;  // then the whole tree gets SIGKILL
  int cpu_seconds = 10;      // RLIMIT_CPU (SIGXCPU, then SIGKILL a second later)
  // Memory is bounded per process only (no cgroup): the worst a program can take is
  // about max_processes x address_space_bytes (4 GiB), per worker.
  std::uint64_t address_space_bytes = 512ull << 20;  // RLIMIT_AS: 512 MiB of virtual memory
  int max_processes = 8;                             // RLIMIT_NPROC: tasks (threads count), bwrap included
  std::uint64_t file_size_bytes = 16ull << 20;       // RLIMIT_FSIZE: 16 MiB per file
  int open_files = 64;                               // RLIMIT_NOFILE
  std::uint64_t tmpfs_bytes = 64ull << 20;           // size of the writable tmpfs (sandboxed only)
  std::size_t output_cap_bytes = 64 << 10;           // each of stdout and stderr keeps its last 64 KiB
};

struct SandboxOptions {
  std::string bwrap_path = "/usr/bin/bwrap";
  std::string python_path = "/usr/bin/python3";  // Debian's; must live under /usr to be seen in the sandbox
  // Without bubblewrap (or without namespaces) run plain python3 with only the rlimits
  // and the timeout. Off by default: then an unusable bwrap is an error.
  bool allow_unsandboxed = false;
  SandboxLimits limits;
  unsigned workers = 0;  // run_all concurrency; 0 = the number of cores
  // As root, each run borrows one uid of [uid_base, uid_base + uid_count) for itself (a
  // lock file per uid keeps concurrent runs and qdrift processes apart). The range is
  // unused on ordinary systems: above systemd's container uids, and below 2^31 for bwrap.
  std::uint32_t uid_base = 1900000000;
  unsigned uid_count = 256;
};

// What one program did.
struct SandboxRun {
  bool passed = false;             // exited with status 0 before the timeout
  int exit_code = -1;              // the exit status, or -1 when killed by a signal
  int signal = 0;                  // the killing signal; through bwrap, an exit code 128+N reads as signal N
  bool timed_out = false;          // killed at the wall-clock limit
  bool sandboxed = true;           // false when it ran under allow_unsandboxed without bubblewrap
  std::string stdout_tail;         // the last output_cap_bytes of stdout
  std::string stderr_tail;         // the last output_cap_bytes of stderr
  std::uint64_t stdout_bytes = 0;  // everything written, kept or not
  std::uint64_t stderr_bytes = 0;
  double seconds = 0;  // wall time from spawn to reap
};

// Runs Python programs one at a time. Create() checks that the sandbox works here.
class Sandbox {
 public:
  // Probes bubblewrap by running a trivial program through the real command line. When
  // that fails: an error naming the cause, or (allow_unsandboxed) a Sandbox that runs
  // programs unsandboxed and says so in each SandboxRun.
  static Result<Sandbox> Create(SandboxOptions options);

  // Runs `program` (Python source). Thread-safe. An error means qdrift could not run it
  // at all; a program that crashes is a SandboxRun with passed = false.
  Result<SandboxRun> run(std::string_view program) const;

  bool sandboxed() const { return sandboxed_; }
  const SandboxOptions& options() const { return options_; }
  // Why it runs unsandboxed ("" when sandboxed).
  const std::string& unsandboxed_reason() const { return unsandboxed_reason_; }

 private:
  Sandbox(SandboxOptions options, bool sandboxed, std::string reason)
      : options_(std::move(options)), sandboxed_(sandboxed), unsandboxed_reason_(std::move(reason)) {}
  SandboxOptions options_;
  bool sandboxed_ = true;
  std::string unsandboxed_reason_;
};

// Runs many programs on options.workers threads. results[i] belongs to programs[i].
std::vector<Result<SandboxRun>> run_all(const Sandbox& sandbox, const std::vector<std::string>& programs);

// ---- HumanEval: from a dataset record and a chat response to a program ----

struct HumanEvalProblem {
  std::string task_id;             // "HumanEval/0"
  std::string prompt;              // imports, helpers, signature and docstring
  std::string canonical_solution;  // the reference body
  std::string test;                // defines check(candidate)
  std::string entry_point;         // the function check() is called with
};

// One JSONL line of HumanEval.jsonl.
Result<HumanEvalProblem> parse_humaneval_record(std::string_view json_line);
// Every record of a HumanEval.jsonl file, in file order.
Result<std::vector<HumanEvalProblem>> load_humaneval(const std::string& path);

// The code in a chat response: the first ```python (or ```py) block, else the first
// untagged ``` block, else the whole message. An unclosed fence (a response cut at
// max_tokens) runs to the end of the message.
std::string extract_code(std::string_view response);

struct HumanEvalProgram {
  std::string source;          // what the sandbox runs
  std::string completion;      // the code that was used, after extraction and re-indenting
  bool full_function = false;  // the response defined entry_point itself
  std::string pass_marker;     // printed as the last stdout line only when check() returned
};

// Assembles the program for one response. A response that defines `def entry_point(`
// runs after the whole prompt (so the prompt's imports and helpers exist and the model's
// definition replaces the stub); otherwise it is a body appended to the prompt, as
// openai/human-eval's check_correctness does: prompt + completion + "\n" + test + "\n" +
// "check(entry_point)". Either way a random marker is printed after check() returns, so
// code that exits early with status 0 (unittest.main(), sys.exit()) does not pass.
HumanEvalProgram assemble_humaneval_program(const HumanEvalProblem& problem, std::string_view response);

// Did the program pass: exit 0 and the marker is the last line of stdout.
bool humaneval_passed(const HumanEvalProgram& program, const SandboxRun& run);

// Unbiased pass@k from n samples with c correct (Chen et al. 2021):
// 1 - C(n-c, k) / C(n, k), computed as 1 - prod_{i=n-c+1..n} (1 - k/i) for stability.
double pass_at_k(int n, int c, int k);

}  // namespace qdrift
