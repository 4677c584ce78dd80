// Verdicts kept so a transcript is never judged twice: a file per verdict under
// <cache dir>/judge/ ($XDG_CACHE_HOME/qdrift/judge/ by default), named by its
// key — sha256 over the judge model, the judge prompt's version and the exact
// request (rubric and transcript). A resumed run whose restarted episodes say
// the same thing, or a rerun against a deterministic server, asks the judge
// nothing it has asked before. Safe to use from many threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exam/judge_prompt.h"
#include "qdrift/openai.h"

namespace qdrift::exam {

// The key of a judge request to `judge_model`.
std::string judge_cache_key(const std::string& judge_model, const std::vector<ChatMessage>& request);

class JudgeCache {
 public:
  // `dir` is the cache root ("" keeps nothing); verdicts go under dir/judge/.
  explicit JudgeCache(std::string dir);
  std::optional<JudgeVerdict> find(const std::string& key) const;
  // Best effort: a verdict that cannot be written is simply asked again next time.
  void store(const std::string& key, const JudgeVerdict& verdict) const;

 private:
  std::string path_of(const std::string& key) const;
  const std::string dir_;
};

}  // namespace qdrift::exam
