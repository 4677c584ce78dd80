// The resume stage: the checkpoint header that pins what a run is (so a resume
// cannot mix settings), and what an existing checkpoint already holds.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "engine/checkpoint.h"
#include "engine/run_plan.h"
#include "qdrift/status.h"

namespace qdrift {

// Everything a resumed run must share with the run it continues.
std::string checkpoint_header(const RunOptions& options, const std::string& model, const RunPlan& plan);

// The fields where a stored header differs from this run's ("" when none); the
// endpoint may move between restarts and is not compared.
std::string header_differences(const std::string& stored, const std::string& planned);

// Where the checkpoint writer starts: a fresh file, or an append after the
// samples already kept (with a torn last line cut off).
struct ResumePoint {
  bool append = false;
  std::optional<std::size_t> keep_bytes;
  CheckpointContents contents;  // empty for a fresh start
};

// Without --resume, or with no checkpoint, a fresh start. Otherwise the
// checkpoint's samples, once its header matches `header` (a header torn by a
// crash means nothing was kept: a fresh start too).
Result<ResumePoint> find_resume_point(const std::string& checkpoint, const std::string& header, bool resume);

}  // namespace qdrift
