// The judged exam as a bench: one item per scenario, one episode per (scenario,
// seed). The model plays the scenario's scripted user turns with its own
// replies kept in the history; then a judge endpoint grades the transcript
// against the rubric, blind (judge_prompt.h).
#pragma once

#include <memory>

#include "exam/exam_spec.h"
#include "qdrift/bench.h"

namespace qdrift {

// The built-in exam (benches/exam/exam_v1.json), named `exam`.
std::unique_ptr<Bench> make_exam_bench();

namespace exam {

// An exam bench over any spec (a user's, loaded with --bench-file).
std::unique_ptr<Bench> make_exam_bench(std::shared_ptr<const Exam> exam);
// The spec behind an exam bench; null for any other bench.
const Exam* exam_of(const Bench& bench);
// Reads a user's exam spec and makes its bench; errors name the file and key.
Result<std::unique_ptr<Bench>> load_exam_bench(const std::string& path);

}  // namespace exam
}  // namespace qdrift
