// Parsing and validating custom bench specs: every rule the README states is
// checked here, once, so the bench itself can trust its spec.
#include "custom/custom_spec.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "util/files.h"
#include "util/hash.h"
#include "util/json_text.h"

namespace qdrift::custom {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 16> kKeys = {
    "spec", "name",         "version",       "summary", "data", "source",  "id_field",   "prompt",
    "type", "answer_field", "choices_field", "extract", "mode", "samples", "max_tokens", "stratum_field"};
constexpr std::array<std::string_view, 3> kSourceKeys = {"dataset", "config", "split"};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

template <std::size_t N>
std::string unknown_key_hint(std::string_view key, const std::array<std::string_view, N>& known) {
  for (std::string_view candidate : known)
    if (edit_distance(key, candidate) <= 2) return fmt::format("did you mean \"{}\"?", candidate);
  std::string list;
  for (std::string_view candidate : known) list += (list.empty() ? "" : ", ") + std::string(candidate);
  return "known keys: " + list;
}

// Reads the keys of one spec object, each error as `PATH: "key": what`.
class Reader {
 public:
  Reader(const json& object, const std::string& path, std::string prefix = "")
      : object_(object), path_(path), prefix_(std::move(prefix)) {}

  Status error(std::string_view key, std::string_view what) const {
    return Status::BadInput(fmt::format("{}: \"{}{}\": {}", path_, prefix_, key, what));
  }
  bool has(std::string_view key) const { return object_.contains(key); }

  Status string(std::string_view key, std::string& out, bool required) const {
    auto it = object_.find(key);
    if (it == object_.end()) return required ? missing(key) : Status::Ok();
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) return error(key, "must be a non-empty string");
    out = it->get<std::string>();
    return Status::Ok();
  }
  Status positive(std::string_view key, int& out) const {
    auto it = object_.find(key);
    if (it == object_.end()) return Status::Ok();
    if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 1'000'000)
      return error(key, "must be a positive integer");
    out = it->get<int>();
    return Status::Ok();
  }
  Status missing(std::string_view key) const {
    return Status::BadInput(fmt::format("{}: \"{}{}\" is required", path_, prefix_, key));
  }

 private:
  const json& object_;
  const std::string& path_;
  std::string prefix_;
};

Status read_data_or_source(const json& doc, const Reader& read, CustomSpec& spec) {
  if (doc.contains("data") && doc.contains("source"))
    return read.error("source", "give \"data\" or \"source\", not both");
  if (!doc.contains("data") && !doc.contains("source")) return read.missing("data\" or \"source");
  if (doc.contains("data")) {
    std::string data;
    QDRIFT_TRY(read.string("data", data, true));
    const std::filesystem::path file(data);
    const std::string extension = file.extension().string();
    if (extension == ".jsonl" || extension == ".ndjson") {
      spec.data_format = LocalFormat::kJsonl;
    } else if (extension == ".csv") {
      spec.data_format = LocalFormat::kCsv;
    } else {
      return read.error("data", fmt::format("'{}' is neither .jsonl nor .csv", data));
    }
    // Relative to the spec, so a spec and its data move together.
    spec.data_path =
        file.is_absolute() ? data : (std::filesystem::path(spec.path).parent_path() / file).lexically_normal().string();
    return Status::Ok();
  }
  const json& source = doc["source"];
  if (!source.is_object()) return read.error("source", "must be an object {\"dataset\", \"config\", \"split\"}");
  for (const auto& [key, value] : source.items())
    if (std::find(kSourceKeys.begin(), kSourceKeys.end(), key) == kSourceKeys.end())
      return read.error("source." + key, "unknown key (" + unknown_key_hint(key, kSourceKeys) + ")");
  Reader in_source(source, spec.path, "source.");
  DatasetSource s;
  s.config = "default";
  QDRIFT_TRY(in_source.string("dataset", s.dataset, true));
  QDRIFT_TRY(in_source.string("config", s.config, false));
  QDRIFT_TRY(in_source.string("split", s.split, true));
  spec.source = std::move(s);
  return Status::Ok();
}

