// Is the server itself deterministic? `qdrift noise` asks the same prompts at
// temperature 0 with fixed seeds, twice alone and twice inside a full batch; this
// compares the rounds and says what the differences mean for a flip rate.
#pragma once

#include <string>
#include <vector>

namespace qdrift {

// One probe prompt's answer in one round.
struct ProbeAnswer {
  std::string text;                 // the content (reasoning ahead of it when there is any)
  std::vector<std::string> tokens;  // from logprobs.content when the server sent them
  std::vector<double> logprobs;     // each token's logprob, beside `tokens`
  bool correct = false;             // graded by the probe's bench
  bool failed = false;              // no usable answer: left out of every comparison
};

// Two rounds of the same prompts, prompt by prompt.
struct RoundComparison {
  int compared = 0;   // prompts answered in both rounds
  int identical = 0;  // of those, with identical text
  int flipped = 0;    // of those, graded right in one round and wrong in the other
  // Where each differing pair first differs: the token index (the server's tokens
  // when both rounds have them, else whitespace-separated words).
  std::vector<double> first_divergence;
  // |logprob of round a's token − logprob of round b's token| there, when both have logprobs.
  std::vector<double> logprob_gaps;
  double identical_share() const;
  double flip_share() const;
};
RoundComparison compare_rounds(const std::vector<ProbeAnswer>& a, const std::vector<ProbeAnswer>& b);

struct NoiseFindings {
  RoundComparison alone;    // alone, first round against the second
  RoundComparison batched;  // in a batch, first against second
  RoundComparison across;   // alone (first) against in a batch (first)
};

// What the findings mean, in a few lines: which case the server is in, what
// fixes it, and the flip rate to expect between two runs at temperature 0.
std::string noise_diagnosis(const NoiseFindings& findings);

}  // namespace qdrift
