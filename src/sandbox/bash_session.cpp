// BashSession: a private scratch directory and one fresh bwrap per command. The host
// side touches the scratch tree only between commands, when nothing sandboxed is alive.
#include "qdrift/bash_session.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "sandbox/child_process.h"
#include "sandbox/command_line.h"
#include "sandbox/scratch_tree.h"
#include "sandbox/tool_output.h"
#include "sandbox/uid_lease.h"

namespace qdrift {

namespace {

// Under the kernel's 128 KiB limit on one argument, with room to spare.
constexpr std::size_t kMaxCommandBytes = 100000;

bool running_as_root() { return geteuid() == 0; }

bool is_under(const std::string& path, const std::string& dir) { return path == dir || path.rfind(dir + "/", 0) == 0; }

Status check_sandbox_path(const std::string& path) {
  if (path.empty() || path[0] != '/' || path.find("/..") != std::string::npos || path.find("//") != std::string::npos)
    return Status::Usage("bash sandbox: a bind's sandbox path must be absolute and plain: \"" + path + "\"");
  for (const char* reserved : {"/scratch", "/tmp", "/proc", "/dev"}) {
    if (is_under(path, reserved))
      return Status::Usage("bash sandbox: cannot bind over " + std::string(reserved) + ": \"" + path + "\"");
  }
  if (path == "/" || path == "/usr") return Status::Usage("bash sandbox: cannot bind over " + path);
  return Status::Ok();
}

// As root, commands run as an unprivileged uid, and bwrap (running as that uid) must reach
// `path`: every directory on the way needs x for others, and the end (to be read) r too.
Status check_reachable_by_others(const std::string& path, bool read_end) {
  char resolved[PATH_MAX];
  if (!realpath(path.c_str(), resolved)) return Status::Usage("bash sandbox: " + path + ": " + std::strerror(errno));
  std::filesystem::path end(resolved);
  for (std::filesystem::path at = end; !at.empty(); at = at.parent_path()) {
    struct stat info {};
    if (stat(at.c_str(), &info) != 0)
      return Status::Usage("bash sandbox: " + at.string() + ": " + std::strerror(errno));
    const bool is_end = at == end && read_end;
    const mode_t needed = is_end ? (S_ISDIR(info.st_mode) ? S_IROTH | S_IXOTH : S_IROTH) : S_IXOTH;
    if ((info.st_mode & needed) != needed)
      return Status::Usage("bash sandbox: " + at.string() + " (mode " + fmt::format("{:o}", info.st_mode & 07777) +
                           ") must be " + (is_end ? "readable" : "searchable") + " by others: commands run as an " +
                           "unprivileged uid when qdrift runs as root");
    if (at == at.parent_path()) break;
  }
  return Status::Ok();
}

std::string format_bytes(std::uint64_t bytes) {
  if (bytes % (1 << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes % (1 << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

std::string first_line(std::string_view text) {
  std::size_t start = text.find_first_not_of(" \n");
  if (start == std::string::npos) return "";
  return std::string(text.substr(start, text.find('\n', start) - start));
}

SandboxLimits child_limits(const BashSessionOptions& options) {
  SandboxLimits limits;
  limits.wall_seconds = options.limits.wall_seconds;
  limits.cpu_seconds = options.limits.cpu_seconds;
  limits.address_space_bytes = options.limits.address_space_bytes;
  limits.max_processes = options.limits.max_processes;
  limits.file_size_bytes = options.limits.file_size_bytes;
  limits.open_files = options.limits.open_files;
  limits.output_cap_bytes = (options.output_cap_bytes + 1) / 2;  // the tail; the head is as long
  return limits;
}

// The last line of CommandRun::output.
std::string status_line(const CommandRun& run, const BashSessionOptions& options) {
  if (run.timed_out) return fmt::format("[killed: timed out after {:g} s]", options.limits.wall_seconds);
  if (run.signal != 0) {
    const char* name = sigabbrev_np(run.signal);
    return fmt::format("[exit code {} (SIG{})]", run.exit_code, name ? name : std::to_string(run.signal));
  }
  return fmt::format("[exit code {}]", run.exit_code);
}

CommandRun not_run(const std::string& why) {
  CommandRun run;
  run.output = "[not run: " + why + "]";
  return run;
}

}  // namespace

BashSession::BashSession(BashSessionOptions options, std::string session_dir)
    : options_(std::move(options)),
      session_dir_(std::move(session_dir)),
      scratch_dir_(session_dir_ + "/scratch"),
      opened_(std::chrono::steady_clock::now()) {}

BashSession::BashSession(BashSession&& other) noexcept
    : options_(std::move(other.options_)),
      session_dir_(std::exchange(other.session_dir_, "")),
      scratch_dir_(std::exchange(other.scratch_dir_, "")),
      scratch_owner_(other.scratch_owner_),
      opened_(other.opened_) {}

BashSession& BashSession::operator=(BashSession&& other) noexcept {
  if (this != &other) {
    remove_directory();
    options_ = std::move(other.options_);
    session_dir_ = std::exchange(other.session_dir_, "");
    scratch_dir_ = std::exchange(other.scratch_dir_, "");
    scratch_owner_ = other.scratch_owner_;
    opened_ = other.opened_;
  }
  return *this;
}

BashSession::~BashSession() { remove_directory(); }

void BashSession::remove_directory() {
  if (session_dir_.empty()) return;
  chmod(scratch_dir_.c_str(), 0700);
  sandbox::empty_tree(scratch_dir_);  // best effort: a destructor has no one to tell
  rmdir(scratch_dir_.c_str());
  rmdir(session_dir_.c_str());
  session_dir_.clear();
}

Result<BashSession> BashSession::Open(const BashSessionOptions& options) {
  for (const ReadOnlyBind& bind : options.read_only_binds) {
    QDRIFT_TRY(check_sandbox_path(bind.sandbox_path));
    struct stat info {};
    if (stat(bind.host_path.c_str(), &info) != 0)
      return Status::Usage("bash sandbox: cannot bind " + bind.host_path + ": " + std::strerror(errno));
    if (running_as_root()) QDRIFT_TRY(check_reachable_by_others(bind.host_path, true));
  }
  std::error_code error;
  const std::string parent =
      options.scratch_parent.empty() ? std::filesystem::temp_directory_path(error).string() : options.scratch_parent;
  std::string dir = parent + "/qdrift-bash-XXXXXX";
  if (!mkdtemp(dir.data())) return Status::Io("bash sandbox: mkdtemp in " + parent + ": " + std::strerror(errno));
  BashSession session(options, dir);  // from here on, its destructor cleans up
  if (running_as_root()) {
    // The command's uid must pass through (x) but may not list or write.
    if (chmod(dir.c_str(), 0711) != 0) return Status::Io("bash sandbox: chmod " + dir + ": " + std::strerror(errno));
    QDRIFT_TRY(check_reachable_by_others(dir, false));
  }
  if (mkdir(session.scratch_dir_.c_str(), 0700) != 0)
    return Status::Io("bash sandbox: mkdir " + session.scratch_dir_ + ": " + std::strerror(errno));
  return session;
}

double BashSession::seconds_used() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - opened_).count();
}

bool BashSession::expired() const { return seconds_used() > options_.session_wall_seconds; }

Result<CommandRun> BashSession::run(std::string_view command) {
  if (session_dir_.empty()) return Status::Internal("bash sandbox: run() on a moved-from session");
  if (expired())
    return Status::Usage(fmt::format("bash sandbox: the session is past its {:g} s wall limit; start a new one",
                                     options_.session_wall_seconds));
  if (command.size() > kMaxCommandBytes)
    return not_run(fmt::format("the command is {} bytes; the limit is {}", command.size(), kMaxCommandBytes));
  if (command.find('\0') != std::string_view::npos) return not_run("the command contains a NUL byte");

  std::optional<sandbox::UidLease> lease;  // held until the command's processes are gone
  if (running_as_root()) {
    Result<sandbox::UidLease> acquired = sandbox::UidLease::Acquire(options_.uid_base, options_.uid_count);
    if (!acquired.ok()) return acquired.status();
    lease.emplace(std::move(acquired.value()));
  }
  chmod(scratch_dir_.c_str(), 0700);  // a command may have taken our permissions away
  if (lease && scratch_owner_ != lease->uid()) {
    QDRIFT_TRY(sandbox::chown_tree(scratch_dir_, lease->uid()));
    scratch_owner_ = lease->uid();
  }

  sandbox::ChildSpec spec;
  if (lease) spec.run_as_uid = lease->uid();
  // Not root: NPROC before bwrap would count all of the user's processes; set it inside.
  spec.set_nproc = lease.has_value();
  spec.argv = sandbox::bash_command(options_, scratch_dir_, !spec.set_nproc, std::string(command));
  spec.env = sandbox::child_environment("/");
  spec.limits = child_limits(options_);
  spec.bwrap_info = true;
  spec.data_bytes = options_.limits.memory_bytes;
  spec.head_bytes = spec.limits.output_cap_bytes;
  spec.merge_stderr = true;
  Result<sandbox::ChildOutcome> outcome = sandbox::run_child(spec);
  if (!outcome.ok()) return outcome.status();
  if (!outcome->bwrap_started && !outcome->timed_out)
    return Status::Io("bash sandbox: bwrap did not start the command: " + first_line(outcome->stdout_head));

  CommandRun run;
  run.seconds = outcome->seconds;
  run.output_bytes = outcome->stdout_bytes;
  run.timed_out = outcome->timed_out;
  run.exit_code = run.timed_out || outcome->signal != 0 ? -1 : outcome->exit_code;
  run.signal = run.timed_out ? SIGKILL : outcome->signal;
  if (run.signal == 0 && run.exit_code > 128 && run.exit_code <= 128 + 64) run.signal = run.exit_code - 128;

  chmod(scratch_dir_.c_str(), 0700);
  Result<std::uint64_t> used = sandbox::tree_bytes(scratch_dir_, options_.scratch_cap_bytes);
  if (!used.ok()) return used.status();
  if (*used > options_.scratch_cap_bytes) {
    QDRIFT_TRY(sandbox::empty_tree(scratch_dir_));
    run.scratch_emptied = true;
  }

  run.output = sandbox::cap_captured_output(outcome->stdout_head, outcome->stdout_tail, outcome->stdout_bytes,
                                            options_.output_cap_bytes);
  if (!run.output.empty() && run.output.back() != '\n') run.output += '\n';
  if (run.scratch_emptied)
    run.output += "[/scratch exceeded its " + format_bytes(options_.scratch_cap_bytes) + " cap and was emptied]\n";
  run.output += status_line(run, options_);
  return run;
}

}  // namespace qdrift
