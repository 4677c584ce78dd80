// Real escape attempts. Each program tries to reach the host (network, files, processes,
// memory, CPU) and the test checks, from the host side, that nothing got through.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "process.h"
#include "qdrift/sandbox.h"
#include "sandbox/escape_probes.h"

using namespace qdrift;
using qdrift::testing::host_has;
using qdrift::testing::host_processes_with;
using qdrift::testing::with;

namespace {

Sandbox make_sandbox(double wall_seconds = 10) {
  SandboxOptions options;
  options.limits.wall_seconds = wall_seconds;
  Result<Sandbox> sandbox = Sandbox::Create(options);
  INFO(sandbox.status().message());
  REQUIRE(sandbox.ok());
  REQUIRE(sandbox->sandboxed());
  return std::move(sandbox.value());
}

SandboxRun run(const Sandbox& sandbox, const std::string& program) {
  Result<SandboxRun> result = sandbox.run(program);
  INFO(result.status().message());
  REQUIRE(result.ok());
  INFO("stdout: " << result->stdout_tail << "\nstderr: " << result->stderr_tail);
  return std::move(result.value());
}

}  // namespace

TEST_CASE("Sandbox escape: no TCP connection reaches a listener on the host's loopback", "[sandbox]") {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  REQUIRE(listener >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(listen(listener, 8) == 0);
  socklen_t length = sizeof address;
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string port = std::to_string(ntohs(address.sin_port));

  Sandbox sandbox = make_sandbox();
  std::string program = R"py(
import socket, sys
for host in ('127.0.0.1', 'localhost', '::1'):
    try:
        socket.create_connection((host, PORT), timeout=2)
        print('connected', host)
        sys.exit(0)
    except OSError as e:
        print('blocked', host, e)
sys.exit(3)
)py";
  program = with(program, "PORT", port);
  SandboxRun result = run(sandbox, program);
  CHECK(result.exit_code == 3);
  CHECK(result.stdout_tail.find("connected") == std::string::npos);
  // From the host side: nothing is waiting to be accepted.
  int accepted = accept(listener, nullptr, nullptr);
  CHECK(accepted < 0);
  CHECK((errno == EAGAIN || errno == EWOULDBLOCK));
  if (accepted >= 0) close(accepted);
  close(listener);
}

TEST_CASE("Sandbox escape: a file written to a host directory never appears there", "[sandbox]") {
  testing::TempDir dir;
  const std::string target = dir.file("escaped.txt");
  Sandbox sandbox = make_sandbox();
  // Plain open, then recreating the directory (inside, /tmp is the sandbox's own tmpfs),
  // then the host's other writable places.
  std::string program = R"py(
import os
for path in ['TARGET', '/work/escaped.txt', '/root/escaped.txt', '/usr/escaped.txt', '/escaped.txt']:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, 'w').write('out')
        print('wrote', path)
    except OSError as e:
        print('refused', path, e)
)py";
  program = with(program, "TARGET", target);
  run(sandbox, program);
  CHECK_FALSE(host_has(target));
  CHECK_FALSE(host_has("/work/escaped.txt"));
  CHECK_FALSE(host_has("/root/escaped.txt"));
  CHECK_FALSE(host_has("/usr/escaped.txt"));
  CHECK_FALSE(host_has("/escaped.txt"));
}

TEST_CASE("Sandbox escape: host files outside /usr cannot be read, host processes cannot be seen", "[sandbox]") {
  testing::TempDir dir;
  const std::string secret_path = dir.file("secret.txt");
  testing::write_text(secret_path, "SECRET-4711");
  Sandbox sandbox = make_sandbox();
  std::string program = R"py(
import os, sys
read = []
for path in ['SECRET', '/etc/passwd', '/etc/shadow', '/root/.bashrc', '/work/shared/DESIGN.md',
             '/proc/1/rootSECRET']:
    try:
        print(open(path).read())
        read.append(path)
    except OSError as e:
        print('refused', path, e)
pids = [p for p in os.listdir('/proc') if p.isdigit()]
print('pids', pids)
sys.exit(0 if read or len(pids) > 3 else 3)
)py";
  program = with(program, "SECRET", secret_path);
  SandboxRun result = run(sandbox, program);
  CHECK(result.exit_code == 3);
  CHECK(result.stdout_tail.find("SECRET-4711") == std::string::npos);
}

