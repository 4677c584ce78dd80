// The bash session's ordinary behaviour: output capping, what persists between commands,
// /data, exit codes, timeouts, the scratch cap, the session limit, probing and the tool
// list. Real bubblewrap and real processes; attacks are in bash_escape_test.cpp.
#include "qdrift/bash_session.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "sandbox/bash_session_testing.h"
#include "sandbox/command_line.h"
#include "sandbox/tool_output.h"

using namespace qdrift;
using qdrift::testing::contains;
using qdrift::testing::HostDir;
using qdrift::testing::run_command;
using qdrift::testing::test_options;

TEST_CASE("cap_tool_output keeps short text and cuts long text to its first and last halves", "[sandbox]") {
  CHECK(cap_tool_output("", 10) == "");
  CHECK(cap_tool_output("0123456789", 10) == "0123456789");
  CHECK(cap_tool_output("0123456789abc", 10) == "01234\n[… 3 bytes cut …]\n89abc");
  CHECK(cap_tool_output("line1\nline2\nline3\n", 12) == "line1\n[… 6 bytes cut …]\nline3\n");
  std::string big(100000, 'x');
  big.front() = 'A';
  big.back() = 'Z';
  std::string capped = cap_tool_output(big, 10240);
  CHECK(capped == "A" + std::string(5119, 'x') + "\n[… 89760 bytes cut …]\n" + std::string(5119, 'x') + "Z");
}

