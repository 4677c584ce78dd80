// Sandbox: checks bubblewrap works here, then runs one program at a time through it
// (or, when allowed and it does not, through plain python3 with only rlimits).
#include "qdrift/sandbox.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sandbox/child_process.h"
#include "sandbox/command_line.h"
#include "sandbox/uid_lease.h"

namespace qdrift {

namespace {

// As root, RLIMIT_NPROC is never enforced (the kernel exempts uid 0, also when bwrap maps
// it to another uid inside its namespace), so each run borrows an unprivileged uid of its
// own: the limit then counts that run's processes and nobody else's.
bool running_as_root() { return geteuid() == 0; }

// The uid a run executes as: none (ourselves) unless we are root.
Result<std::optional<sandbox::UidLease>> lease_uid(const SandboxOptions& options) {
  if (!running_as_root()) return std::optional<sandbox::UidLease>();
  Result<sandbox::UidLease> lease = sandbox::UidLease::Acquire(options.uid_base, options.uid_count);
  if (!lease.ok()) return lease.status();
  return std::optional<sandbox::UidLease>(std::move(lease.value()));
}

// An anonymous in-memory file holding the program, rewound for bwrap to read.
Result<int> program_memfd(std::string_view program) {
  int fd = memfd_create("qdrift-program", MFD_CLOEXEC);
  if (fd < 0) return Status::Io(std::string("sandbox: memfd_create: ") + std::strerror(errno));
  std::size_t written = 0;
  while (written < program.size()) {
    ssize_t n = write(fd, program.data() + written, program.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      return Status::Io(std::string("sandbox: writing the program: ") + std::strerror(errno));
    }
    written += static_cast<std::size_t>(n);
  }
  lseek(fd, 0, SEEK_SET);
  return fd;
}

SandboxRun to_run(sandbox::ChildOutcome&& outcome, bool sandboxed) {
  SandboxRun run;
  run.sandboxed = sandboxed;
  run.timed_out = outcome.timed_out;
  run.exit_code = outcome.exit_code;
  run.signal = outcome.signal;
  // bwrap reports a program killed by signal N as exit status 128 + N.
  if (sandboxed && run.signal == 0 && run.exit_code > 128 && run.exit_code <= 128 + 64)
    run.signal = run.exit_code - 128;
  run.passed = !run.timed_out && outcome.signal == 0 && run.exit_code == 0;
  run.stdout_tail = std::move(outcome.stdout_tail);
  run.stderr_tail = std::move(outcome.stderr_tail);
  run.stdout_bytes = outcome.stdout_bytes;
  run.stderr_bytes = outcome.stderr_bytes;
  run.seconds = outcome.seconds;
  return run;
}

Result<SandboxRun> run_sandboxed(const SandboxOptions& options, std::string_view program) {
  Result<std::optional<sandbox::UidLease>> lease = lease_uid(options);
  if (!lease.ok()) return lease.status();
  Result<int> memfd = program_memfd(program);
  if (!memfd.ok()) return memfd.status();
  sandbox::ChildSpec spec;
  if (*lease) spec.run_as_uid = (*lease)->uid();
  // Not root: NPROC before bwrap would count all of the user's processes; set it inside.
  spec.set_nproc = spec.run_as_uid.has_value();
  spec.argv = sandbox::bwrap_command(options, !spec.set_nproc);
  spec.env = sandbox::child_environment("/");
  spec.limits = options.limits;
  spec.inherit_fd = *memfd;
  spec.bwrap_info = true;
  Result<sandbox::ChildOutcome> outcome = sandbox::run_child(spec);
  close(*memfd);
  if (!outcome.ok()) return outcome.status();
  return to_run(std::move(outcome.value()), true);
}

// A private host directory as cwd, owned by the run's uid when that is not us.
Result<SandboxRun> run_unsandboxed(const SandboxOptions& options, std::string_view program) {
  Result<std::optional<sandbox::UidLease>> lease = lease_uid(options);
  if (!lease.ok()) return lease.status();
  std::string dir = (std::filesystem::temp_directory_path() / "qdrift-unsandboxed-XXXXXX").string();
  if (!mkdtemp(dir.data())) return Status::Io(std::string("sandbox: mkdtemp: ") + std::strerror(errno));
  const std::string program_path = dir + "/main.py";
  {
    std::ofstream out(program_path, std::ios::binary);
    out << program;
    if (!out) return Status::Io("sandbox: cannot write " + program_path);
  }
  sandbox::ChildSpec spec;
  if (*lease) spec.run_as_uid = (*lease)->uid();
  spec.set_nproc = spec.run_as_uid.has_value();
  if (spec.run_as_uid && chown(dir.c_str(), *spec.run_as_uid, *spec.run_as_uid) != 0)
    return Status::Io("sandbox: chown " + dir + ": " + std::strerror(errno));
  spec.argv = sandbox::python_command(options, program_path);
  spec.env = sandbox::child_environment(dir);
  spec.cwd = dir;
  spec.limits = options.limits;
  Result<sandbox::ChildOutcome> outcome = sandbox::run_child(spec);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  if (!outcome.ok()) return outcome.status();
  return to_run(std::move(outcome.value()), false);
}

std::string first_line(const std::string& text) {
  std::size_t start = text.find_first_not_of(" \n");
  if (start == std::string::npos) return "";
  return text.substr(start, text.find('\n', start) - start);
}

// Runs a trivial program through the real command line; "" when it works, else why not.
std::string probe(const SandboxOptions& options, bool sandboxed) {
  SandboxOptions quick = options;
  quick.limits.wall_seconds = 20;
  Result<SandboxRun> run = sandboxed ? run_sandboxed(quick, "import sys\n") : run_unsandboxed(quick, "import sys\n");
  if (!run.ok()) return run.status().message();
  if (run->passed) return "";
  std::string why = first_line(run->stderr_tail);
  if (why.empty()) why = run->timed_out ? "timed out" : "exit status " + std::to_string(run->exit_code);
  return why;
}

}  // namespace

Result<Sandbox> Sandbox::Create(SandboxOptions options) {
  if (options.workers == 0) options.workers = std::max(1u, std::thread::hardware_concurrency());
  if (access(options.python_path.c_str(), X_OK) != 0)
    return Status::Usage("sandbox: no python interpreter at " + options.python_path +
                         " (install Debian's python3 package)");
  std::string reason;
  if (access(options.bwrap_path.c_str(), X_OK) != 0) {
    reason = "bubblewrap not found at " + options.bwrap_path + " (install the bubblewrap package)";
  } else if (std::string why = probe(options, true); !why.empty()) {
    reason = "bubblewrap at " + options.bwrap_path + " cannot create a sandbox here: " + why;
  }
  if (reason.empty()) return Sandbox(std::move(options), true, "");
  if (!options.allow_unsandboxed)
    return Status::Usage("sandbox: " + reason +
                         "; refusing to run model-written code without it (allow unsandboxed runs to override)");
  if (std::string why = probe(options, false); !why.empty())
    return Status::Usage("sandbox: " + reason + "; and plain python3 fails too: " + why);
  return Sandbox(std::move(options), false, reason);
}

Result<SandboxRun> Sandbox::run(std::string_view program) const {
  return sandboxed_ ? run_sandboxed(options_, program) : run_unsandboxed(options_, program);
}

}  // namespace qdrift
