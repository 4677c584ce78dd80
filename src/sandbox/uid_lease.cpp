// UidLease: flock-based leases on sandbox uids, in a root-owned lock directory.
#include "sandbox/uid_lease.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <string>

namespace qdrift::sandbox {

namespace {

// /run/lock is a tmpfs on Debian (cleared at boot, so no stale files); else the temp dir.
Result<std::string> lock_dir() {
  const std::string parent = access("/run/lock", W_OK) == 0 ? "/run/lock" : std::filesystem::temp_directory_path();
  const std::string dir = parent + "/qdrift-sandbox-uids";
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return Status::Io("sandbox: cannot create " + dir + ": " + std::strerror(errno));
  struct stat info {};
  // In a world-writable parent, someone else could have made it first: use it only if ours.
  if (lstat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != geteuid())
    return Status::Io("sandbox: " + dir + " is not a directory owned by us; remove it");
  return dir;
}

bool is_zombie(const char* pid) {
  std::ifstream in(std::string("/proc/") + pid + "/stat");
  std::string line;
  std::getline(in, line);
  std::size_t name_end = line.rfind(')');  // the name may hold spaces and parentheses
  return name_end != std::string::npos && line.compare(name_end, 4, ") Z ") == 0;
}

bool uid_owns_live_process(uid_t uid) {
  DIR* proc = opendir("/proc");
  if (!proc) return false;
  bool found = false;
  while (dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    struct stat info {};
    if (fstatat(dirfd(proc), entry->d_name, &info, 0) == 0 && info.st_uid == uid && !is_zombie(entry->d_name)) {
      found = true;
      break;
    }
  }
  closedir(proc);
  return found;
}

// Uids this process has checked once: after that, only qdrift runs (ours or another
// qdrift's, under the same lock) ever own processes of them, and each run sweeps its own.
std::mutex checked_mutex;
std::set<uid_t> checked_uids;

}  // namespace

Result<UidLease> UidLease::Acquire(uid_t first, unsigned count) {
  static Result<std::string> dir = lock_dir();
  if (!dir.ok()) return dir.status();
  // Start where the last lease of this process ended, so threads rarely contend, and
  // processes at different places, so they rarely do either.
  static std::atomic<unsigned> next{static_cast<unsigned>(getpid()) * 37u};
  const unsigned start = next++;
  for (unsigned i = 0; i < count; ++i) {
    const uid_t uid = first + (start + i) % count;
    const std::string path = *dir + "/" + std::to_string(uid);
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      close(fd);
      continue;
    }
    std::lock_guard<std::mutex> lock(checked_mutex);
    if (!checked_uids.count(uid)) {
      if (uid_owns_live_process(uid)) {  // a real account, or a leftover of a crashed run
        close(fd);
        continue;
      }
      checked_uids.insert(uid);
    }
    return UidLease(uid, fd);
  }
  return Status::Io("sandbox: all " + std::to_string(count) + " sandbox uids from " + std::to_string(first) +
                    " are busy or own processes of their own");
}

UidLease::~UidLease() {
  if (lock_fd_ >= 0) close(lock_fd_);
}

}  // namespace qdrift::sandbox
