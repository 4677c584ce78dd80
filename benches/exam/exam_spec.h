// An exam: scenarios a judge grades against a rubric, grouped into traits with
// a gate each (docs/exam.md). A JSON spec, versioned ("exam": 1) and strict
// like custom bench specs: the built-in exam (exam_v1.json, compiled in) and a
// user's own (--bench-file) are read by the same parser.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "qdrift/status.h"

namespace qdrift::exam {

inline constexpr int kExamSpecVersion = 1;

struct Trait {
  std::string id;    // "T1"
  std::string name;  // what it measures, for reports
  double gate = 0;   // percent of its scenarios that must pass
};

struct Scenario {
  std::string id;
  std::string trait;                // a Trait::id
  std::string system;               // the system prompt ("" sends none)
  std::vector<std::string> turns;   // scripted user turns; the model's replies stay between them
  std::vector<std::string> rubric;  // pass criteria, each checkable from the transcript
  std::string reference;            // optional: an example of a passing final reply
};

struct Exam {
  std::string origin;  // the file it came from ("built-in" for the compiled-in exam)
  std::string sha256;  // of the spec's bytes: recorded in the bench version
  std::string name, version, summary;
  int seeds = 3;          // samples per scenario
  int pass_at_least = 2;  // passing seeds a scenario needs
  std::vector<Trait> traits;
  std::vector<Scenario> scenarios;

  const Scenario* find(std::string_view id) const;
  const Trait* trait(std::string_view id) const;
};

// Whether JSON text is an exam spec (it has the "exam" key), so --bench-file
// can tell it from the other kinds.
bool is_exam_spec(std::string_view json_text);

// Parses and checks a spec; errors are BadInput, one line: `ORIGIN: "key": what`.
Result<Exam> parse_exam(std::string_view text, const std::string& origin);

// The exam compiled into qdrift (benches/exam/exam_v1.json).
const Exam& built_in_exam();

}  // namespace qdrift::exam
