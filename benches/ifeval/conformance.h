// Agreement of our checkers with a recorded run of the reference checker:
// IFEval's 541 prompts, GPT-4's responses to them, and the reference's strict
// and loose verdicts, all read at run time from a data folder (see
// shared/data/SOURCES.md). Used by the conformance test and
// perf/ifeval_conformance.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "qdrift/status.h"

namespace qdrift::ifeval {

struct IdAgreement {
  std::string id;
  int total = 0;         // instructions with this id
  int strict_agree = 0;  // our strict verdict equals the reference's
  int loose_agree = 0;
};

struct Disagreement {
  std::int64_t key = 0;  // the prompt's key in input_data.jsonl
  std::string id;
  bool loose = false;  // which mode
  bool ours = false;   // our verdict
  bool reference = false;
  std::string detail;  // what our strict check saw
};

struct Accuracy {
  double prompt = 0;       // share of prompts with every instruction followed
  double instruction = 0;  // share of instructions followed
};

struct ConformanceReport {
  int prompts = 0;
  int instructions = 0;
  std::vector<IdAgreement> per_id;  // sorted by id
  int strict_agree = 0;
  int loose_agree = 0;
  Accuracy ours_strict, ours_loose, reference_strict, reference_loose;
  std::vector<Disagreement> disagreements;  // by key, strict first

  double strict_agreement() const { return instructions ? double(strict_agree) / instructions : 0; }
  double loose_agreement() const { return instructions ? double(loose_agree) / instructions : 0; }
};

// The four files of `data_dir` (the ifeval folder). BadInput or Io when one
// is missing or malformed, or when a prompt has no response or verdicts.
Result<ConformanceReport> run_conformance(const std::string& data_dir);

// The per-id table, the totals and (optionally) every disagreement.
std::string format_report(const ConformanceReport& report, bool list_disagreements);

}  // namespace qdrift::ifeval