TEST_CASE("Sandbox escape: a fork bomb stops at RLIMIT_NPROC and leaves nothing behind", "[sandbox]") {
  Sandbox sandbox = make_sandbox(5);
  // On the command line of every bomb process, so the host can look for survivors (with our
  // pid in it, as other test processes may run the same test at the same time).
  const std::string tag = "987655." + std::to_string(getpid());  // a valid sleep duration too
  SECTION("counted: forking sleepers fails early") {
    std::string program = R"py(
import os
for n in range(10000):
    if os.fork() == 0:
        os.execv('/usr/bin/sleep', ['sleep', 'TAG'])
print('forked 10000 processes')
)py";
    program = with(program, "TAG", tag);
    SandboxRun result = run(sandbox, program);
    CHECK_FALSE(result.passed);
    CHECK_FALSE(result.timed_out);  // stopped by the limit, not by the clock
    CHECK(result.stderr_tail.find("BlockingIOError") != std::string::npos);
    CHECK(result.stdout_tail.find("forked 10000") == std::string::npos);
  }
  SECTION("classic: every process forks forever") {
    std::string program = R"py(
import os
bomb = 'import os\nwhile True:\n    os.fork()\n'
os.execv('/usr/bin/python3', ['python3', '-c', bomb, 'TAG'])
)py";
    program = with(program, "TAG", tag);
    SandboxRun result = run(sandbox, program);
    CHECK_FALSE(result.passed);
    CHECK(result.seconds < 5 + 3);
  }
  // Nothing of it survives on the host.
  CHECK(host_processes_with(tag) == 0);
}

TEST_CASE("Sandbox escape: allocating 8 GB fails on RLIMIT_AS", "[sandbox]") {
  Sandbox sandbox = make_sandbox();
  SandboxRun result = run(sandbox, "x = bytearray(8 * 1024 ** 3)\nprint('allocated')\n");
  CHECK_FALSE(result.passed);
  CHECK(result.stderr_tail.find("MemoryError") != std::string::npos);
  CHECK(result.stdout_tail.empty());
}

TEST_CASE("Sandbox escape: an infinite loop is killed at the wall-clock timeout", "[sandbox]") {
  Sandbox sandbox = make_sandbox(1.5);
  SandboxRun result = run(sandbox, "import time\nwhile True:\n    time.sleep(0.01)\n");
  CHECK(result.timed_out);
  CHECK_FALSE(result.passed);
  CHECK(result.seconds >= 1.5);
  CHECK(result.seconds < 4);
}

TEST_CASE("Sandbox escape: background processes do not outlive the program", "[sandbox]") {
  Sandbox sandbox = make_sandbox();
  std::string program = R"py(
import os, subprocess, time
subprocess.Popen(['sleep', 'TAG1'], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv('/usr/bin/sleep', ['sleep', 'TAG2'])
    os._exit(0)
os.wait()
time.sleep(0.3)
# Both sleepers are running, detached from us, when the program ends.
cmdlines = [open('/proc/%s/cmdline' % p, 'rb').read() for p in os.listdir('/proc') if p.isdigit()]
for tag in (b'TAG1', b'TAG2'):
    assert sum(tag in c for c in cmdlines) == 1, (tag, cmdlines)
print('detached')
)py";
  // Sleep durations that name this test process, so a concurrent run of it is no survivor.
  const std::string tag1 = "987654." + std::to_string(getpid()), tag2 = "987653." + std::to_string(getpid());
  program = with(with(program, "TAG1", tag1), "TAG2", tag2);
  SandboxRun result = run(sandbox, program);
  CHECK(result.passed);
  CHECK(result.stdout_tail == "detached\n");
  REQUIRE(host_processes_with("qdrift_tests") > 0);  // the scan does see host processes
  CHECK(host_processes_with(tag1) == 0);
  CHECK(host_processes_with(tag2) == 0);
}

TEST_CASE("Sandbox escape: killing the parent or everyone hurts no host process", "[sandbox]") {
  // A bystander the test owns: kill(-1) escaping the sandbox would take it down.
  pid_t bystander = -1;
  char sleep_path[] = "/usr/bin/sleep";
  char seconds[] = "30";
  char* argv[] = {sleep_path, seconds, nullptr};
  REQUIRE(posix_spawn(&bystander, sleep_path, nullptr, nullptr, argv, nullptr) == 0);

  Sandbox sandbox = make_sandbox();
  // Inside, python is pid 1 and its parent pid reads 0 (kill(0) = its own group), so the
  // bystander's host pid and everything (-1) come first.
  std::string program = R"py(
import os, signal
for target in (BYSTANDER, -1, 1, os.getppid()):
    try:
        os.kill(target, signal.SIGKILL)
    except OSError as e:
        print('refused', target, e)
)py";
  program = with(program, "BYSTANDER", std::to_string(bystander));
  run(sandbox, program);
  int status = 0;
  CHECK(waitpid(bystander, &status, WNOHANG) == 0);  // still running
  kill(bystander, SIGKILL);
  waitpid(bystander, &status, 0);
  CHECK(getpid() > 0);  // and so are we
}
