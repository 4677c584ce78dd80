// The judge's verdict cache; see judge_cache.h.
#include "exam/judge_cache.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "util/files.h"
#include "util/hash.h"

namespace qdrift::exam {

using nlohmann::json;

std::string judge_cache_key(const std::string& judge_model, const std::vector<ChatMessage>& request) {
  json parts = {{"judge_model", judge_model}, {"prompt_version", kJudgePromptVersion}, {"messages", json::array()}};
  for (const ChatMessage& message : request) parts["messages"].push_back({message.role, message.content});
  return sha256_hex(parts.dump());
}

JudgeCache::JudgeCache(std::string dir) : dir_(dir.empty() ? "" : std::move(dir) + "/judge") {}

std::string JudgeCache::path_of(const std::string& key) const { return dir_ + "/" + key.substr(0, 2) + "/" + key + ".json"; }

std::optional<JudgeVerdict> JudgeCache::find(const std::string& key) const {
  if (dir_.empty()) return std::nullopt;
  auto text = read_file(path_of(key));
  if (!text.ok()) return std::nullopt;
  const json entry = json::parse(*text, nullptr, false);
  // A damaged entry is as good as none: the judge is asked again and the entry replaced.
  if (!entry.is_object() || !entry.contains("verdict") || !entry["verdict"].is_string()) return std::nullopt;
  const std::string verdict = entry["verdict"].get<std::string>();
  if (verdict != "pass" && verdict != "fail") return std::nullopt;
  const auto reason = entry.find("reason");
  return JudgeVerdict{verdict == "pass", reason != entry.end() && reason->is_string() ? reason->get<std::string>() : ""};
}

void JudgeCache::store(const std::string& key, const JudgeVerdict& verdict) const {
  if (dir_.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(dir_ + "/" + key.substr(0, 2), ec);
  const json entry = {{"verdict", verdict.pass ? "pass" : "fail"}, {"reason", verdict.reason}};
  (void)write_file_atomically(path_of(key), entry.dump() + "\n");
}

}  // namespace qdrift::exam
