// Child-process helpers for the end-to-end tests.
#include "process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "qdrift/http_pool.h"
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace qdrift::testing {

namespace {

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::vector<std::string> environment_with(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    // Tests must not inherit a real endpoint or key from the developer's shell.
    if (entry.rfind("OPENAI_BASE_URL=", 0) == 0 || entry.rfind("OPENAI_API_KEY=", 0) == 0 ||
        entry.rfind("HF_TOKEN=", 0) == 0)
      continue;
    env.push_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

}  // namespace

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

CommandResult run_qdrift(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
                         const std::string& cwd, const std::function<void(int pid)>& while_running) {
  return run_program(QDRIFT_BIN, args, extra_env, cwd, while_running);
}

CommandResult run_program(const std::string& binary, const std::vector<std::string>& args,
                          const std::vector<std::string>& extra_env, const std::string& cwd,
                          const std::function<void(int pid)>& while_running) {
  TempDir capture;
  const std::string out_path = capture.file("stdout"), err_path = capture.file("stderr");
  std::vector<std::string> argv_strings{binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = environment_with(extra_env);
  auto argv = c_strings(argv_strings);
  auto envp = c_strings(env_strings);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = -1;
  if (posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data()) != 0)
    throw std::runtime_error("cannot spawn " + binary);
  posix_spawn_file_actions_destroy(&actions);
  if (while_running) while_running(pid);
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_text(out_path);
  result.err = read_text(err_path);
  return result;
}

SimProcess::SimProcess(std::vector<std::string> args) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> argv_strings{QDRIFT_BIN, "sim", "--port", "0"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  auto argv = c_strings(argv_strings);
  std::vector<std::string> env_strings = environment_with({});
  auto envp = c_strings(env_strings);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  pid_t pid = -1;
  if (posix_spawn(&pid, QDRIFT_BIN, &actions, nullptr, argv.data(), envp.data()) != 0)
    throw std::runtime_error("cannot spawn qdrift sim");
  posix_spawn_file_actions_destroy(&actions);
  pid_ = pid;
  close(pipe_fds[1]);
  char c;
  while (read(pipe_fds[0], &c, 1) == 1 && c != '\n') first_line_.push_back(c);
  close(pipe_fds[0]);
  const std::string prefix = "listening on http://127.0.0.1:";
  if (first_line_.rfind(prefix, 0) != 0) throw std::runtime_error("sim did not start: " + first_line_);
  port_ = std::stoi(first_line_.substr(prefix.size()));
}

SimProcess::~SimProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void SimProcess::kill_now() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string SimProcess::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "qdrift-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int closed_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

long checkpoint_samples(const std::string& path) {
  const std::string text = read_text(path);
  return static_cast<long>(std::count(text.begin(), text.end(), '\n')) - 1;
}

long sim_counter(const SimProcess& sim, const std::string& name) {
  const std::string url = "http://127.0.0.1:" + std::to_string(sim.port()) + "/sim/stats";
  const qdrift::HttpResponse response = qdrift::http_fetch({"GET", url, "", {}, 0}, {});
  const nlohmann::json stats = nlohmann::json::parse(response.body, nullptr, false);
  if (!stats.is_object() || !stats.contains(name)) throw std::runtime_error("no " + name + " in /sim/stats");
  return stats[name].get<long>();
}

bool wait_for_sim_counter(const SimProcess& sim, const std::string& name, long at_least, double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (sim_counter(sim, name) < at_least) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace qdrift::testing

namespace qdrift::testing {

void kill_when_checkpoint_holds(int pid, const std::string& checkpoint, long samples) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((!std::filesystem::exists(checkpoint) || checkpoint_samples(checkpoint) < samples) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  kill(pid, SIGKILL);
}

}  // namespace qdrift::testing
