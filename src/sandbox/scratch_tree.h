// Host-side work on a bash session's scratch tree, which a model wrote and may have
// booby-trapped (symlinks to /etc/shadow, directories nested 100,000 deep, modes of
// 000). Every walk runs only while no sandboxed process is alive, never follows a
// symbolic link, never leaves the tree's file system, and holds one directory open at
// a time (it climbs back up through "..", checking each parent's inode), so neither
// depth nor concurrency runs qdrift out of file descriptors.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "qdrift/status.h"

namespace qdrift::sandbox {

// Gives `root` and everything below it to uid:uid (lchown: a link's own owner changes,
// never its target's).
Status chown_tree(const std::string& root, uid_t uid);

// What the tree below `root` takes, counting each entry as the larger of its apparent
// and allocated size and at least 1 KiB (so a million empty files count too). Stops
// counting once past `stop_above`.
Result<std::uint64_t> tree_bytes(const std::string& root, std::uint64_t stop_above);

// Removes everything below `root`, leaving `root` itself.
Status empty_tree(const std::string& root);

}  // namespace qdrift::sandbox
