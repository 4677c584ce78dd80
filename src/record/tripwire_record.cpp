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

// Unavailable metrics (NaN) are written as null and read back as NaN.
json number_or_null(double value, double scale = 1e6) {
  return tripwire::available(value) ? json(std::round(value * scale) / scale) : json(nullptr);
}
bool read_number(const json& j, double& out) {
  if (j.is_null()) {
    out = tripwire::kUnavailable;
    return true;
  }
  if (!j.is_number()) return false;
  out = j.get<double>();
  return true;
}

// The fields of tripwire::Summary, in file order.
struct SummaryField {
  const char* name;
  double tripwire::Summary::*member;
};
constexpr SummaryField kSummaryFields[] = {
    {"top1_agreement", &tripwire::Summary::top1_agreement},
    {"mean_kld", &tripwire::Summary::mean_kl},
    {"median_kld", &tripwire::Summary::median_kl},
    {"p90_kld", &tripwire::Summary::p90_kl},
    {"p99_kld", &tripwire::Summary::p99_kl},
    {"max_kld", &tripwire::Summary::max_kl},
    {"mean_abs_logprob_diff", &tripwire::Summary::mean_abs_logprob_difference},
    {"delta_p_mean", &tripwire::Summary::mean_delta_p},
    {"delta_p_rms", &tripwire::Summary::rms_delta_p},
    {"delta_p_p01", &tripwire::Summary::p01_delta_p},
    {"delta_p_p99", &tripwire::Summary::p99_delta_p},
    {"ppl_ratio", &tripwire::Summary::ppl_ratio},
};

}  // namespace

ordered_json tripwire_to_json(const TripwireRecord& t) {
  ordered_json j = {{"status", t.status}};
  if (t.status == "absent") return j;
  if (!t.reason.empty()) j["reason"] = t.reason;
  j["top1_agreement"] = number_or_null(t.top1_agreement);
  j["mean_kld"] = number_or_null(t.mean_kl);
  if (t.status == "unsupported") return j;
  j["api"] = t.api;
  j["token_keys"] = t.keyed_by_id ? "id" : "text";
  j["alternatives"] = t.alternatives;
  if (!t.unavailable.empty()) j["unavailable"] = t.unavailable;
  ordered_json summary = {{"positions", t.summary.positions}};
  for (const SummaryField& field : kSummaryFields) summary[field.name] = number_or_null(t.summary.*field.member);
  j["summary"] = std::move(summary);
  if (!t.corpus.empty()) j["corpus"] = t.corpus;
  // Per text: [mean KL, top-1 agreement, mean NLL difference, mean |logprob difference|].
  ordered_json scores = ordered_json::array();
  for (const auto& s : t.scores)
    scores.push_back({number_or_null(s.mean_kl, 1e4), number_or_null(s.top1_agreement, 1e4),
                      rounded(s.mean_nll_difference), rounded(s.mean_abs_logprob_difference)});
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
  if (t.status != "absent" && t.status != "reference" && t.status != "ok" && t.status != "tripped" &&
      t.status != "unsupported")
    return bad(fmt::format("unknown status \"{}\" (absent, reference, ok, tripped or unsupported)", t.status));
  if (t.status == "absent") return t;
  // Optional fields of a known type; a present one of another type is an error, not a crash.
  const auto optional_text = [&](const char* key, std::string& out) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return true;
    if (!it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  std::string token_keys = "text";
  t.api = "vllm";  // files from before other dialects existed
  if (!optional_text("reason", t.reason) || !optional_text("api", t.api) ||
      !optional_text("token_keys", token_keys) || !optional_text("unavailable", t.unavailable))
    return bad("'reason', 'api', 'token_keys' and 'unavailable' must be strings");
  if (auto it = j.find("alternatives"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) return bad("'alternatives' must be true or false");
    t.alternatives = it->get<bool>();
  }
  t.keyed_by_id = token_keys == "id";
  if ((j.contains("top1_agreement") && !read_number(j["top1_agreement"], t.top1_agreement)) ||
      (j.contains("mean_kld") && !read_number(j["mean_kld"], t.mean_kl)))
    return bad("'top1_agreement' and 'mean_kld' must be numbers or null");
  if (j.contains("summary")) {
    const json& summary = j["summary"];
    if (!summary.is_object() || !summary.contains("positions") || !summary["positions"].is_number_unsigned())
      return bad("'summary' must be an object with 'positions'");
    t.summary.positions = summary["positions"].get<std::size_t>();
    for (const SummaryField& field : kSummaryFields)
      if (summary.contains(field.name) && !read_number(summary[field.name], t.summary.*field.member))
        return bad(fmt::format("summary.{} must be a number or null", field.name));
  } else {
    t.summary.top1_agreement = t.top1_agreement;
    t.summary.mean_kl = t.mean_kl;
  }
  if (j.contains("corpus")) {
    if (!j["corpus"].is_array()) return bad("'corpus' must be a list of texts");
    for (const json& text : j["corpus"]) {
      if (!text.is_string()) return bad("'corpus' must be a list of texts");
      t.corpus.push_back(text);
    }
  }
  if (j.contains("scores")) {
    if (!j["scores"].is_array()) return bad("'scores' must be a list");
    for (const json& s : j["scores"]) {
      // Three entries in files written before the absolute logprob difference was kept.
      tripwire::SequenceScore score;
      score.mean_abs_logprob_difference = tripwire::kUnavailable;
      if (!s.is_array() || (s.size() != 3 && s.size() != 4) || !read_number(s[0], score.mean_kl) ||
          !read_number(s[1], score.top1_agreement) || !read_number(s[2], score.mean_nll_difference) ||
          (s.size() == 4 && !read_number(s[3], score.mean_abs_logprob_difference)))
        return bad("each of 'scores' must be [mean_kl, top1_agreement, mean_nll_difference, mean_abs_logprob_diff]");
      t.scores.push_back(score);
    }
  }
  if (j.contains("reference")) {
    if (!j["reference"].is_array()) return bad("'reference' must be a list of texts' positions");
    for (std::size_t s = 0; s < j["reference"].size(); ++s) {
      tripwire::Sequence sequence;
      if (!j["reference"][s].is_array()) return bad(fmt::format("reference[{}] must be a list of positions", s));
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
