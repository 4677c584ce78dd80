// The tripwire stage: corpus, reference + floor for baselines, probe for candidates.
#include "engine/tripwire_stage.h"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tripwire/probe.h"
#include "tripwire/trip_rule.h"
#include "util/files.h"
#include "util/hash.h"
#include "util/utf8.h"

namespace qdrift {

namespace {

TripwireRecord unsupported(std::string reason) {
  TripwireRecord t;
  t.status = "unsupported";
  t.reason = std::move(reason);
  return t;
}

// Servers that cannot give prompt logprobs say so instead of guessing.
std::string dialect_gap(const std::string& server) {
  if (server == "llamacpp") return "llama.cpp's server cannot return prompt logprobs";
  return "";
}

tripwire::ProbeOptions probe_options(const TripwireStageOptions& o) {
  tripwire::ProbeOptions p;
  p.endpoint = o.endpoint;
  p.pool = o.pool;
  const std::string& server = o.endpoint.server;
  p.dialect = server == "sglang" || server == "tgi" ? server : "vllm";
  return p;
}

void trim(std::vector<tripwire::Sequence>& pass) {
  for (tripwire::Sequence& sequence : pass)
    for (tripwire::Position& position : sequence) {
      std::sort(position.top.begin(), position.top.end(), [](auto& a, auto& b) { return a.second > b.second; });
      if (position.top.size() > static_cast<std::size_t>(kStoredTopLogprobs)) position.top.resize(kStoredTopLogprobs);
    }
}

}  // namespace

Result<std::vector<std::string>> load_corpus(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  std::vector<std::string> corpus;
  std::istringstream lines(*text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    // Texts go into JSON request bodies and the baseline, which must be UTF-8.
    if (const std::size_t bad = first_invalid_utf8(line); bad != std::string::npos)
      return Status::BadInput(fmt::format("{}: line {}: not valid UTF-8 (byte {} of the line)", path, number, bad + 1));
    if (line[line.find_first_not_of(" \t")] == '{') {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("text") || !j["text"].is_string())
        return Status::BadInput(fmt::format("{}: line {}: a JSON line needs a string field 'text'", path, number));
      corpus.push_back(j["text"].get<std::string>());
    } else {
      corpus.push_back(line);
    }
  }
  if (corpus.empty()) return Status::BadInput(fmt::format("{}: no texts in the corpus", path));
  return corpus;
}

std::vector<std::string> choose_corpus(std::vector<std::pair<std::string, std::string>> candidates, std::size_t count,
                                       std::uint64_t seed) {
  const std::string seed_text = std::to_string(seed);
  std::stable_sort(candidates.begin(), candidates.end(), [&](const auto& a, const auto& b) {
    return hash_parts({"corpus", seed_text, a.first}) < hash_parts({"corpus", seed_text, b.first});
  });
  std::vector<std::string> corpus;
  for (auto& [id, text] : candidates) {
    if (corpus.size() == count) break;
    if (!text.empty()) corpus.push_back(std::move(text));
  }
  return corpus;
}

TripwireRecord collect_reference(const std::vector<std::string>& corpus, const TripwireStageOptions& options) {
  if (std::string gap = dialect_gap(options.endpoint.server); !gap.empty()) return unsupported(gap);
  if (corpus.empty()) return unsupported("no corpus: no texts were captured");
  tripwire::ProbeOptions probe = probe_options(options);
  probe.pass = 1;
  auto first = tripwire::fetch_pass(corpus, probe);
  if (!first.ok()) return unsupported(first.status().message());
  probe.dialect = first->api;  // the floor is fetched exactly as the reference was
  probe.pass = 2;
  auto second = tripwire::fetch_pass(corpus, probe);
  if (!second.ok()) return unsupported(second.status().message());
  trim(first->sequences);  // the floor is measured against exactly what candidates will see
  TripwireRecord t;
  t.api = first->api;
  t.keyed_by_id = first->keyed_by_id;
  t.alternatives = first->alternatives;
  t.unavailable = tripwire::alternatives_gap(first->alternatives, first->keyed_by_id, second->alternatives,
                                             second->keyed_by_id);
  auto floor = tripwire::compare_passes(first->sequences, second->sequences, t.unavailable.empty(), &t.summary);
  if (!floor.ok()) return unsupported(floor.status().message());
  t.status = "reference";
  t.corpus = corpus;
  t.reference = std::move(first->sequences);
  t.scores = std::move(floor).value();
  t.top1_agreement = t.summary.top1_agreement;
  t.mean_kl = t.summary.mean_kl;
  return t;
}

TripwireRecord probe_candidate(const TripwireRecord& baseline, const TripwireStageOptions& options) {
  if (baseline.status != "reference") return TripwireRecord{};  // absent: nothing to compare with
  if (std::string gap = dialect_gap(options.endpoint.server); !gap.empty()) return unsupported(gap);
  tripwire::ProbeOptions probe = probe_options(options);
  probe.pass = 3;
  auto pass = tripwire::fetch_pass(baseline.corpus, probe);
  if (!pass.ok()) return unsupported(pass.status().message());
  TripwireRecord t;
  t.api = pass->api;
  t.keyed_by_id = pass->keyed_by_id;
  t.alternatives = pass->alternatives;
  t.unavailable =
      tripwire::alternatives_gap(baseline.alternatives, baseline.keyed_by_id, pass->alternatives, pass->keyed_by_id);
  auto scores = tripwire::compare_passes(baseline.reference, pass->sequences, t.unavailable.empty(), &t.summary);
  if (!scores.ok()) return unsupported(scores.status().message());
  t.scores = std::move(scores).value();
  t.top1_agreement = t.summary.top1_agreement;
  t.mean_kl = t.summary.mean_kl;
  t.status = tripwire::decide(baseline.scores, t.scores, options.alpha).tripped ? "tripped" : "ok";
  return t;
}

}  // namespace qdrift
