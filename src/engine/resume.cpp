// Checkpoint headers and what a resumed run takes from its checkpoint.
#include "engine/resume.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "record/shard.h"
#include "util/files.h"
#include "util/json_text.h"

namespace qdrift {

using nlohmann::json;
using nlohmann::ordered_json;

std::string checkpoint_header(const RunOptions& options, const std::string& model, const RunPlan& plan) {
  ordered_json benches = ordered_json::object();
  for (const PlannedBench& p : plan.benches)
    benches[p.bench->name()] = {{"settings", settings_to_json(p.settings)}, {"dataset_sha256", p.dataset_sha256}};
  ordered_json header = {{"checkpoint", 1},
                         {"kind", options.kind},
                         {"model", model},
                         {"endpoint", redact_url(options.endpoint.base_url)},
                         {"tier", tier_name(options.tier)},
                         {"seed", options.seed},
                         {"benches", std::move(benches)}};
  if (options.repeats > 1) header["repeats"] = options.repeats;  // absent at 1: older checkpoints still resume
  // Absent for a whole run, so older checkpoints still resume; a shard resumes only as the same shard.
  if (options.shard) header["shard"] = shard_name(*options.shard);
  return json_text(header);
}

std::string header_differences(const std::string& stored, const std::string& planned) {
  json a = json::parse(stored, nullptr, false), b = json::parse(planned, nullptr, false);
  std::vector<std::string> fields;
  for (auto& [key, value] : b.items()) {
    if (key == "benches" || key == "endpoint") continue;
    if (!a.contains(key) || a[key] != value) fields.push_back(key);
  }
  // A field only the stored header has (a shard, repeats) differs too: the
  // planned run would leave it out.
  for (auto& [key, value] : a.items())
    if (!b.contains(key)) fields.push_back(key);
  if (a.contains("benches") && b.contains("benches")) {
    for (auto& [bench, value] : b["benches"].items()) {
      if (!a["benches"].contains(bench)) {
        fields.push_back(bench);
        continue;
      }
      for (auto& [key, setting] : value["settings"].items())
        if (a["benches"][bench]["settings"].value(key, json()) != setting) fields.push_back(bench + "." + key);
      if (a["benches"][bench]["dataset_sha256"] != value["dataset_sha256"]) fields.push_back(bench + ".dataset_sha256");
    }
  }
  std::string joined;
  for (const std::string& f : fields) joined += (joined.empty() ? "" : ", ") + f;
  return joined;
}

Result<ResumePoint> find_resume_point(const std::string& checkpoint, const std::string& header, bool resume) {
  ResumePoint point;
  if (!resume || !file_exists(checkpoint)) return point;
  auto contents = read_checkpoint(checkpoint);
  if (!contents.ok()) return contents.status();
  if (contents->header.empty()) return point;  // killed before the header was whole: nothing was kept
  const std::string differences = header_differences(contents->header, header);
  if (!differences.empty())
    return Status::Usage(
        fmt::format("{}: cannot resume, these settings differ from the checkpoint: {}", checkpoint, differences));
  point.append = true;
  point.keep_bytes = contents->kept_bytes;
  point.contents = std::move(contents).value();
  return point;
}

}  // namespace qdrift
