// Human labels for judge-check: transcripts of an exam's scenarios, each
// labelled pass or fail by a person, in a versioned JSON Lines file
// (benches/exam/labels_v1.jsonl for the built-in exam; docs/exam.md).
#pragma once

#include <string>
#include <vector>

#include "exam/exam_spec.h"
#include "qdrift/openai.h"
#include "qdrift/status.h"

namespace qdrift::exam {

inline constexpr int kJudgeLabelsSchema = 1;

struct LabelledTranscript {
  std::string scenario;               // a Scenario::id of the exam
  bool pass = false;                  // the person's label
  std::string note;                   // why, for reports
  std::vector<ChatMessage> messages;  // system, user and assistant turns
};

// Reads and checks a labels file against `exam`: a header line
// {"kind": "judge_labels", "schema": 1, "exam": NAME}, then one transcript per
// line. Errors are BadInput, one line: `PATH: line N: what`.
Result<std::vector<LabelledTranscript>> load_judge_labels(const std::string& path, const Exam& exam);

}  // namespace qdrift::exam
