// Data flows one way: grading and rendering read run files and never reach the
// network layer. Walks the project headers each src/report/ source includes,
// transitively, and fails on any that talks to a server.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// The project headers `file` includes with quotes, resolved against include/ and src/.
std::vector<fs::path> project_includes(const fs::path& file) {
  static const std::regex kInclude(R"re(^\s*#\s*include\s+"([^"]+)")re");
  const fs::path root = QDRIFT_SOURCE_DIR;
  std::vector<fs::path> found;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    std::smatch match;
    if (!std::regex_search(line, match, kInclude)) continue;
    for (const fs::path& dir : {root / "include", root / "src", file.parent_path()})
      if (fs::exists(dir / match[1].str())) {
        found.push_back(fs::canonical(dir / match[1].str()));
        break;
      }
  }
  return found;
}

// Every project header `file` reaches.
std::set<std::string> reached(const fs::path& file) {
  std::set<std::string> seen;
  std::vector<fs::path> todo{file};
  while (!todo.empty()) {
    const fs::path next = todo.back();
    todo.pop_back();
    for (const fs::path& header : project_includes(next))
      if (seen.insert(header.string()).second) todo.push_back(header);
  }
  return seen;
}

}  // namespace

TEST_CASE("grading and rendering include no network code", "[report]") {
  const fs::path report = fs::path(QDRIFT_SOURCE_DIR) / "src" / "report";
  const std::vector<std::string> network = {"http_pool.h", "endpoint.h", "tripwire/probe.h", "server_kind.h",
                                            "tripwire_stage.h", "runner.h"};
  std::size_t sources = 0;
  std::vector<std::string> violations;  // "grade.cpp reaches .../probe.h"
  for (const auto& entry : fs::directory_iterator(report)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".cpp" || name.find("_test.cpp") != std::string::npos) continue;
    ++sources;
    for (const std::string& header : reached(entry.path()))
      for (const std::string& bad : network)
        if (header.find(bad) != std::string::npos) violations.push_back(name + " reaches " + header);
  }
  CHECK(sources >= 2);  // grade.cpp and render.cpp at least: the walk found them
  CHECK(violations.empty());
}
