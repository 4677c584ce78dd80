// Filesystem helpers: atomic writes and whole-file reads.
#include "util/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace qdrift {

namespace fs = std::filesystem;

// One read into a buffer sized by fstat (a stream copied through an
// ostringstream costs a run file's load a sixth of its time), then reads
// until end of file, since a file may grow while it is read.
Result<std::string> read_file(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::BadInput(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  struct stat info {};
  if (fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    close(fd);
    // A directory opens on Linux: say what it is instead of reading it as empty.
    return Status::BadInput(fmt::format("{}: is a directory, not a file", path));
  }
  std::string text;
  text.resize(info.st_size > 0 ? static_cast<std::size_t>(info.st_size) + 1 : 4096);
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) text.resize(text.size() * 2);
    const ssize_t n = read(fd, text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      close(fd);
      return Status::Io(fmt::format("{}: read failed: {}", path, std::strerror(error)));
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  close(fd);
  text.resize(used);
  return text;
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

Status ensure_parent_dir(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) return Status::Ok();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) return Status::Io(fmt::format("{}: cannot create directory: {}", parent.string(), ec.message()));
  return Status::Ok();
}

namespace {

// Makes a rename or link durable: the new directory entry survives a power cut.
// Best effort (some file systems refuse to fsync a directory).
void sync_parent_dir(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  const int fd = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Status write_file_atomically(const std::string& path, const std::string& content, bool replace) {
  if (Status s = ensure_parent_dir(path); !s.ok()) return s;
  std::string temp = fmt::format("{}.tmp.{}", path, ::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Io(fmt::format("{}: cannot create: {}", temp, std::strerror(errno)));
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      return Status::Io(fmt::format("{}: write failed: {}", temp, reason));
    }
    written += static_cast<std::size_t>(n);
  }
  // fsync before rename: otherwise a crash can leave the new name pointing at an empty file.
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(temp.c_str());
    return Status::Io(fmt::format("{}: flush failed: {}", temp, std::strerror(errno)));
  }
  Status moved = move_into_place(temp, path, replace);
  if (!moved.ok()) ::unlink(temp.c_str());
  return moved;
}

Status move_into_place(const std::string& from, const std::string& to, bool replace) {
  if (!replace) {
    // link() fails with EEXIST when `to` exists, so a file that appeared while
    // this one was being made (another run, hours long, with the same --out) is
    // never replaced; the check before the run cannot promise that alone.
    if (::link(from.c_str(), to.c_str()) == 0) {
      ::unlink(from.c_str());
      sync_parent_dir(to);
      return Status::Ok();
    }
    const int error = errno;
    if (error == EEXIST) return Status::Usage(fmt::format("{} exists; pass --force to replace it", to));
    // A file system without hard links: check, then rename (a narrow race remains).
    if (error != EPERM && error != ENOTSUP && error != EOPNOTSUPP && error != EXDEV && error != EMLINK)
      return Status::Io(fmt::format("{}: cannot link into place: {}", to, std::strerror(error)));
    if (file_exists(to)) return Status::Usage(fmt::format("{} exists; pass --force to replace it", to));
  }
  if (::rename(from.c_str(), to.c_str()) != 0)
    return Status::Io(fmt::format("{}: cannot rename into place: {}", to, std::strerror(errno)));
  sync_parent_dir(to);
  return Status::Ok();
}

Status sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Io(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  const bool synced = ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!synced) return Status::Io(fmt::format("{}: flush failed: {}", path, std::strerror(error)));
  return Status::Ok();
}

}  // namespace qdrift
