// Real escape attempts from a bash session. Each command tries to reach the host (files,
// network, processes, memory, CPU, the host-side walks of /scratch); the test checks from
// the host that nothing got through, and that the same session still runs `echo ok`.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "qdrift/bash_session.h"
#include "sandbox/bash_session_testing.h"
#include "sandbox/escape_probes.h"

using namespace qdrift;
using qdrift::testing::contains;
using qdrift::testing::host_has;
using qdrift::testing::host_processes_with;
using qdrift::testing::HostDir;
using qdrift::testing::with;
using qdrift::testing::run_command;
using qdrift::testing::test_options;

namespace {

// Host processes (zombies included) owned by a uid in [first, first + count).
int host_processes_of_uids(uid_t first, unsigned count) {
  int found = 0;
  DIR* proc = opendir("/proc");
  while (dirent* entry = readdir(proc)) {
    struct stat info {};
    if (entry->d_name[0] >= '0' && entry->d_name[0] <= '9' && fstatat(dirfd(proc), entry->d_name, &info, 0) == 0 &&
        info.st_uid >= first && info.st_uid < first + count)
      ++found;
  }
  closedir(proc);
  return found;
}

// The session goes on after the attack.
void check_still_works(BashSession& session) {
  CommandRun ok = run_command(session, "echo ok");
  CHECK(ok.output == "ok\n[exit code 0]");
}

// A uid range of this test process's own, so its checks see no other test's processes.
BashSessionOptions private_uid_options(double wall_seconds) {
  BashSessionOptions options = test_options(wall_seconds);
  options.uid_base = 1900000000 + 1000 + static_cast<std::uint32_t>(getpid() % 100000) * 4;
  options.uid_count = 4;
  return options;
}

}  // namespace

TEST_CASE("Bash escape: writes outside /scratch fail and nothing appears on the host", "[sandbox]") {
  HostDir data, elsewhere;
  data.write("prices.csv", "a,b\n1,2\n");
  BashSessionOptions options = test_options();
  options.read_only_binds.push_back({data.path(), "/data"});
  OPEN_BASH_SESSION_OR_SKIP(session, options);
  const std::string command = with(R"sh(
for path in /usr/escaped /data/escaped /escaped /etc/escaped /proc/escaped /dev/escaped ELSEWHERE/escaped; do
  echo out > "$path" && echo "wrote $path"
done
mkdir -p ELSEWHERE && echo out > ELSEWHERE/escaped && echo "recreated ELSEWHERE"
cp /data/prices.csv /usr/ 2>/dev/null && echo "copied"
ln /data/prices.csv /scratch/hard && echo "hard-linked"
true
)sh",
                                   "ELSEWHERE", elsewhere.path());
  CommandRun run = run_command(session, command);
  CHECK_FALSE(contains(run.output, "wrote"));
  // ("recreated" is fine: inside, /tmp is the command's own tmpfs; the host check below matters.)
  CHECK_FALSE(contains(run.output, "copied"));
  CHECK_FALSE(contains(run.output, "hard-linked"));  // across mounts: EXDEV
  for (const std::string& path :
       {std::string("/usr/escaped"), data.file("escaped"), std::string("/escaped"), std::string("/etc/escaped"),
        elsewhere.file("escaped"), std::string("/usr/prices.csv")})
    CHECK_FALSE(host_has(path));
  check_still_works(session);
}

TEST_CASE("Bash escape: host files outside /data cannot be read and host processes cannot be seen", "[sandbox]") {
  HostDir secrets;
  const std::string secret = secrets.write("secret.txt", "SECRET-4711");
  OPEN_BASH_SESSION_OR_SKIP(session, test_options());
  // The pattern is built inside, so the command itself never holds it.
  const std::string command = with(R"sh(
cat SECRET; ls SECRETDIR; cat /etc/shadow /etc/passwd /root/.bashrc /work/shared/STYLE.md /proc/1/root/SECRET
grep -rs "SECRET-$((4700 + 11))" /etc /tmp /scratch /proc/1/root/etc
true
)sh",
                                   "SECRET", secret);
  CommandRun read = run_command(session, with(command, "SECRETDIR", secrets.path()));
  CHECK_FALSE(contains(read.output, "SECRET-4711"));
  CHECK(contains(read.output, "No such file or directory"));
  // Only the sandbox's own processes: bash as pid 1, running builtins only.
  CommandRun processes =
      run_command(session, "for p in /proc/[0-9]*; do read -r name < \"$p/comm\"; echo \"${p#/proc/} $name\"; done");
  CHECK(processes.output == "1 bash\n[exit code 0]");
  check_still_works(session);
}

