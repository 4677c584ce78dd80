// Depth-first walks of a scratch tree with one directory fd open at a time. A walk keeps
// the names still to visit at each level in memory, goes down with O_NOFOLLOW and up
// through "..", and checks by (device, inode) that it arrived where it meant to.
#include "sandbox/scratch_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <vector>

namespace qdrift::sandbox {

namespace {

enum class Step { kNext, kDescend, kStop };

// (dir_fd, name, what lstat says) -> what to do next. Called before a directory's contents.
using EntryFn = std::function<Step(int, const std::string&, const struct stat&)>;
// (parent_fd, name) after a directory's contents.
using LeaveFn = std::function<void(int, const std::string&)>;

struct Frame {
  std::string name;  // in the parent ("" for the root)
  dev_t device;
  ino_t inode;
  std::vector<std::string> names;  // entries still to visit, last first
};

Status io_error(const std::string& what, const std::string& path) {
  return Status::Io("bash sandbox: " + what + " " + path + ": " + std::strerror(errno));
}

// Reads the entry names of the directory `fd` (through a duplicate, so `fd` stays ours).
bool list_names(int fd, std::vector<std::string>& names) {
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return false;
  DIR* dir = fdopendir(copy);
  if (!dir) {
    close(copy);
    return false;
  }
  while (dirent* entry = readdir(dir)) {
    if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) names.push_back(entry->d_name);
  }
  closedir(dir);
  std::reverse(names.begin(), names.end());
  return true;
}

// Opens the directory `name` in `parent_fd` without following a link. A directory whose
// owner took away our permissions (possible when we are not root) gets them back.
int open_directory(int parent_fd, const std::string& name) {
  const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  int fd = openat(parent_fd, name.c_str(), flags);
  if (fd < 0 && errno == EACCES && fchmodat(parent_fd, name.c_str(), 0700, 0) == 0)
    fd = openat(parent_fd, name.c_str(), flags);
  return fd;
}

Status walk_tree(const std::string& root, const EntryFn& on_entry, const LeaveFn& on_leave) {
  int fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  struct stat info {};
  if (fd < 0 || fstat(fd, &info) != 0) {
    Status error = io_error("cannot open", root);
    if (fd >= 0) close(fd);
    return error;
  }
  const dev_t device = info.st_dev;
  std::vector<Frame> stack;
  stack.push_back({"", info.st_dev, info.st_ino, {}});
  Status status;
  if (!list_names(fd, stack.back().names)) status = io_error("cannot list", root);
  while (status.ok()) {
    Frame& top = stack.back();
    if (top.names.empty()) {
      if (stack.size() == 1) break;
      const std::string name = top.name;
      stack.pop_back();
      int parent = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      close(fd);
      fd = parent;
      if (fd < 0 || fstat(fd, &info) != 0 || info.st_dev != stack.back().device || info.st_ino != stack.back().inode) {
        status = Status::Io("bash sandbox: lost its way climbing back up " + root);
        break;
      }
      on_leave(fd, name);
      continue;
    }
    const std::string name = std::move(top.names.back());
    top.names.pop_back();
    if (fstatat(fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone (removed by on_entry)
    const Step step = on_entry(fd, name, info);
    if (step == Step::kStop) break;
    if (step != Step::kDescend || !S_ISDIR(info.st_mode) || info.st_dev != device) continue;
    int child = open_directory(fd, name);
    struct stat child_info {};
    if (child < 0 || fstat(child, &child_info) != 0 || child_info.st_ino != info.st_ino ||
        child_info.st_dev != info.st_dev) {
      status = io_error("cannot open", root + "/…/" + name);
      if (child >= 0) close(child);
      break;
    }
    // Listing and stat-ing its entries need r and x: a directory of ours without them gets
    // them back (as root we need no permission bits).
    if (geteuid() != 0 && (child_info.st_mode & 0700) != 0700) fchmod(child, (child_info.st_mode & 07777) | 0700);
    Frame frame{name, child_info.st_dev, child_info.st_ino, {}};
    if (!list_names(child, frame.names)) {
      status = io_error("cannot list", root + "/…/" + name);
      close(child);
      break;
    }
    stack.push_back(std::move(frame));
    close(fd);
    fd = child;
  }
  if (fd >= 0) close(fd);
  return status;
}

}  // namespace

Status chown_tree(const std::string& root, uid_t uid) {
  int fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", root);
  const bool root_done = fchown(fd, uid, uid) == 0;
  close(fd);
  if (!root_done) return io_error("cannot chown", root);
  Status first_error;
  Status walked = walk_tree(
      root,
      [&](int dir_fd, const std::string& name, const struct stat& info) {
        if ((info.st_uid != uid || info.st_gid != uid) &&
            fchownat(dir_fd, name.c_str(), uid, uid, AT_SYMLINK_NOFOLLOW) != 0 && first_error.ok())
          first_error = io_error("cannot chown", root + "/…/" + name);
        return Step::kDescend;
      },
      [](int, const std::string&) {});
  return walked.ok() ? first_error : walked;
}

Result<std::uint64_t> tree_bytes(const std::string& root, std::uint64_t stop_above) {
  std::uint64_t total = 0;
  Status walked = walk_tree(
      root,
      [&](int, const std::string&, const struct stat& info) {
        const std::uint64_t allocated = static_cast<std::uint64_t>(info.st_blocks) * 512;
        total += std::max({allocated, static_cast<std::uint64_t>(info.st_size), std::uint64_t{1024}});
        return total > stop_above ? Step::kStop : Step::kDescend;
      },
      [](int, const std::string&) {});
  if (!walked.ok()) return walked;
  return total;
}

Status empty_tree(const std::string& root) {
  Status first_error;
  // Unlinking needs write permission on the directory, which its owner may have taken away.
  auto remove = [&](int dir_fd, const std::string& name, int flags) {
    if (unlinkat(dir_fd, name.c_str(), flags) == 0) return;
    if ((errno == EACCES || errno == EPERM) && fchmod(dir_fd, 0700) == 0 && unlinkat(dir_fd, name.c_str(), flags) == 0)
      return;
    if (first_error.ok()) first_error = io_error("cannot remove", root + "/…/" + name);
  };
  Status walked = walk_tree(
      root,
      [&](int dir_fd, const std::string& name, const struct stat& info) {
        if (S_ISDIR(info.st_mode)) return Step::kDescend;
        remove(dir_fd, name, 0);
        return Step::kNext;
      },
      [&](int parent_fd, const std::string& name) { remove(parent_fd, name, AT_REMOVEDIR); });
  return walked.ok() ? first_error : walked;
}

}  // namespace qdrift::sandbox
