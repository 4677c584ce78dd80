// Test helpers that run the real qdrift binary as a child process: one-shot
// commands with captured output, and `qdrift sim` servers on ephemeral ports.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace qdrift::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs QDRIFT_BIN with `args` (no shell), waits, and captures both streams.
// `while_running`, when given, is called with the child's pid before waiting (to signal it).
CommandResult run_qdrift(const std::vector<std::string>& args,
                         const std::vector<std::string>& extra_env = {}, const std::string& cwd = "",
                         const std::function<void(int pid)>& while_running = {});

// The same for another binary built beside it (build/qdrift_relay).
CommandResult run_program(const std::string& binary, const std::vector<std::string>& args,
                          const std::vector<std::string>& extra_env = {}, const std::string& cwd = "",
                          const std::function<void(int pid)>& while_running = {});

// A `qdrift sim` child process; killed when this object dies.
class SimProcess {
 public:
  explicit SimProcess(std::vector<std::string> args);
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;
  int port() const { return port_; }
  std::string endpoint() const;  // http://127.0.0.1:PORT/v1
  std::string first_line() const { return first_line_; }
  // SIGKILL, as a server that crashes: no answer for what it holds in flight.
  void kill_now();

 private:
  int pid_ = -1;
  int port_ = -1;
  std::string first_line_;
};

// A fresh directory under the system temp dir, removed when this object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);
// A port with nothing listening on it (bound, then closed).
int closed_port();

// Samples in a checkpoint: its lines after the header.
long checkpoint_samples(const std::string& path);
// SIGKILLs `pid` once `checkpoint` holds `samples` samples (or after 60 s):
// a run killed with some episodes kept and others mid-conversation.
void kill_when_checkpoint_holds(int pid, const std::string& checkpoint, long samples);

// A counter from the sim's GET /sim/stats: "requests" (chat) or "logprob_requests".
long sim_counter(const SimProcess& sim, const std::string& name);
// Polls the counter until it reaches `at_least` (true) or `timeout_s` passes (false):
// a test times a signal by what the server has seen, not by a guess at how long things take.
bool wait_for_sim_counter(const SimProcess& sim, const std::string& name, long at_least, double timeout_s = 60);

}  // namespace qdrift::testing
