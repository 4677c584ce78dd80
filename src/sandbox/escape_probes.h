// What the escape tests of both sandboxes (escape_test.cpp: HumanEval's Python,
// bash_escape_test.cpp: the agent's bash) look at from the host side.
#pragma once

#include <dirent.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace qdrift::testing {

// `text` with every `placeholder` replaced by `value`.
inline std::string with(std::string text, const std::string& placeholder, const std::string& value) {
  for (std::size_t at; (at = text.find(placeholder)) != std::string::npos;) text.replace(at, placeholder.size(), value);
  return text;
}

// Host processes whose command line contains `needle`.
inline int host_processes_with(const std::string& needle) {
  int found = 0;
  DIR* proc = opendir("/proc");
  while (dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    std::ifstream in(std::string("/proc/") + entry->d_name + "/cmdline", std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find(needle) != std::string::npos) ++found;
  }
  closedir(proc);
  return found;
}

// Does `path` exist on the host, as itself (a dangling symlink counts)? A
// directory we may not read, like /root when the tests run as a user, counts as
// "no": the sandbox could not have written there either.
inline bool host_has(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(std::filesystem::symlink_status(path, error));
}

}  // namespace qdrift::testing