Status read_choices(const json& doc, const Reader& read, CustomSpec& spec) {
  const bool multiple_choice = spec.type == AnswerType::kMultipleChoice;
  if (!multiple_choice) {
    if (doc.contains("choices_field")) return read.error("choices_field", "only for \"type\": \"multiple_choice\"");
    return Status::Ok();
  }
  if (!doc.contains("choices_field")) return read.missing("choices_field");
  const json& choices = doc["choices_field"];
  if (choices.is_string() && !choices.get_ref<const std::string&>().empty()) {
    spec.choices_list_field = choices.get<std::string>();
  } else if (choices.is_array() && choices.size() >= 2 && choices.size() <= 26 &&
             std::all_of(choices.begin(), choices.end(),
                         [](const json& f) { return f.is_string() && !f.get_ref<const std::string&>().empty(); })) {
    spec.choice_fields = choices.get<std::vector<std::string>>();
  } else {
    return read.error("choices_field", "must name a list field, or be a list of 2 to 26 field names");
  }
  // The letters are qdrift's, so qdrift must show them: the options are rendered at {choices}.
  if (!spec.prompt.uses("choices")) return read.error("prompt", "a multiple_choice prompt must contain {choices}");
  return Status::Ok();
}

}  // namespace

const char* answer_type_name(AnswerType type) {
  switch (type) {
    case AnswerType::kMultipleChoice:
      return "multiple_choice";
    case AnswerType::kShortAnswer:
      return "short_answer";
    case AnswerType::kNumeric:
      return "numeric";
  }
  return "short_answer";
}

Result<CustomSpec> parse_custom_spec(std::string_view text, const std::string& path) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range 406 for a huge number
    return Status::BadInput(fmt::format("{}: invalid JSON: {}", path, json_error_text(e)));
  }
  if (!doc.is_object()) return Status::BadInput(fmt::format("{}: a bench spec is a JSON object", path));
  for (const auto& [key, value] : doc.items())
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end())
      return Status::BadInput(fmt::format("{}: unknown key \"{}\" ({})", path, key, unknown_key_hint(key, kKeys)));

  CustomSpec spec;
  spec.path = path;
  spec.sha256 = sha256_hex(text);
  const Reader read(doc, path);
  if (!doc.contains("spec")) return read.missing("spec");
  if (!doc["spec"].is_number_integer() || doc["spec"].get<long long>() != kSpecVersion)
    return read.error("spec", fmt::format("format version {} is not supported (this qdrift reads {})",
                                          doc["spec"].dump(), kSpecVersion));

  QDRIFT_TRY(read.string("name", spec.name, true));
  if (spec.name.size() > 64 || !std::all_of(spec.name.begin(), spec.name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
      }))
    return read.error("name", "use letters, digits, '_', '-' and '.' (it names the bench on the command line)");
  QDRIFT_TRY(read.string("version", spec.version, true));
  spec.summary = "custom bench from " + std::filesystem::path(path).filename().string();
  QDRIFT_TRY(read.string("summary", spec.summary, false));
  QDRIFT_TRY(read_data_or_source(doc, read, spec));
  QDRIFT_TRY(read.string("id_field", spec.id_field, false));

  std::string prompt;
  QDRIFT_TRY(read.string("prompt", prompt, true));
  Result<PromptTemplate> parsed = PromptTemplate::parse(prompt);
  if (!parsed.ok()) return read.error("prompt", parsed.status().message());
  spec.prompt = std::move(parsed).value();

  std::string type;
  QDRIFT_TRY(read.string("type", type, true));
  if (type == "multiple_choice") {
    spec.type = AnswerType::kMultipleChoice;
  } else if (type == "short_answer") {
    spec.type = AnswerType::kShortAnswer;
  } else if (type == "numeric") {
    spec.type = AnswerType::kNumeric;
  } else {
    return read.error("type", fmt::format("unknown type '{}' (multiple_choice, short_answer, numeric)", type));
  }
  QDRIFT_TRY(read.string("answer_field", spec.answer_field, true));
  QDRIFT_TRY(read_choices(doc, read, spec));

  QDRIFT_TRY(read.string("extract", spec.extract_pattern, false));
  if (!spec.extract_pattern.empty()) {
    Result<ExtractRegex> regex = ExtractRegex::compile(spec.extract_pattern);
    if (!regex.ok()) return read.error("extract", regex.status().message());
    spec.extract = std::move(regex).value();
  }
  std::string mode = "no-think";
  QDRIFT_TRY(read.string("mode", mode, false));
  if (mode != "think" && mode != "no-think")
    return read.error("mode", fmt::format("'{}' is neither \"think\" nor \"no-think\"", mode));
  spec.think = mode == "think";
  QDRIFT_TRY(read.positive("samples", spec.samples));
  QDRIFT_TRY(read.positive("max_tokens", spec.max_tokens));
  QDRIFT_TRY(read.string("stratum_field", spec.stratum_field, false));
  return spec;
}

Result<CustomSpec> load_custom_spec(const std::string& path) {
  Result<std::string> text = read_file(path);
  if (!text.ok()) return text.status();
  return parse_custom_spec(*text, path);
}

}  // namespace qdrift::custom
