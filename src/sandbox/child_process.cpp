// fork + execve of one untrusted child with rlimits, captured output and a deadline.
// Between fork and execve the child only makes async-signal-safe calls (raw syscalls),
// because the parent is multi-threaded (the sandbox pool forks from worker threads).
#include "sandbox/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace qdrift::sandbox {

namespace {

using Clock = std::chrono::steady_clock;

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// Keeps the last `cap` bytes written to a stream (and its first `head_cap`), and counts them all.
struct Tail {
  std::string data;
  std::string head;
  std::uint64_t total = 0;
  std::size_t cap = 0;
  std::size_t head_cap = 0;
  void append(const char* bytes, std::size_t n) {
    total += n;
    if (head.size() < head_cap) head.append(bytes, std::min(n, head_cap - head.size()));
    if (n >= cap) {
      data.assign(bytes + (n - cap), cap);
      return;
    }
    data.append(bytes, n);
    if (data.size() > cap) data.erase(0, data.size() - cap);
  }
};

// Reads what is available now, up to `budget` bytes; false once the writer side is closed.
bool drain(int fd, Tail& tail, std::uint64_t budget = ~0ull) {
  char buffer[65536];
  for (std::uint64_t taken = 0; taken < budget;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      tail.append(buffer, static_cast<std::size_t>(n));
      taken += static_cast<std::uint64_t>(n);
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
  return true;
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Why the child gave up before execve, sent to the parent over a close-on-exec pipe.
struct ExecFailure {
  int stage;  // index into kStages
  int error;  // errno
};
constexpr const char* kStages[] = {"dup", "setrlimit", "setgroups/setgid/setuid", "prctl", "chdir", "execve"};

[[noreturn]] void fail_in_child(int report_fd, int stage) {
  ExecFailure failure{stage, errno};
  ssize_t ignored = write(report_fd, &failure, sizeof failure);
  (void)ignored;
  _exit(127);
}

bool set_limit(int resource, rlim_t value) {
  rlimit limit{value, value};
  return setrlimit(resource, &limit) == 0;
}

// The child side of fork(): descriptors, limits, identity, then execve. The child gets
// 0 = /dev/null, 1 and 2 = our pipes, 3 = spec.inherit_fd, 5 = the bwrap info pipe, and
// 4 = the close-on-exec pipe that reports a failure before execve.
[[noreturn]] void exec_child(const ChildSpec& spec, char* const* argv, char* const* envp, int null_fd, int out_fd,
                             int err_fd, int report_fd, int info_fd, pid_t parent) {
  // Move every descriptor we keep above 10 first, so the dup2s below cannot clobber one another.
  int high_report = fcntl(report_fd, F_DUPFD_CLOEXEC, 10);
  if (high_report < 0) _exit(127);
  const int sources[] = {null_fd, out_fd, err_fd, spec.inherit_fd, info_fd};
  const int targets[] = {0, 1, 2, 3, 5};
  int high[5];
  for (int i = 0; i < 5; ++i) {
    high[i] = sources[i] >= 0 ? fcntl(sources[i], F_DUPFD_CLOEXEC, 10) : -1;
    if (sources[i] >= 0 && high[i] < 0) fail_in_child(high_report, 0);
  }
  for (int i = 0; i < 5; ++i) {
    if (high[i] >= 0 ? dup2(high[i], targets[i]) < 0 : (close(targets[i]), false)) fail_in_child(high_report, 0);
  }
  if (dup3(high_report, 4, O_CLOEXEC) < 0) fail_in_child(high_report, 0);
  report_fd = 4;
  // Nothing else of ours (other runs' pipes, sockets, the test's files) reaches the child.
  syscall(SYS_close_range, 6u, ~0u, 0u);

  setpgid(0, 0);  // its own process group, killed as a whole
  sigset_t all;
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) sigaction(sig, &default_action, nullptr);  // undo inherited SIG_IGN

  const SandboxLimits& limits = spec.limits;
  const rlim_t cpu = static_cast<rlim_t>(limits.cpu_seconds);
  rlimit cpu_limit{cpu, cpu + 1};  // SIGXCPU first, SIGKILL one second later
  if (setrlimit(RLIMIT_CPU, &cpu_limit) != 0 || !set_limit(RLIMIT_AS, limits.address_space_bytes) ||
      !set_limit(RLIMIT_FSIZE, limits.file_size_bytes) || !set_limit(RLIMIT_NOFILE, limits.open_files) ||
      !set_limit(RLIMIT_CORE, 0) || (spec.set_nproc && !set_limit(RLIMIT_NPROC, limits.max_processes)) ||
      (spec.data_bytes != 0 && !set_limit(RLIMIT_DATA, spec.data_bytes)))
    fail_in_child(report_fd, 1);

  if (spec.run_as_uid) {
    // Raw syscalls: glibc's setuid() would try to synchronise threads that fork() left behind.
    const long id = static_cast<long>(*spec.run_as_uid);
    if (syscall(SYS_setgroups, 0, nullptr) != 0 || syscall(SYS_setresgid, id, id, id) != 0 ||
        syscall(SYS_setresuid, id, id, id) != 0)
      fail_in_child(report_fd, 2);
  }
  // After the uid change, which clears it: if qdrift dies, so does the child (bwrap's own
  // --die-with-parent then takes the sandbox down).
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail_in_child(report_fd, 3);
  if (getppid() != parent) _exit(127);  // qdrift died before the signal was armed
  if (chdir(spec.cwd.c_str()) != 0) fail_in_child(report_fd, 4);
  execve(argv[0], argv, envp);
  fail_in_child(report_fd, 5);
}

// The host pid of the sandbox's init, from bwrap's --info-fd JSON ({"child-pid": N, ...}).
pid_t parse_child_pid(const std::string& info) {
  std::size_t key = info.find("\"child-pid\"");
  if (key == std::string::npos) return -1;
  std::size_t digits = info.find_first_of("0123456789", key);
  if (digits == std::string::npos) return -1;
  std::size_t end = info.find_first_not_of("0123456789", digits);
  if (end == std::string::npos) return -1;  // not all of it has arrived yet
  return static_cast<pid_t>(std::stol(info.substr(digits, end - digits)));
}

bool wait_readable(int fd, int milliseconds) {
  pollfd entry{fd, POLLIN, 0};
  return poll(&entry, 1, milliseconds) > 0;
}

bool make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  // Only our end is non-blocking: the child's writes must block, not fail with EAGAIN.
  return fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0;
}

}  // namespace