TEST_CASE("Bash escape: no TCP connection reaches a listener on the host's loopback", "[sandbox]") {
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

  OPEN_BASH_SESSION_OR_SKIP(session, test_options());
  const std::string command = with(R"sh(
echo hello > /dev/tcp/127.0.0.1/PORT && echo "connected bash"
python3 - <<'EOF'
import socket
for host in ('127.0.0.1', 'localhost', '::1'):
    try:
        socket.create_connection((host, PORT), timeout=2)
        print('connected python', host)
    except OSError as e:
        print('blocked', host, e)
EOF
)sh",
                                   "PORT", port);
  CommandRun run = run_command(session, command);
  CHECK_FALSE(contains(run.output, "connected"));
  CHECK(contains(run.output, "blocked 127.0.0.1"));
  int accepted = accept(listener, nullptr, nullptr);
  CHECK(accepted < 0);
  CHECK((errno == EAGAIN || errno == EWOULDBLOCK));
  if (accepted >= 0) close(accepted);
  close(listener);
  check_still_works(session);
}

TEST_CASE("Bash escape: a fork bomb stops at the process limit and leaves nothing behind", "[sandbox]") {
  BashSessionOptions options = private_uid_options(2);
  options.limits.max_processes = 32;  // forks are slow here (a VM): reach the limit quickly
  OPEN_BASH_SESSION_OR_SKIP(session, options);
  // On the command line of every bomb process, so the host can look for survivors.
  const std::string tag = "1." + std::to_string(getpid());  // a valid sleep duration too
  SECTION("counted: python forks sleepers until fork fails") {
    CommandRun run = run_command(session, with(R"sh(python3 - <<'EOF'
import os
n = 0
try:
    while n < 100000:
        if os.fork() == 0:
            os.execv('/usr/bin/sleep', ['sleep', 'TAG'])
        n += 1
except OSError as e:
    print('stopped after', n, e.strerror)
EOF
)sh",
                                               "TAG", tag));
    INFO(run.output);
    CHECK(contains(run.output, "stopped after"));
    CHECK(contains(run.output, "Resource temporarily unavailable"));
    const std::size_t at = run.output.find("stopped after ");
    REQUIRE(at != std::string::npos);
    CHECK(std::stoi(run.output.substr(at + 14)) < options.limits.max_processes);
  }
  SECTION("classic: every bash forks forever") {
    // The shell waits, or its exit would end the bomb at once (the pid namespace dies with it).
    CommandRun run = run_command(session, "bomb() { bomb | bomb & }; bomb; sleep 10 # " + tag);
    CHECK(run.timed_out);
    CHECK(contains(run.output, "fork: retry: Resource temporarily unavailable"));
    CHECK(run.seconds < 2 + 3);
  }
  CHECK(host_processes_with(tag) == 0);
  CHECK(host_processes_of_uids(options.uid_base, options.uid_count) == 0);
  check_still_works(session);
}

TEST_CASE("Bash escape: memory bombs fail at the memory limit", "[sandbox]") {
  // 4 GiB is past RLIMIT_AS too; 1.1 GiB only past RLIMIT_DATA (1 GiB).
  OPEN_BASH_SESSION_OR_SKIP(session, test_options());
  CommandRun python = run_command(session, "python3 -c 'x = bytearray(4 * 1024 ** 3); print(\"allocated\")'");
  CHECK(python.failed());
  CHECK(contains(python.output, "MemoryError"));
  CHECK_FALSE(contains(python.output, "allocated"));
  CommandRun just_over = run_command(session, "python3 -c 'x = bytearray(1100 * 1024 ** 2); print(\"allocated\")'");
  CHECK(contains(just_over.output, "MemoryError"));
  check_still_works(session);
}

TEST_CASE("Bash escape: an endless loop is killed at the timeout", "[sandbox]") {
  OPEN_BASH_SESSION_OR_SKIP(session, test_options(1.5));
  CommandRun loop = run_command(session, "while :; do :; done");
  CHECK(loop.timed_out);
  CHECK(loop.seconds >= 1.5);
  CHECK(loop.seconds < 4);
  CHECK(loop.output == "[killed: timed out after 1.5 s]");
  CommandRun ignoring = run_command(session, "trap '' TERM INT HUP; yes > /dev/null");
  CHECK(ignoring.timed_out);
  check_still_works(session);
}

