// Parsing an exam spec; see exam_spec.h and docs/exam.md for the keys.
#include "exam/exam_spec.h"

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "exam/exam_v1_text.h"
#include "util/hash.h"

namespace qdrift::exam {

using nlohmann::json;

const Scenario* Exam::find(std::string_view id) const {
  for (const Scenario& scenario : scenarios)
    if (scenario.id == id) return &scenario;
  return nullptr;
}

const Trait* Exam::trait(std::string_view id) const {
  for (const Trait& t : traits)
    if (t.id == id) return &t;
  return nullptr;
}

namespace {

class SpecReader {
 public:
  explicit SpecReader(const std::string& origin) : origin_(origin) {}

  Status bad(const std::string& key, const std::string& what) const {
    return Status::BadInput(fmt::format("{}: \"{}\": {}", origin_, key, what));
  }
  Status only_keys(const json& object, const std::string& where, const std::set<std::string>& allowed) const {
    for (const auto& [key, value] : object.items())
      if (!allowed.count(key)) return bad(where + key, "unknown key (a misspelling?)");
    return Status::Ok();
  }
  // A required non-empty string (or, with required = false, absent or non-empty).
  Result<std::string> text(const json& object, const std::string& where, const std::string& key,
                           bool required = true) const {
    auto it = object.find(key);
    if (it == object.end()) {
      if (required) return bad(where + key, "missing");
      return std::string();
    }
    if (!it->is_string() || it->get<std::string>().empty()) return bad(where + key, "must be a non-empty string");
    return it->get<std::string>();
  }
  Result<std::vector<std::string>> texts(const json& object, const std::string& where, const std::string& key) const {
    auto it = object.find(key);
    if (it == object.end() || !it->is_array() || it->empty()) return bad(where + key, "must be a non-empty list of strings");
    std::vector<std::string> out;
    for (const json& entry : *it) {
      if (!entry.is_string() || entry.get<std::string>().empty())
        return bad(where + key, "must be a non-empty list of strings");
      out.push_back(entry.get<std::string>());
    }
    return out;
  }
  Result<int> count(const json& object, const std::string& key, int fallback) const {
    auto it = object.find(key);
    if (it == object.end()) return fallback;
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 100)
      return bad(key, "must be a whole number from 1 to 100");
    return it->get<int>();
  }

 private:
  const std::string& origin_;
};

Result<std::vector<Trait>> read_traits(const SpecReader& r, const json& doc) {
  auto list = doc.find("traits");
  if (list == doc.end() || !list->is_array() || list->empty()) return r.bad("traits", "must be a non-empty list");
  std::vector<Trait> traits;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& row = (*list)[i];
    const std::string where = fmt::format("traits[{}].", i);
    if (!row.is_object()) return r.bad(where, "must be an object with id, name and gate");
    QDRIFT_TRY(r.only_keys(row, where, {"id", "name", "gate"}));
    Trait trait;
    auto id = r.text(row, where, "id");
    if (!id.ok()) return id.status();
    auto name = r.text(row, where, "name");
    if (!name.ok()) return name.status();
    auto gate = row.find("gate");
    if (gate == row.end() || !gate->is_number() || gate->get<double>() < 0 || gate->get<double>() > 100)
      return r.bad(where + "gate", "must be a percentage from 0 to 100");
    if (!ids.insert(*id).second) return r.bad(where + "id", fmt::format("'{}' is used twice", *id));
    traits.push_back({*id, *name, gate->get<double>()});
  }
  return traits;
}

Result<Scenario> read_scenario(const SpecReader& r, const json& row, const std::string& where) {
  if (!row.is_object()) return r.bad(where, "must be an object");
  QDRIFT_TRY(r.only_keys(row, where, {"id", "trait", "system", "turns", "rubric", "reference"}));
  Scenario scenario;
  auto id = r.text(row, where, "id");
  if (!id.ok()) return id.status();
  auto trait = r.text(row, where, "trait");
  if (!trait.ok()) return trait.status();
  auto system = r.text(row, where, "system", false);
  if (!system.ok()) return system.status();
  auto turns = r.texts(row, where, "turns");
  if (!turns.ok()) return turns.status();
  auto rubric = r.texts(row, where, "rubric");
  if (!rubric.ok()) return rubric.status();
  auto reference = r.text(row, where, "reference", false);
  if (!reference.ok()) return reference.status();
  return Scenario{*id, *trait, *system, *turns, *rubric, *reference};
}

