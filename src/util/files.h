// Filesystem helpers that never lose data: atomic replace, refuse to clobber.
#pragma once

#include <string>

#include "qdrift/status.h"

namespace qdrift {

// Reads the whole file.
Result<std::string> read_file(const std::string& path);

// Writes `content` to a temp file beside `path`, fsyncs it and renames it over
// `path`, so a reader sees the old file or the new one, never half of one.
// Creates missing parent directories.
Status write_file_atomically(const std::string& path, const std::string& content);

bool file_exists(const std::string& path);

// Creates the parent directories of `path`.
Status ensure_parent_dir(const std::string& path);

}  // namespace qdrift