TEST_CASE("cap_tool_output cuts between code points and shows invalid UTF-8 as U+FFFD", "[sandbox]") {
  // "é" is 2 bytes: a 5-byte half holds two of them, never one and a half.
  const std::string accents = "éééééééééé";  // 20 bytes
  CHECK(cap_tool_output(accents, 10) == "éé\n[… 12 bytes cut …]\néé");
  CHECK(cap_tool_output("ok\xff\xfe", 10) == "ok\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("Capping the kept head and tail of a stream equals capping the whole stream", "[sandbox]") {
  std::mt19937 random(7);
  for (std::size_t cap : {1, 2, 9, 10, 11, 64}) {
    for (std::size_t size = 0; size < 3 * cap + 5; ++size) {
      std::string text(size, ' ');
      for (char& c : text) c = static_cast<char>('a' + random() % 26);
      const std::size_t half = (cap + 1) / 2;  // what the child process keeps at each end
      const std::string head = text.substr(0, std::min(half, size));
      const std::string tail = text.substr(size - std::min(half, size));
      INFO("cap " << cap << ", size " << size);
      CHECK(sandbox::cap_captured_output(head, tail, size, cap) == cap_tool_output(text, cap));
      CHECK(cap_tool_output(text, cap).size() <= cap + 30);
    }
  }
}

TEST_CASE("The bash command line runs bash -c in /scratch with the data read-only", "[sandbox]") {
  BashSessionOptions options;
  options.read_only_binds.push_back({"/host/data", "/data"});
  std::vector<std::string> args = sandbox::bash_command(options, "/host/scratch", false, "ls /data");
  auto has = [&](std::initializer_list<std::string> run) {
    return std::search(args.begin(), args.end(), run.begin(), run.end()) != args.end();
  };
  for (const char* flag : {"--unshare-all", "--disable-userns", "--die-with-parent", "--new-session", "--clearenv"})
    CHECK(has({flag}));
  CHECK(has({"--cap-drop", "ALL"}));
  CHECK(has({"--bind", "/host/scratch", "/scratch"}));
  CHECK(has({"--ro-bind", "/host/data", "/data"}));
  CHECK(has({"--chdir", "/scratch"}));
  CHECK(has({"--setenv", "HOME", "/scratch"}));
  CHECK_FALSE(has({"--share-net"}));
  CHECK(std::vector<std::string>(args.end() - 3, args.end()) ==
        std::vector<std::string>{"/usr/bin/bash", "-c", "ls /data"});
}

TEST_CASE("Files in /scratch persist between commands - shell state does not", "[sandbox]") {
  OPEN_BASH_SESSION_OR_SKIP(session, test_options());
  CommandRun first = run_command(session,
                                 "echo kept > notes.txt; mkdir -p sub; echo deep > sub/x; "
                                 "export MY_VAR=set; cd sub; pwd");
  CHECK(first.output == "/scratch/sub\n[exit code 0]");
  CHECK_FALSE(first.failed());
  CommandRun second = run_command(session, "cat /scratch/notes.txt sub/x; echo \"var=[$MY_VAR]\"; pwd; echo $HOME");
  CHECK(second.output == "kept\ndeep\nvar=[]\n/scratch\n/scratch\n[exit code 0]");
  // /tmp is each command's own.
  run_command(session, "echo gone > /tmp/t");
  CHECK(run_command(session, "ls -A /tmp").output == "[exit code 0]");
}

TEST_CASE("/data is readable and read-only", "[sandbox]") {
  HostDir data;
  const std::string prices = "date,ticker,close\n2024-01-02,ABC,10.5\n2024-01-02,XYZ,20\n";
  data.write("prices.csv", prices);
  BashSessionOptions options = test_options();
  options.read_only_binds.push_back({data.path(), "/data"});
  OPEN_BASH_SESSION_OR_SKIP(session, options);
  CHECK(run_command(session, "wc -l < /data/prices.csv").output == "3\n[exit code 0]");
  CHECK(run_command(session, "sqlite3 :memory: '.import --csv /data/prices.csv p' 'select sum(close) from p'").output ==
        "30.5\n[exit code 0]");
  CommandRun write = run_command(session, "echo x >> /data/prices.csv; touch /data/new; rm /data/prices.csv");
  CHECK(write.failed());
  CHECK(contains(write.output, "Read-only file system"));
  CHECK(qdrift::testing::read_host_file(data.file("prices.csv")) == prices);
  CHECK_FALSE(std::filesystem::exists(data.file("new")));
}

TEST_CASE("Long output reaches the model as its first and last 5 KiB with the cut counted", "[sandbox]") {
  OPEN_BASH_SESSION_OR_SKIP(session, test_options());
  CommandRun run = run_command(session, "seq 1 100000");
  const std::uint64_t total = 588895;  // bytes of `seq 1 100000`
  CHECK(run.output_bytes == total);
  CHECK(run.output.rfind("1\n2\n3\n", 0) == 0);
  CHECK(contains(run.output, "\n[… " + std::to_string(total - 10240) + " bytes cut …]\n"));
  CHECK(run.output.size() < 10240 + 60);
  const std::string end = "99999\n100000\n[exit code 0]";
  CHECK(run.output.compare(run.output.size() - end.size(), end.size(), end) == 0);
}

TEST_CASE("The exit code and stderr reach the model, in the order written", "[sandbox]") {
  OPEN_BASH_SESSION_OR_SKIP(session, test_options());
  CommandRun run = run_command(session, "echo out; echo err >&2; echo out2; exit 3");
  CHECK(run.output == "out\nerr\nout2\n[exit code 3]");
  CHECK(run.exit_code == 3);
  CHECK(run.failed());
  CommandRun missing = run_command(session, "no_such_tool --flag");
  CHECK(missing.exit_code == 127);
  CHECK(contains(missing.output, "no_such_tool: command not found"));
  CommandRun killed = run_command(session, "sleep 10 & kill -9 $!; wait $!");
  CHECK(killed.signal == SIGKILL);
  CHECK(contains(killed.output, "[exit code 137 (SIGKILL)]"));
}

TEST_CASE("A timed-out command is reported and the next command works", "[sandbox]") {
  OPEN_BASH_SESSION_OR_SKIP(session, test_options(1));
  CommandRun slow = run_command(session, "echo started; sleep 30");
  CHECK(slow.timed_out);
  CHECK(slow.failed());
  CHECK(slow.seconds < 4);
  CHECK(slow.output == "started\n[killed: timed out after 1 s]");
  CHECK(run_command(session, "echo ok").output == "ok\n[exit code 0]");
}

TEST_CASE("Going over the scratch cap empties /scratch and says so", "[sandbox]") {
  BashSessionOptions options = test_options();
  options.scratch_cap_bytes = 1 << 20;
  OPEN_BASH_SESSION_OR_SKIP(session, options);
  CHECK_FALSE(run_command(session, "head -c 500000 /dev/zero > half").scratch_emptied);
  CommandRun over = run_command(session, "head -c 700000 /dev/urandom > more; echo wrote");
  CHECK(over.scratch_emptied);
  CHECK(over.output == "wrote\n[/scratch exceeded its 1 MiB cap and was emptied]\n[exit code 0]");
  CHECK(run_command(session, "ls -A /scratch").output == "[exit code 0]");
  // Many empty files count too.
  CHECK(run_command(session, "mkdir m && cd m && touch $(seq 1 1200)").scratch_emptied);
}

TEST_CASE("RLIMIT_FSIZE stops one file at the per-file limit", "[sandbox]") {
  BashSessionOptions options = test_options();
  options.limits.file_size_bytes = 100000;
  OPEN_BASH_SESSION_OR_SKIP(session, options);
  CommandRun run = run_command(session, "head -c 200000 /dev/zero > big; echo $?; stat -c %s big");
  CHECK(contains(run.output, "\n100000\n"));
}

TEST_CASE("A command too long for one argument, or with a NUL byte, is not run", "[sandbox]") {
  OPEN_BASH_SESSION_OR_SKIP(session, test_options());
  CommandRun huge = run_command(session, "echo " + std::string(200000, 'x'));
  CHECK(huge.failed());
  CHECK(huge.output == "[not run: the command is 200005 bytes; the limit is 100000]");
  CommandRun nul = run_command(session, std::string("echo a\0b", 8));
  CHECK(nul.failed());
  CHECK(contains(nul.output, "NUL"));
  CHECK(run_command(session, "echo " + std::string(90000, 'y') + " | wc -c").output == "90001\n[exit code 0]");
}

TEST_CASE("A session past its wall limit refuses with a clear error", "[sandbox]") {
  BashSessionOptions options = test_options();
  options.session_wall_seconds = 0.3;
  OPEN_BASH_SESSION_OR_SKIP(session, options);
  CHECK(run_command(session, "true").exit_code == 0);
  usleep(400000);
  CHECK(session.expired());
  Result<CommandRun> refused = session.run("true");
  REQUIRE_FALSE(refused.ok());
  CHECK(contains(refused.status().message(), "past its 0.3 s wall limit"));
}

TEST_CASE("The scratch directory is private and goes away with the session", "[sandbox]") {
  std::string dir;
  {
    OPEN_BASH_SESSION_OR_SKIP(session, test_options());
    dir = session.scratch_dir();
    struct stat info {};
    REQUIRE(stat(dir.c_str(), &info) == 0);
    CHECK((info.st_mode & 077) == 0);
    // Nested deeper than any fd budget or PATH_MAX, with permissions taken away: the host
    // still measures it, gives it to the next command's uid and removes it.
    CHECK(run_command(session,
                      "python3 -c \"import os\nfor i in range(3000): os.mkdir('d'); os.chdir('d')\n"
                      "open('f', 'w').write('x')\" && mkdir -p locked/in && touch locked/in/f && "
                      "chmod 000 locked/in && chmod 500 locked && chmod 000 .")
              .exit_code == 0);
    CHECK(run_command(session,
                      "ls; python3 -c \"import os\nfor i in range(3000): os.chdir('d')\n"
                      "open('f', 'a').write('y'); print(open('f').read())\"")
              .output == "d\nlocked\nxy\n[exit code 0]");
    BashSession moved = std::move(session);  // the moved-from session removes nothing
    CHECK(std::filesystem::exists(dir));
    CHECK(run_command(moved, "echo still").output == "still\n[exit code 0]");
  }
  CHECK_FALSE(std::filesystem::exists(dir));
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path(dir).parent_path()));
}

