// Turning a writer Plan into text, given the knobs the writer tunes (how many
// filler sentences, how long, how many added words per count). Private to
// benches/ifeval (writer*.cpp).
#pragma once

#include <string>
#include <vector>

#include "ifeval/writer_filler.h"
#include "ifeval/writer_plan.h"

namespace qdrift::ifeval::writer {

struct Knobs {
  int sentences = 1;        // filler sentences in the body; the added words ride on them
  int clauses = 1;          // pool sentences run together into each filler sentence
  std::vector<int> tokens;  // per Plan::counts entry: words added to reach it
};

// Body paragraphs the plan asks for (sections, *** paragraphs, blank-line
// paragraphs), at least 1.
int paragraph_count(const Plan& plan);

// The response, laid out as
//   [request repeated] [<<title>>] [constrained answer]
//   paragraphs (a "SECTION n" line each; bullets after the first one's sentences)
//   [P.S. line] [end phrase]
// with the two-response, JSON, quotation and case wrappers applied last. The
// extra lines join their paragraph with a single newline so that only body
// paragraphs are separated by blank lines (IFEval counts those).
std::string render(const Plan& plan, const Knobs& knobs, const Filler& filler);

}  // namespace qdrift::ifeval::writer
