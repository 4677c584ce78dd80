// Running as root, each sandboxed run borrows an unprivileged uid of its own for its
// duration, so RLIMIT_NPROC counts that run's processes alone and the final
// kill-everything-of-this-uid sweep touches nothing else. The lease is an exclusive
// flock on a per-uid lock file, so concurrent runs, threads and whole qdrift processes
// (ctest -j runs test binaries side by side) never share a uid.
#pragma once

#include <sys/types.h>

#include "qdrift/status.h"

namespace qdrift::sandbox {

class UidLease {
 public:
  // Leases a free uid in [first, first + count). A uid that already owns a live
  // process not started by qdrift (some real account) is skipped, never used.
  static Result<UidLease> Acquire(uid_t first, unsigned count);

  UidLease(UidLease&& other) noexcept : uid_(other.uid_), lock_fd_(other.lock_fd_) { other.lock_fd_ = -1; }
  UidLease& operator=(UidLease&&) = delete;
  UidLease(const UidLease&) = delete;
  ~UidLease();

  uid_t uid() const { return uid_; }

 private:
  UidLease(uid_t uid, int lock_fd) : uid_(uid), lock_fd_(lock_fd) {}
  uid_t uid_;
  int lock_fd_;
};

}  // namespace qdrift::sandbox
