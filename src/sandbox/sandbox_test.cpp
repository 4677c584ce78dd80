// The sandbox's ordinary behaviour: pass, fail, output cap, timeouts, the pool, the
// unavailable-bwrap paths and the shape of the bwrap command line. Attacks are in
// escape_test.cpp.
#include "qdrift/sandbox.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <string>

#include "sandbox/command_line.h"

using namespace qdrift;

namespace {

Sandbox make_sandbox(SandboxOptions options = {}) {
  Result<Sandbox> sandbox = Sandbox::Create(std::move(options));
  INFO(sandbox.status().message());
  REQUIRE(sandbox.ok());
  return std::move(sandbox.value());
}

SandboxRun run(const Sandbox& sandbox, const std::string& program) {
  Result<SandboxRun> result = sandbox.run(program);
  INFO(result.status().message());
  REQUIRE(result.ok());
  return std::move(result.value());
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("A passing program passes inside the sandbox", "[sandbox]") {
  Sandbox sandbox = make_sandbox();
  REQUIRE(sandbox.sandboxed());
  SandboxRun result = run(sandbox, "import os\nprint('hello', os.getuid())\n");
  CHECK(result.passed);
  CHECK(result.sandboxed);
  CHECK(result.exit_code == 0);
  CHECK(result.stdout_tail == "hello 65534\n");  // "nobody" inside, whoever runs qdrift
  CHECK_FALSE(result.timed_out);
  CHECK(result.seconds > 0);
}

TEST_CASE("A failing assert fails with its traceback", "[sandbox]") {
  Sandbox sandbox = make_sandbox();
  SandboxRun result = run(sandbox, "assert 1 + 1 == 3, 'arithmetic'\n");
  CHECK_FALSE(result.passed);
  CHECK(result.exit_code == 1);
  CHECK(result.signal == 0);
  CHECK(contains(result.stderr_tail, "AssertionError: arithmetic"));
}

TEST_CASE("Output beyond the cap is counted but only its tail is kept", "[sandbox]") {
  SandboxOptions options;
  options.limits.output_cap_bytes = 1000;
  Sandbox sandbox = make_sandbox(options);
  // 10 MB through the pipe: the child must not block on a full pipe, and we must not keep it.
  SandboxRun result = run(sandbox,
                          "import sys\n"
                          "for i in range(100000): sys.stdout.write('%099d\\n' % i)\n"
                          "sys.stderr.write('e' * 5000)\n");
  CHECK(result.passed);
  CHECK(result.stdout_bytes == 100000ull * 100);
  CHECK(result.stdout_tail.size() == 1000);
  CHECK(result.stdout_tail.substr(1000 - 100) == std::string(94, '0').append("99999\n"));
  CHECK(result.stderr_bytes == 5000);
  CHECK(result.stderr_tail == std::string(1000, 'e'));
}

TEST_CASE("The CPU limit kills a busy program", "[sandbox]") {
  SandboxOptions options;
  options.limits.cpu_seconds = 1;
  options.limits.wall_seconds = 20;
  Sandbox sandbox = make_sandbox(options);
  SandboxRun result = run(sandbox, "while True:\n    pass\n");
  CHECK_FALSE(result.passed);
  CHECK_FALSE(result.timed_out);
  CHECK((result.signal == SIGXCPU || result.signal == SIGKILL));
  CHECK(result.seconds < 10);
}

TEST_CASE("A missing bwrap is a clear error unless unsandboxed runs are allowed", "[sandbox]") {
  SandboxOptions options;
  options.bwrap_path = "/nonexistent/bwrap";
  Result<Sandbox> refused = Sandbox::Create(options);
  REQUIRE_FALSE(refused.ok());
  CHECK(contains(refused.status().message(), "bubblewrap not found at /nonexistent/bwrap"));
  CHECK(contains(refused.status().message(), "refusing to run model-written code"));

  options.allow_unsandboxed = true;
  options.limits.wall_seconds = 2;
  Sandbox sandbox = make_sandbox(options);
  CHECK_FALSE(sandbox.sandboxed());
  CHECK(contains(sandbox.unsandboxed_reason(), "bubblewrap not found"));
  SandboxRun ok = run(sandbox, "print('plain')\n");
  CHECK(ok.passed);
  CHECK_FALSE(ok.sandboxed);
  CHECK(ok.stdout_tail == "plain\n");
  // The rlimits and the timeout still hold without the sandbox.
  SandboxRun big = run(sandbox, "x = bytearray(8 * 1024 ** 3)\n");
  CHECK_FALSE(big.passed);
  CHECK(contains(big.stderr_tail, "MemoryError"));
  SandboxRun loop = run(sandbox, "while True:\n    pass\n");
  CHECK(loop.timed_out);
  CHECK_FALSE(loop.passed);
  CHECK(loop.seconds < 5);
}

TEST_CASE("A bwrap that cannot start a sandbox is reported with its own words", "[sandbox]") {
  SandboxOptions options;
  options.bwrap_path = "/bin/false";  // executable, but no sandbox comes out of it
  Result<Sandbox> refused = Sandbox::Create(options);
  REQUIRE_FALSE(refused.ok());
  CHECK(contains(refused.status().message(), "cannot create a sandbox here"));
}

TEST_CASE("The pool runs every program and keeps their order", "[sandbox]") {
  SandboxOptions options;
  options.workers = 2;
  Sandbox sandbox = make_sandbox(options);
  std::vector<std::string> programs;
  for (int i = 0; i < 8; ++i)
    programs.push_back("import sys\nprint(" + std::to_string(i) + ")\nsys.exit(" + std::to_string(i % 3) + ")\n");
  std::vector<Result<SandboxRun>> results = run_all(sandbox, programs);
  REQUIRE(results.size() == 8);
  for (int i = 0; i < 8; ++i) {
    REQUIRE(results[i].ok());
    CHECK(results[i]->stdout_tail == std::to_string(i) + "\n");
    CHECK(results[i]->exit_code == i % 3);
    CHECK(results[i]->passed == (i % 3 == 0));
  }
}

TEST_CASE("The bwrap command line unshares everything and binds no private host path", "[sandbox]") {
  SandboxOptions options;
  std::vector<std::string> args = sandbox::bwrap_command(options, false);
  auto has = [&](const std::string& flag) { return std::find(args.begin(), args.end(), flag) != args.end(); };
  for (const char* flag : {"--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
                           "--clearenv", "--proc", "--dev", "--tmpfs"})
    CHECK(has(flag));
  CHECK_FALSE(has("--share-net"));
  for (std::size_t i = 0; i + 2 < args.size(); ++i) {
    if (args[i] != "--bind" && args[i] != "--ro-bind" && args[i] != "--dev-bind" && args[i] != "--ro-bind-try")
      continue;
    for (const char* forbidden : {"/", "/root", "/home", "/work", "/tmp", "/var", "/etc"})
      CHECK(args[i + 1] != forbidden);
  }
  CHECK(args.back() == sandbox::kProgramPath);
}

TEST_CASE("The default limits leave room for a few threads and a subprocess", "[sandbox]") {
  Sandbox sandbox = make_sandbox();
  SandboxRun result = run(sandbox,
                          "import concurrent.futures, subprocess\n"
                          "with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:\n"
                          "    assert sum(pool.map(lambda x: x * x, range(100))) == 328350\n"
                          "subprocess.run(['true'], check=True)\n"
                          "open('scratch.txt', 'w').write('x' * 1000000)\n"  // the cwd is writable
                          "print('ok')\n");
  CHECK(result.passed);
  CHECK(result.stdout_tail == "ok\n");
}

TEST_CASE("Files are capped one by one (RLIMIT_FSIZE) and in total (tmpfs size)", "[sandbox]") {
  Sandbox sandbox = make_sandbox();
  SandboxRun result = run(sandbox,
                          "import errno\n"
                          "def fill(name, megabytes):\n"
                          "    try:\n"
                          "        with open(name, 'wb') as f:\n"
                          "            for _ in range(megabytes): f.write(b'x' * 1048576)\n"
                          "        return 'ok'\n"
                          "    except OSError as e:\n"
                          "        return errno.errorcode[e.errno]\n"
                          "print(fill('big', 17))\n"                               // over the 16 MiB file limit
                          "print([fill('part%d' % i, 15) for i in range(5)])\n");  // 75 MiB > 64 MiB tmpfs
  CHECK(result.passed);
  CHECK(result.stdout_tail == "EFBIG\n['ok', 'ok', 'ok', 'ENOSPC', 'ENOSPC']\n");
}
