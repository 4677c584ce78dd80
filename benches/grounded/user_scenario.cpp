// Loading a user's agent scenario spec; see user_scenario.h for the format's
// rules and docs/grounded.md for its keys.
#include "grounded/user_scenario.h"

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "grounded/grounded_bench.h"
#include "util/files.h"
#include "util/hash.h"

namespace qdrift::grounded {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Spec {
  std::string path, sha256;
  std::string name, version, summary, describe;
  std::string data_dir;  // absolute
  std::vector<ReadOnlyBind> binds;
  std::vector<std::string> path_dirs;
  std::vector<Question> questions;
  std::map<std::string, std::string> commands;  // question id -> reference command
};

class UserBank final : public QuestionBank {
 public:
  explicit UserBank(Spec spec) : spec_(std::move(spec)) {}
  const std::vector<Question>& questions() const override { return spec_.questions; }
  Result<std::string> data_dir(const Question&) const override { return spec_.data_dir; }
  std::string data_description() const override { return spec_.describe; }
  std::vector<ReadOnlyBind> extra_binds() const override { return spec_.binds; }
  std::vector<std::string> extra_path() const override { return spec_.path_dirs; }
  std::string reference_command(const Question& question) const override {
    auto it = spec_.commands.find(question.id);
    return it == spec_.commands.end() ? "" : it->second;
  }

 private:
  const Spec spec_;
};

// Errors name the spec and the key: `PATH: "key": what`.
Status bad(const Spec& spec, std::string_view key, const std::string& what) {
  return Status::BadInput(fmt::format("{}: \"{}\": {}", spec.path, key, what));
}

Status only_keys(const Spec& spec, const json& object, std::string_view where, std::set<std::string> allowed) {
  for (const auto& [key, value] : object.items())
    if (!allowed.count(key)) return bad(spec, std::string(where) + key, "unknown key (a misspelling?)");
  return Status::Ok();
}

Result<std::string> string_at(const Spec& spec, const json& object, const std::string& key, bool required,
                              const std::string& where = "") {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) return bad(spec, where + key, "missing");
    return std::string();
  }
  if (!it->is_string() || it->get<std::string>().empty()) return bad(spec, where + key, "must be a non-empty string");
  return it->get<std::string>();
}

bool is_name(const std::string& name) {
  return !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") ==
                              std::string::npos;
}

// Every regular file under the data directory is listed, and each matches its pin.
Status check_files(Spec& spec, const json& files) {
  if (!files.is_object() || files.empty())
    return bad(spec, "files", "must map every data file (relative to \"data\") to its sha256");
  std::set<std::string> listed;
  for (const auto& [name, pin] : files.items()) {
    if (!pin.is_string()) return bad(spec, "files." + name, "must be the file's sha256 in hex");
    auto bytes = read_file(spec.data_dir + "/" + name);
    if (!bytes.ok()) return bad(spec, "files." + name, bytes.status().message());
    if (sha256_hex(*bytes) != pin.get<std::string>())
      return bad(spec, "files." + name, fmt::format("sha256 is {}, not the pinned {}", sha256_hex(*bytes), pin.get<std::string>()));
    listed.insert(fs::path(name).lexically_normal().string());
  }
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(spec.data_dir, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string relative = fs::relative(entry.path(), spec.data_dir).lexically_normal().string();
    if (!listed.count(relative)) return bad(spec, "files", fmt::format("{} is in \"data\" but not pinned", relative));
  }
  return Status::Ok();
}

Status read_binds(Spec& spec, const json& doc) {
  if (auto binds = doc.find("binds"); binds != doc.end()) {
    if (!binds->is_array()) return bad(spec, "binds", "must be a list of {\"host\", \"sandbox\"}");
    for (std::size_t i = 0; i < binds->size(); ++i) {
      const json& bind = (*binds)[i];
      const std::string where = fmt::format("binds[{}].", i);
      if (!bind.is_object()) return bad(spec, where, "must be an object with \"host\" and \"sandbox\"");
      QDRIFT_TRY(only_keys(spec, bind, where, {"host", "sandbox"}));
      auto host = string_at(spec, bind, "host", true, where);
      if (!host.ok()) return host.status();
      auto inside = string_at(spec, bind, "sandbox", true, where);
      if (!inside.ok()) return inside.status();
      std::error_code ec;
      if (!fs::exists(*host, ec)) return bad(spec, where + "host", *host + " does not exist");
      if (inside->front() != '/') return bad(spec, where + "sandbox", "must be an absolute path");
      spec.binds.push_back({fs::absolute(*host).string(), *inside});
    }
  }
  if (auto path = doc.find("path"); path != doc.end()) {
    if (!path->is_array()) return bad(spec, "path", "must be a list of directories inside the sandbox");
    for (const json& dir : *path) {
      if (!dir.is_string() || dir.get<std::string>().empty() || dir.get<std::string>().front() != '/')
        return bad(spec, "path", "every entry must be an absolute directory inside the sandbox");
      spec.path_dirs.push_back(dir.get<std::string>());
    }
  }
  return Status::Ok();
}