void kill_all_of_uid(uid_t uid) {
  pid_t pid = fork();
  if (pid == 0) {
    const long id = static_cast<long>(uid);
    if (syscall(SYS_setgroups, 0, nullptr) != 0 || syscall(SYS_setresgid, id, id, id) != 0 ||
        syscall(SYS_setresuid, id, id, id) != 0)
      _exit(1);
    // kill(-1) as this uid reaches its processes only. Repeat while any remain (a fork bomb
    // may still be forking); zombies keep answering, so the number of rounds is bounded.
    for (int round = 0; round < 20; ++round) {
      if (kill(-1, SIGKILL) != 0 && errno == ESRCH) _exit(0);
      usleep(500);
    }
    _exit(0);
  }
  if (pid > 0) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

Result<ChildOutcome> run_child(const ChildSpec& spec) {
  if (spec.argv.empty()) return Status::Internal("sandbox: empty command line");
  Fd out_read, out_write, err_read, err_write, report_read, report_write, info_read, info_write;
  if (!make_pipe(out_read, out_write) || !make_pipe(err_read, err_write) || !make_pipe(report_read, report_write) ||
      (spec.bwrap_info && !make_pipe(info_read, info_write)))
    return Status::Io(std::string("sandbox: pipe: ") + std::strerror(errno));
  fcntl(report_read.get(), F_SETFL, 0);  // read the exec report blocking
  Fd null_fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (null_fd.get() < 0) return Status::Io(std::string("sandbox: /dev/null: ") + std::strerror(errno));

  std::vector<char*> argv = c_strings(spec.argv), envp = c_strings(spec.env);
  const Clock::time_point start = Clock::now();
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return Status::Io(std::string("sandbox: fork: ") + std::strerror(errno));
  if (pid == 0)
    exec_child(spec, argv.data(), envp.data(), null_fd.get(), out_write.get(),
               spec.merge_stderr ? out_write.get() : err_write.get(), report_write.get(), info_write.get(), parent);

  out_write.reset();
  err_write.reset();
  report_write.reset();
  info_write.reset();
  ExecFailure failure{};
  ssize_t got;
  while ((got = read(report_read.get(), &failure, sizeof failure)) < 0 && errno == EINTR) {
  }
  if (got == static_cast<ssize_t>(sizeof failure)) {
    int status = 0;
    waitpid(pid, &status, 0);
    return Status::Io("sandbox: cannot start " + spec.argv[0] + ": " + kStages[failure.stage] + ": " +
                      std::strerror(failure.error));
  }

  Fd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  Fd init_pidfd;  // the sandbox's init, once bwrap has told us its pid
  std::string info;
  Tail out, err;
  out.cap = err.cap = spec.limits.output_cap_bytes;
  out.head_cap = err.head_cap = spec.head_bytes;
  bool out_open = true, err_open = !spec.merge_stderr, info_open = spec.bwrap_info, exited = false;
  ChildOutcome outcome;
  const Clock::time_point deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(spec.limits.wall_seconds));
  int status = 0;
  while (!exited) {
    const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (remaining <= 0) {
      outcome.timed_out = true;
      break;
    }
    pollfd fds[4] = {{out_open ? out_read.get() : -1, POLLIN, 0},
                     {err_open ? err_read.get() : -1, POLLIN, 0},
                     {pidfd.get(), POLLIN, 0},
                     {info_open ? info_read.get() : -1, POLLIN, 0}};
    // Without a pidfd (kernel < 5.3) fall back to checking the child every 10 ms.
    int timeout = pidfd.get() >= 0 ? static_cast<int>(remaining) : std::min<int>(10, static_cast<int>(remaining));
    if (poll(fds, 4, timeout) < 0 && errno != EINTR) break;
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP))) out_open = drain(out_read.get(), out);
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP))) err_open = drain(err_read.get(), err);
    if (info_open && (fds[3].revents & (POLLIN | POLLHUP))) {
      char buffer[512];
      ssize_t n = read(info_read.get(), buffer, sizeof buffer);
      if (n > 0) info.append(buffer, static_cast<std::size_t>(n));
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) info_open = false;
      if (init_pidfd.get() < 0) {
        // The init is alive (the program is just starting), so its pid cannot have been reused yet.
        if (pid_t init_pid = parse_child_pid(info); init_pid > 0)
          init_pidfd.reset(static_cast<int>(syscall(SYS_pidfd_open, init_pid, 0)));
      }
    }
    if (pidfd.get() >= 0) {
      exited = (fds[2].revents & POLLIN) != 0;
    } else {
      exited = waitpid(pid, &status, WNOHANG) == pid;
      if (exited) pid = -pid;  // reaped: remember not to wait again
    }
  }
  if (outcome.timed_out && init_pidfd.get() >= 0) {
    // Inside out: the sandbox's init first, so bwrap can reap it and exit on its own.
    syscall(SYS_pidfd_send_signal, init_pidfd.get(), SIGKILL, nullptr, 0u);
    if (pidfd.get() >= 0) wait_readable(pidfd.get(), 2000);
  }
  // Kill the group while the leader is still an unreaped zombie (or alive, on timeout), so
  // its pid, which names the group, cannot have been reused.
  if (pid > 0) kill(-pid, SIGKILL);
  if (pid > 0) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (spec.run_as_uid) kill_all_of_uid(*spec.run_as_uid);
  outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // Whatever the child wrote before it ended is still in the pipes. Bounded, because an
  // unsandboxed straggler we could not kill may still be writing.
  const std::uint64_t budget = 4 * static_cast<std::uint64_t>(spec.limits.output_cap_bytes) + 65536;
  if (out_open) drain(out_read.get(), out, budget);
  if (err_open) drain(err_read.get(), err, budget);
  if (info_open) {  // a quick child may have ended before the info was read
    char buffer[512];
    ssize_t n;
    while (info.size() < 4096 && (n = read(info_read.get(), buffer, sizeof buffer)) > 0)
      info.append(buffer, static_cast<std::size_t>(n));
  }
  outcome.bwrap_started = spec.bwrap_info && parse_child_pid(info) > 0;

  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  outcome.stdout_tail = std::move(out.data);
  outcome.stderr_tail = std::move(err.data);
  outcome.stdout_head = std::move(out.head);
  outcome.stderr_head = std::move(err.head);
  outcome.stdout_bytes = out.total;
  outcome.stderr_bytes = err.total;
  return outcome;
}

}  // namespace qdrift::sandbox
