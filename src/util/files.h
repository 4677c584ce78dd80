// Filesystem helpers that never lose data: atomic replace, refuse to clobber.
#pragma once

#include <string>

#include "qdrift/status.h"

namespace qdrift {

// Reads the whole file; a directory is an error naming it.
Result<std::string> read_file(const std::string& path);

// Writes `content` to a temp file beside `path`, fsyncs it and renames it over
// `path`, so a reader sees the old file or the new one, never half of one.
// Creates missing parent directories. With `replace` false an existing `path`
// is left alone (a Usage error naming --force), even one created meanwhile.
Status write_file_atomically(const std::string& path, const std::string& content, bool replace = true);

// Renames `from` to `to` (on one file system) and syncs the directory. With
// `replace` false an existing `to` is left alone (a Usage error naming --force),
// even one created meanwhile, and `from` stays where it is.
Status move_into_place(const std::string& from, const std::string& to, bool replace);

// Flushes a file's data to disk, so a rename cannot outlive its contents.
Status sync_file(const std::string& path);

bool file_exists(const std::string& path);

// Creates the parent directories of `path`.
Status ensure_parent_dir(const std::string& path);

}  // namespace qdrift