TEST_CASE("Bash escape: processes that outlive their command die with it", "[sandbox]") {
  BashSessionOptions options = private_uid_options(5);
  OPEN_BASH_SESSION_OR_SKIP(session, options);
  const std::string tag = "1." + std::to_string(getpid());
  const std::string command = with(R"sh(
(sleep TAG; touch /scratch/late1) &
nohup sh -c 'sleep TAG; touch /scratch/late2' >/dev/null 2>&1 &
setsid sh -c 'sleep TAG; touch /scratch/late3' >/dev/null 2>&1 < /dev/null &
(trap '' HUP TERM; sleep TAG; touch /scratch/late4) & disown
echo started
)sh",
                                   "TAG", tag);
  CommandRun run = run_command(session, command);
  CHECK(run.output == "started\n[exit code 0]");
  CHECK(host_processes_with(tag) == 0);
  CHECK(host_processes_of_uids(options.uid_base, options.uid_count) == 0);
  usleep(1500 * 1000);  // past the sleeps
  for (const char* late : {"late1", "late2", "late3", "late4"})
    CHECK_FALSE(host_has(session.scratch_dir() + "/" + late));
  CHECK(run_command(session, "ls -A").output == "[exit code 0]");
  check_still_works(session);
}

TEST_CASE("Bash escape: killing the parent or everyone hurts no host process", "[sandbox]") {
  pid_t bystander = -1;
  char sleep_path[] = "/usr/bin/sleep";
  char seconds[] = "30";
  char* argv[] = {sleep_path, seconds, nullptr};
  REQUIRE(posix_spawn(&bystander, sleep_path, nullptr, nullptr, argv, nullptr) == 0);

  OPEN_BASH_SESSION_OR_SKIP(session, test_options());
  const std::string command = with(
      "kill -9 $PPID; kill -9 BYSTANDER; kill -9 -1; kill -9 1; kill -KILL 0; "
      "python3 -c 'import os, signal; os.kill(os.getppid(), signal.SIGKILL)'; echo survived",
      "BYSTANDER", std::to_string(bystander));
  run_command(session, command);
  int status = 0;
  CHECK(waitpid(bystander, &status, WNOHANG) == 0);  // still running
  kill(bystander, SIGKILL);
  waitpid(bystander, &status, 0);
  check_still_works(session);
}

TEST_CASE("Bash escape: symlinks in /scratch are never followed by the host's walks", "[sandbox]") {
  HostDir host;
  const std::string file = host.write("victim.txt", "precious");
  std::filesystem::create_directory(host.file("victim_dir"));
  const std::string inner = host.write("victim_dir/inner.txt", "also precious");
  {  // 100 MiB, sparse: counted, it would empty /scratch
    std::ofstream(host.file("big.bin"));
    std::filesystem::resize_file(host.file("big.bin"), 100 << 20);
  }
  struct stat before {};
  REQUIRE(stat(file.c_str(), &before) == 0);

  BashSessionOptions options = test_options();
  options.scratch_cap_bytes = 1 << 20;
  std::string scratch;
  {
    OPEN_BASH_SESSION_OR_SKIP(session, options);
    scratch = session.scratch_dir();
    const std::string links = with(
        "ln -s HOST/victim.txt file; ln -s HOST/victim_dir dir; ln -s HOST/big.bin big; ln -s / root; "
        "mkdir -p sub/deeper && ln -s HOST sub/deeper/host && ln -s /etc/shadow shadow && ls -A | wc -l",
        "HOST", host.path());
    CHECK(run_command(session, links).output == "6\n[exit code 0]");
    // The next command runs as another uid (the chown walk), and each is measured.
    CommandRun measured = run_command(session, "ls -A | wc -l");
    CHECK(measured.output == "6\n[exit code 0]");
    CHECK_FALSE(measured.scratch_emptied);
    // Emptying walks them too.
    CHECK(run_command(session, "head -c 2000000 /dev/zero > fill").scratch_emptied);
    CHECK(run_command(session, links).exit_code == 0);  // and the destructor's removal
  }
  CHECK_FALSE(host_has(scratch));
  CHECK(testing::read_host_file(file) == "precious");
  CHECK(testing::read_host_file(inner) == "also precious");
  CHECK(std::filesystem::file_size(host.file("big.bin")) == 100u << 20);
  struct stat after {};
  REQUIRE(stat(file.c_str(), &after) == 0);
  CHECK(after.st_uid == before.st_uid);
  CHECK(after.st_gid == before.st_gid);
  REQUIRE(stat(host.file("victim_dir").c_str(), &after) == 0);
  CHECK(after.st_uid == geteuid());
  REQUIRE(stat(inner.c_str(), &after) == 0);
  CHECK(after.st_uid == geteuid());
  REQUIRE(stat("/etc/shadow", &after) == 0);
  CHECK(after.st_uid == 0);
}