TEST_CASE("Open refuses binds over the sandbox's own places and missing host paths", "[sandbox]") {
  for (const char* reserved : {"/scratch", "/tmp/x", "/proc", "/", "relative", "/a/../etc"}) {
    BashSessionOptions options;
    options.read_only_binds.push_back({"/usr/share", reserved});
    Result<BashSession> refused = BashSession::Open(options);
    INFO(reserved);
    CHECK_FALSE(refused.ok());
  }
  BashSessionOptions options;
  options.read_only_binds.push_back({"/nonexistent/data", "/data"});
  Result<BashSession> missing = BashSession::Open(options);
  REQUIRE_FALSE(missing.ok());
  CHECK(contains(missing.status().message(), "/nonexistent/data"));
  if (geteuid() == 0) {  // a directory only root may enter cannot be read by a command's uid
    HostDir data;
    chmod(data.path().c_str(), 0700);
    options.read_only_binds = {{data.path(), "/data"}};
    Result<BashSession> unreadable = BashSession::Open(options);
    REQUIRE_FALSE(unreadable.ok());
    CHECK(contains(unreadable.status().message(), "must be readable by others"));
  }
}

TEST_CASE("The probe names a missing bwrap's package and a broken bwrap's failure", "[sandbox]") {
  BashSessionOptions options = test_options();
  options.bwrap_path = "/nonexistent/bwrap";
  Status missing = probe_bash_sandbox(options);
  CHECK(contains(missing.message(), "install the bubblewrap package"));
  options.bwrap_path = "/bin/false";
  Status broken = probe_bash_sandbox(options);
  REQUIRE_FALSE(broken.ok());
  CHECK(contains(broken.message(), "cannot create a sandbox here"));
  if (!testing::bash_sandbox_unusable().empty()) WARN("skipped: " << testing::bash_sandbox_unusable());
}

TEST_CASE("The expected tools run inside the sandbox and available_tools lists them", "[sandbox]") {
  OPEN_BASH_SESSION_OR_SKIP(session, test_options(20));
  for (const char* command :
       {"bash --version", "ls --version", "grep --version", "sed --version", "echo 1 | awk '{print $1}'",
        "sqlite3 --version", "jq --version", "mlr --version", "csvlook --version", "csvsql --version",
        "csvstat --version", "python3 -c 'import csv, sqlite3, statistics'"}) {
    CommandRun run = run_command(session, command);
    INFO(command << "\n" << run.output);
    CHECK(run.exit_code == 0);
  }
  Result<std::vector<std::string>> tools = available_tools(test_options(20));
  REQUIRE(tools.ok());
  std::vector<std::string> expected = {"bash",    "coreutils", "grep", "sed",     "awk",    "sqlite3",
                                       "python3", "jq",        "mlr",  "csvlook", "csvsql", "csvstat"};
  if (std::system("/usr/bin/python3 -c 'import pandas' 2>/dev/null") == 0) expected.push_back("pandas");
  CHECK(*tools == expected);
}