Result<Question> read_question(const Spec& spec, const json& row, std::size_t index, std::string& command) {
  const std::string where = fmt::format("questions[{}].", index);
  if (!row.is_object()) return bad(spec, where, "must be an object");
  QDRIFT_TRY(only_keys(spec, row, where, {"id", "question", "answer", "kind", "tolerance", "unit", "command"}));
  Question q;
  auto id = string_at(spec, row, "id", true, where);
  if (!id.ok()) return id.status();
  auto text = string_at(spec, row, "question", true, where);
  if (!text.ok()) return text.status();
  auto answer = string_at(spec, row, "answer", true, where);
  if (!answer.ok()) return answer.status();
  auto kind = string_at(spec, row, "kind", false, where);
  if (!kind.ok()) return kind.status();
  auto unit = string_at(spec, row, "unit", false, where);
  if (!unit.ok()) return unit.status();
  auto reference = string_at(spec, row, "command", false, where);
  if (!reference.ok()) return reference.status();
  q.id = *id;
  q.text = *text;
  q.gold = *answer;
  q.unit = *unit;
  command = *reference;
  const std::string k = kind->empty() ? "number" : *kind;
  if (k == "number" || k == "count") {
    q.kind = k == "count" ? AnswerKind::kCount : AnswerKind::kNumber;
    char* end = nullptr;
    std::strtod(q.gold.c_str(), &end);
    if (end == q.gold.c_str() || *end != '\0') return bad(spec, where + "answer", "must be a plain number for kind " + k);
  } else if (k == "text") {
    q.kind = AnswerKind::kText;
  } else {
    return bad(spec, where + "kind", "must be number, count or text");
  }
  if (auto tolerance = row.find("tolerance"); tolerance != row.end()) {
    if (!tolerance->is_number() || tolerance->get<double>() < 0 || q.kind != AnswerKind::kNumber)
      return bad(spec, where + "tolerance", "must be a non-negative number, for kind number only");
    q.tolerance = tolerance->get<double>();
  }
  return q;
}

Status read_questions(Spec& spec, const json& doc) {
  auto questions = doc.find("questions");
  if (questions == doc.end() || !questions->is_array() || questions->empty())
    return bad(spec, "questions", "must be a non-empty list");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < questions->size(); ++i) {
    std::string command;
    auto question = read_question(spec, (*questions)[i], i, command);
    if (!question.ok()) return question.status();
    if (!ids.insert(question->id).second)
      return bad(spec, fmt::format("questions[{}].id", i), fmt::format("'{}' is used twice", question->id));
    if (!command.empty()) spec.commands[question->id] = command;
    spec.questions.push_back(std::move(question).value());
  }
  return Status::Ok();
}

Result<Spec> parse_spec(const std::string& path, const std::string& text) {
  Spec spec;
  spec.path = path;
  spec.sha256 = sha256_hex(text);
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Status::BadInput(path + ": not a JSON object");
  QDRIFT_TRY(only_keys(spec, doc, "", {"agent_scenario", "name", "version", "summary", "data", "files", "describe",
                                       "binds", "path", "questions"}));
  if (doc["agent_scenario"] != kAgentScenarioVersion)
    return bad(spec, "agent_scenario", fmt::format("must be {} (this qdrift reads version {})", kAgentScenarioVersion,
                                                   kAgentScenarioVersion));
  for (auto [key, out] : {std::pair{"name", &spec.name}, {"version", &spec.version}, {"describe", &spec.describe}}) {
    auto value = string_at(spec, doc, key, true);
    if (!value.ok()) return value.status();
    *out = *value;
  }
  if (!is_name(spec.name)) return bad(spec, "name", "use letters, digits, _ - and . only");
  auto summary = string_at(spec, doc, "summary", false);
  if (!summary.ok()) return summary.status();
  spec.summary = summary->empty() ? "agent scenario from " + path : *summary;
  auto data = string_at(spec, doc, "data", true);
  if (!data.ok()) return data.status();
  spec.data_dir = fs::absolute(fs::path(path).parent_path() / *data).lexically_normal().string();
  std::error_code ec;
  if (!fs::is_directory(spec.data_dir, ec)) return bad(spec, "data", spec.data_dir + " is not a directory");
  QDRIFT_TRY(check_files(spec, doc.contains("files") ? doc["files"] : json()));
  QDRIFT_TRY(read_binds(spec, doc));
  QDRIFT_TRY(read_questions(spec, doc));
  return spec;
}

}  // namespace

bool is_agent_scenario_spec(std::string_view json_text) {
  const json doc = json::parse(json_text, nullptr, false);
  return doc.is_object() && doc.contains("agent_scenario");
}

Result<std::unique_ptr<Bench>> load_agent_scenario_bench(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  auto spec = parse_spec(path, *text);
  if (!spec.ok()) return spec.status();
  // The spec's sha256 (which pins the data files) joins the version, so runs
  // under different specs are never graded against each other.
  AgentBenchInfo info{spec->name, fmt::format("{}+spec.{}", spec->version, spec->sha256.substr(0, 16)), spec->summary};
  return make_agent_bench(std::move(info), std::make_shared<const UserBank>(std::move(spec).value()));
}

}  // namespace qdrift::grounded
