// A custom bench spec (README "Custom benches"): a JSON file that names a
// dataset, a prompt template, and how to grade the answers, so a user adds a
// bench without writing C++. The format is versioned ("spec": 1) and strict:
// an unknown key is an error, because a misspelt optional key ("extact")
// would otherwise silently change how every item is graded.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "custom/extract_regex.h"
#include "custom/prompt_template.h"
#include "qdrift/dataset.h"
#include "qdrift/status.h"

namespace qdrift::custom {

inline constexpr int kSpecVersion = 1;

enum class AnswerType { kMultipleChoice, kShortAnswer, kNumeric };
const char* answer_type_name(AnswerType type);  // "multiple_choice", ...

struct CustomSpec {
  std::string path;    // the spec file as given, for messages
  std::string sha256;  // of the file's bytes: goes into the bench version
  std::string name;
  std::string version;  // the author's own version string
  std::string summary;  // default: "custom bench from <file>"

  // Exactly one of a local file and a dataset viewer source.
  std::string data_path;  // resolved against the spec's directory; "" when `source` is used
  LocalFormat data_format = LocalFormat::kJsonl;
  std::optional<DatasetSource> source;

  std::string id_field;  // "" = the 1-based row number
  PromptTemplate prompt;
  AnswerType type = AnswerType::kShortAnswer;
  std::string answer_field;
  // multiple_choice: a field holding a list of options, or several fields, one option each.
  std::string choices_list_field;
  std::vector<std::string> choice_fields;
  std::optional<ExtractRegex> extract;
  std::string extract_pattern;  // as written, for messages
  bool think = false;           // "mode": "think" | "no-think" (default no-think)
  int samples = 1;
  int max_tokens = 2048;
  std::string stratum_field;  // "" = not stratified
};

// Parses spec text read from `path` (which names it in errors and anchors a
// relative `data` path). Every error is BadInput, one line:
// `PATH: "key": what is wrong`.
Result<CustomSpec> parse_custom_spec(std::string_view text, const std::string& path);

// Reads and parses the file.
Result<CustomSpec> load_custom_spec(const std::string& path);

}  // namespace qdrift::custom
