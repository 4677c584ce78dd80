// What a bench checks before it starts: that the bash sandbox works here, and which
// tools its system prompt may promise (each tried inside the sandbox, not on the host).
#include <unistd.h>

#include <array>
#include <sstream>

#include "qdrift/bash_session.h"

namespace qdrift {

namespace {

struct ToolCheck {
  const char* name;
  const char* command;  // succeeds inside the sandbox when the tool works there
};

// In the order available_tools() promises.
constexpr std::array<ToolCheck, 13> kToolChecks = {{
    {"bash", "true"},
    {"coreutils",
     "printf 'b\\na\\n' | sort | head -n 1 | tr a x | cut -c1 | grep -qx x && wc --version && "
     "uniq --version && tail --version && ls /"},
    {"grep", "echo abc | grep -Eq 'b+'"},
    {"sed", "test \"$(echo a | sed s/a/b/)\" = b"},
    {"awk", "test \"$(echo 1 2 | awk '{print $1 + $2}')\" = 3"},
    {"sqlite3", "test \"$(sqlite3 :memory: 'select 1 + 1')\" = 2"},
    {"python3", "python3 -c 'import csv, json, sqlite3, statistics'"},
    {"jq", "test \"$(jq -n '1 + 1')\" = 2"},
    {"mlr", "mlr --version"},
    {"csvlook", "csvlook --version"},
    {"csvsql", "csvsql --version"},
    {"csvstat", "csvstat --version"},
    {"pandas", "python3 -c 'import pandas'"},
}};

std::string strip_prefix(const std::string& message) {
  const std::string prefix = "bash sandbox: ";
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
}

}  // namespace

Status probe_bash_sandbox(const BashSessionOptions& options) {
  if (access(options.bwrap_path.c_str(), X_OK) != 0)
    return Status::Usage("bash sandbox: bubblewrap not found at " + options.bwrap_path +
                         " (install the bubblewrap package)");
  if (access(options.bash_path.c_str(), X_OK) != 0)
    return Status::Usage("bash sandbox: no bash at " + options.bash_path);
  Result<BashSession> session = BashSession::Open(options);
  if (!session.ok()) return session.status();
  Result<CommandRun> run = session->run("true");
  std::string why;
  if (!run.ok()) {
    why = strip_prefix(run.status().message());
  } else if (run->failed()) {
    why = run->output.substr(0, run->output.find('\n'));
  }
  if (why.empty()) return Status::Ok();
  return Status::Usage("bash sandbox: bubblewrap at " + options.bwrap_path + " cannot create a sandbox here: " + why);
}

Result<std::vector<std::string>> available_tools(const BashSessionOptions& options) {
  Result<BashSession> session = BashSession::Open(options);
  if (!session.ok()) return session.status();
  // All checks at once (each python start takes a while), each leaving a mark in /tmp.
  std::string script;
  for (std::size_t i = 0; i < kToolChecks.size(); ++i)
    script += "( " + std::string(kToolChecks[i].command) + " ) >/dev/null 2>&1 </dev/null && touch /tmp/ok." +
              std::to_string(i) + " &\n";
  script += "wait\n";
  for (std::size_t i = 0; i < kToolChecks.size(); ++i)
    script += "[ -e /tmp/ok." + std::to_string(i) + " ] && echo " + kToolChecks[i].name + "\n";
  script += "true\n";
  Result<CommandRun> run = session->run(script);
  if (!run.ok()) return run.status();
  if (run->failed()) return Status::Io("bash sandbox: the tool check failed: " + run->output);
  std::vector<std::string> tools;
  std::istringstream lines(run->output);
  for (std::string line; std::getline(lines, line);) {
    for (const ToolCheck& check : kToolChecks) {
      if (line == check.name) tools.push_back(line);
    }
  }
  return tools;
}

}  // namespace qdrift
