// The tripwire section of run files. Positions are stored compactly as
// [token, logprob, [[alternative, logprob], ...]] with logprobs rounded to 1e-4.
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qdrift/record.h"

namespace qdrift {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

double rounded(double logprob) { return std::round(logprob * 1e4) / 1e4; }

}  // namespace

ordered_json tripwire_to_json(const TripwireRecord& t) {
  ordered_json j = {{"status", t.status}};
  if (t.status == "absent") return j;
  if (!t.reason.empty()) j["reason"] = t.reason;
  j["top1_agreement"] = t.top1_agreement;
  j["mean_kld"] = t.mean_kl;
  if (!t.corpus.empty()) j["corpus"] = t.corpus;
  ordered_json scores = ordered_json::array();
  for (const auto& s : t.scores) scores.push_back({rounded(s.mean_kl), rounded(s.top1_agreement), rounded(s.mean_nll_difference)});
  j["scores"] = std::move(scores);
  if (!t.reference.empty()) {
    ordered_json reference = ordered_json::array();
    for (const tripwire::Sequence& sequence : t.reference) {
      ordered_json positions = ordered_json::array();
      for (const tripwire::Position& p : sequence) {
        ordered_json top = ordered_json::array();
        for (const auto& [token, logprob] : p.top) top.push_back({token, rounded(logprob)});
        positions.push_back({p.token, rounded(p.logprob), std::move(top)});
      }
      reference.push_back(std::move(positions));
    }
    j["reference"] = std::move(reference);
  }
  return j;
}

Result<TripwireRecord> tripwire_from_json(const json& j, const std::string& where) {
  auto bad = [&](const std::string& what) { return Status::BadInput(fmt::format("{}: {}", where, what)); };
  if (!j.is_object() || !j.contains("status") || !j["status"].is_string()) return bad("needs a 'status' string");
  TripwireRecord t;
  t.status = j["status"];
  if (t.status == "absent") return t;
  t.reason = j.value("reason", "");
  t.top1_agreement = j.value("top1_agreement", 0.0);
  t.mean_kl = j.value("mean_kld", 0.0);
  if (j.contains("corpus")) {
    if (!j["corpus"].is_array()) return bad("'corpus' must be a list of texts");
    for (const json& text : j["corpus"]) {
      if (!text.is_string()) return bad("'corpus' must be a list of texts");
      t.corpus.push_back(text);
    }
  }
  if (j.contains("scores")) {
    for (const json& s : j["scores"]) {
      if (!s.is_array() || s.size() != 3 || !s[0].is_number() || !s[1].is_number() || !s[2].is_number())
        return bad("each of 'scores' must be [mean_kl, top1_agreement, mean_nll_difference]");
      t.scores.push_back({s[0].get<double>(), s[1].get<double>(), s[2].get<double>()});
    }
  }
  if (j.contains("reference")) {
    for (std::size_t s = 0; s < j["reference"].size(); ++s) {
      tripwire::Sequence sequence;
      for (const json& p : j["reference"][s]) {
        if (!p.is_array() || p.size() != 3 || !p[0].is_string() || !p[1].is_number() || !p[2].is_array())
          return bad(fmt::format("reference[{}]: each position must be [token, logprob, alternatives]", s));
        tripwire::Position position{p[0].get<std::string>(), p[1].get<double>(), {}};
        for (const json& alt : p[2]) {
          if (!alt.is_array() || alt.size() != 2 || !alt[0].is_string() || !alt[1].is_number())
            return bad(fmt::format("reference[{}]: each alternative must be [token, logprob]", s));
          position.top.emplace_back(alt[0].get<std::string>(), alt[1].get<double>());
        }
        sequence.push_back(std::move(position));
      }
      t.reference.push_back(std::move(sequence));
    }
  }
  return t;
}

}  // namespace qdrift
