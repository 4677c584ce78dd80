// Helpers shared by bash_session_test.cpp and bash_escape_test.cpp: a host directory the
// sandbox may read (as root, commands run as another uid), and sessions that skip the
// test when bubblewrap cannot make a sandbox here.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "qdrift/bash_session.h"

namespace qdrift::testing {

// A fresh directory under the temp dir, readable by everyone, removed when this dies.
class HostDir {
 public:
  HostDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "qdrift-bash-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
    chmod(path_.c_str(), 0755);
  }
  ~HostDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);  // never follows a symlink
  }
  HostDir(const HostDir&) = delete;
  HostDir& operator=(const HostDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name), std::ios::binary) << text;
    chmod(file(name).c_str(), 0644);
    return file(name);
  }

 private:
  std::string path_;
};

// Short limits, so a test that hits one finishes quickly.
inline BashSessionOptions test_options(double wall_seconds = 5) {
  BashSessionOptions options;
  options.limits.wall_seconds = wall_seconds;
  options.limits.cpu_seconds = 5;
  return options;
}

// "" when bubblewrap can make a sandbox here, else why not (checked once).
inline const std::string& bash_sandbox_unusable() {
  static const std::string why = [] {
    Status probe = probe_bash_sandbox(test_options());
    return probe.ok() ? std::string() : probe.message();
  }();
  return why;
}

inline std::optional<BashSession> open_session(const BashSessionOptions& options = test_options()) {
  if (!bash_sandbox_unusable().empty()) return std::nullopt;
  Result<BashSession> session = BashSession::Open(options);
  INFO(session.status().message());
  REQUIRE(session.ok());
  return std::move(session.value());
}

inline CommandRun run_command(BashSession& session, const std::string& command) {
  Result<CommandRun> result = session.run(command);
  INFO(command);
  INFO(result.status().message());
  REQUIRE(result.ok());
  return std::move(result.value());
}

inline std::string read_host_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace qdrift::testing

// Opens a session into `name`, or ends the test with a warning when bubblewrap cannot
// create a sandbox on this machine.
#define OPEN_BASH_SESSION_OR_SKIP(name, options)                                     \
  std::optional<BashSession> name##_holder = qdrift::testing::open_session(options); \
  if (!name##_holder) {                                                              \
    WARN("skipped: " << qdrift::testing::bash_sandbox_unusable());                   \
    return;                                                                          \
  }                                                                                  \
  BashSession& name = *name##_holder