Status read_scenarios(const SpecReader& r, const json& doc, Exam& exam) {
  auto list = doc.find("scenarios");
  if (list == doc.end() || !list->is_array() || list->empty()) return r.bad("scenarios", "must be a non-empty list");
  std::set<std::string> ids, openings;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string where = fmt::format("scenarios[{}].", i);
    auto scenario = read_scenario(r, (*list)[i], where);
    if (!scenario.ok()) return scenario.status();
    if (!ids.insert(scenario->id).second) return r.bad(where + "id", fmt::format("'{}' is used twice", scenario->id));
    if (!exam.trait(scenario->trait))
      return r.bad(where + "trait", fmt::format("'{}' is not one of \"traits\"", scenario->trait));
    // Items are paired across runs by id, but found in a transcript by their opening.
    if (!openings.insert(scenario->turns.front()).second)
      return r.bad(where + "turns", "the first turn is the same as another scenario's");
    exam.scenarios.push_back(std::move(scenario).value());
  }
  for (const Trait& trait : exam.traits) {
    bool used = false;
    for (const Scenario& scenario : exam.scenarios) used = used || scenario.trait == trait.id;
    if (!used) return r.bad("traits", fmt::format("trait '{}' has no scenario", trait.id));
  }
  return Status::Ok();
}

}  // namespace

bool is_exam_spec(std::string_view json_text) {
  const json doc = json::parse(json_text, nullptr, false);
  return doc.is_object() && doc.contains("exam");
}

Result<Exam> parse_exam(std::string_view text, const std::string& origin) {
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Status::BadInput(origin + ": not a JSON object");
  const SpecReader r(origin);
  QDRIFT_TRY(r.only_keys(doc, "", {"exam", "name", "version", "summary", "seeds", "pass_at_least", "traits", "scenarios"}));
  if (doc["exam"] != kExamSpecVersion)
    return r.bad("exam", fmt::format("must be {} (this qdrift reads exam specs of version {})", kExamSpecVersion,
                                     kExamSpecVersion));
  Exam exam;
  exam.origin = origin;
  exam.sha256 = sha256_hex(text);
  for (auto [key, out] : {std::pair{"name", &exam.name}, {"version", &exam.version}}) {
    auto value = r.text(doc, "", key);
    if (!value.ok()) return value.status();
    *out = *value;
  }
  if (exam.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-.") != std::string::npos)
    return r.bad("name", "use lower-case letters, digits, _ - and . only");
  auto summary = r.text(doc, "", "summary", false);
  if (!summary.ok()) return summary.status();
  exam.summary = summary->empty() ? "judged exam from " + origin : *summary;
  auto seeds = r.count(doc, "seeds", 3);
  if (!seeds.ok()) return seeds.status();
  exam.seeds = *seeds;
  auto pass_at_least = r.count(doc, "pass_at_least", exam.seeds / 2 + 1);
  if (!pass_at_least.ok()) return pass_at_least.status();
  exam.pass_at_least = *pass_at_least;
  // A scenario's outcome is the majority verdict of its seeds (maj@K), which is
  // "at least pass_at_least" only when that is a strict majority.
  if (exam.pass_at_least != exam.seeds / 2 + 1)
    return r.bad("pass_at_least", fmt::format("must be a strict majority of the {} seeds ({}) in this version",
                                              exam.seeds, exam.seeds / 2 + 1));
  auto traits = read_traits(r, doc);
  if (!traits.ok()) return traits.status();
  exam.traits = std::move(traits).value();
  QDRIFT_TRY(read_scenarios(r, doc, exam));
  return exam;
}

const Exam& built_in_exam() {
  static const Exam exam = [] {
    auto parsed = parse_exam(kExamV1Text, "built-in exam (benches/exam/exam_v1.json)");
    // The file is compiled in and tested (exam_spec_test.cpp): a parse failure is a build defect.
    if (!parsed.ok()) {
      std::fprintf(stderr, "qdrift: %s\n", parsed.status().message().c_str());
      std::abort();
    }
    return std::move(parsed).value();
  }();
  return exam;
}

}  // namespace qdrift::exam
