#include "util/files.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <algorithm>

using namespace qdrift;
namespace fs = std::filesystem;

namespace {

struct ScratchDir {
  ScratchDir() : path(fs::temp_directory_path() / ("qdrift-files-test-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(path)) out.push_back(entry.path().filename());
    std::sort(out.begin(), out.end());
    return out;
  }
  fs::path path;
};

}  // namespace

TEST_CASE("atomic writes replace only when asked and leave no temp file", "[files]") {
  ScratchDir dir;
  const std::string path = dir.file("run.json");
  REQUIRE(write_file_atomically(path, "first", /*replace=*/false).ok());
  CHECK(*read_file(path) == "first");
  const Status refused = write_file_atomically(path, "second", /*replace=*/false);
  CHECK(refused.message() == path + " exists; pass --force to replace it");
  CHECK(*read_file(path) == "first");
  REQUIRE(write_file_atomically(path, "third").ok());
  CHECK(*read_file(path) == "third");
  CHECK(dir.names() == std::vector<std::string>{"run.json"});
  // Parent directories are made; the temp file sits beside the target (same file system).
  REQUIRE(write_file_atomically(dir.file("a/b/c.json"), "x", false).ok());
  CHECK(*read_file(dir.file("a/b/c.json")) == "x");
  CHECK(dir.names() == std::vector<std::string>{"a", "run.json"});
}

TEST_CASE("reading a directory or a missing file is an error naming it", "[files]") {
  ScratchDir dir;
  CHECK(read_file(dir.path.string()).status().message() == dir.path.string() + ": is a directory, not a file");
  CHECK(read_file(dir.file("absent")).status().message().rfind(dir.file("absent") + ": cannot open", 0) == 0);
}

TEST_CASE("move_into_place keeps both files when the target exists and --force was not given", "[files]") {
  ScratchDir dir;
  const std::string from = dir.file("partial"), to = dir.file("final");
  REQUIRE(write_file_atomically(from, "new\n").ok());
  REQUIRE(write_file_atomically(to, "old\n").ok());
  const Status refused = move_into_place(from, to, /*replace=*/false);
  CHECK(refused.kind() == ErrorKind::kUsage);
  CHECK(read_file(to).value() == "old\n");
  CHECK(read_file(from).value() == "new\n");
  REQUIRE(move_into_place(from, to, /*replace=*/true).ok());
  CHECK(read_file(to).value() == "new\n");
  CHECK(dir.names() == std::vector<std::string>{"final"});
  REQUIRE(write_file_atomically(from, "newer\n").ok());
  REQUIRE(move_into_place(from, dir.file("fresh"), /*replace=*/false).ok());
  CHECK(dir.names() == std::vector<std::string>{"final", "fresh"});
  CHECK(sync_file(dir.file("missing")).kind() == ErrorKind::kIo);
}
