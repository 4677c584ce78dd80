// The logprob tripwire's metrics (DESIGN §7): teacher-forced log-probabilities of
// the same text from a baseline pass and a candidate pass, compared position by
// position in the spirit of llama.cpp's --kl-divergence report.
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "qdrift/status.h"

namespace qdrift::tripwire {

// One position of teacher-forced text: the actual token's log-probability and
// the server's top-k alternatives (which may or may not include the actual token).
struct Position {
  std::string token;
  double logprob = 0;
  std::vector<std::pair<std::string, double>> top;  // (token, logprob), any order
};

using Sequence = std::vector<Position>;

// Log-probabilities are at most 0. Every dialect's parser ends with this check:
// values up to 1e-4 above 0 are float noise from the server and become 0; a larger
// one would turn exp() into a probability above 1, or infinity, and the metrics
// into nonsense or NaN, which no trip rule catches; so the response is refused as
// malformed, naming the position.
Status check_logprobs(Sequence& sequence);

inline constexpr double kUnavailable = std::numeric_limits<double>::quiet_NaN();
inline bool available(double metric) { return !std::isnan(metric); }

// Per-position comparison of two passes over the same text. Top-1 agreement and
// KL need both passes' alternatives, keyed the same way (TGI gives none; a vLLM
// that ignores return_tokens_as_token_ids keys them by text): without them those
// two are unavailable and only the actual token's logprob is compared.
struct PositionComparison {
  bool alternatives = true;  // top1_agrees and kl are meaningful
  bool top1_agrees = false;  // the most likely token is the same in both passes
  double kl = 0;             // KL(base || cand) over base's top-k plus a tail bucket (see below)
  double delta_p = 0;        // p_cand(actual) - p_base(actual)
  double base_nll = 0;       // -log p_base(actual)
  double cand_nll = 0;
};

// KL(base || cand) estimated from top-k lists. The distribution is coarsened to
// base's top-k tokens plus one bucket for everything else; for a token missing from
// the candidate's top-k, its probability is taken as min(candidate's smallest listed
// probability, candidate's unlisted mass) — the most it can be. With exact
// probabilities the coarsened KL is a lower bound of the full KL (data-processing
// inequality); with the missing-token rule it stayed at or below the exact KL in every
// randomised trial of the tests. So it under-reports damage rather than inventing it.
// Exact when both passes list the whole support.
double top_k_kl(const Position& base, const Position& cand);

// `alternatives` false: the passes' top-k lists cannot be compared (see above).
PositionComparison compare_position(const Position& base, const Position& cand, bool alternatives = true);

// Top-1 agreement and the KL figures are kUnavailable when any position lacked
// comparable alternatives.
struct Summary {
  std::size_t positions = 0;
  double top1_agreement = 0;  // share of positions
  double mean_kl = 0;
  double median_kl = 0;
  double p90_kl = 0;
  double p99_kl = 0;
  double max_kl = 0;
  double mean_delta_p = 0;
  double rms_delta_p = 0;
  double p01_delta_p = 0;     // the worst drops in the actual token's probability
  double p99_delta_p = 0;
  double ppl_ratio = 1;       // exp(mean cand NLL - mean base NLL)
  double mean_abs_logprob_difference = 0;  // mean |log p_cand(actual) - log p_base(actual)|
};

// Compares two passes over the same sequences (equal lengths required: positions
// are matched by index). The first position of each sequence has no logprob in
// most servers' echo output and is skipped by the caller's parser, not here.
Summary summarize(const std::vector<PositionComparison>& positions);

// Per-sequence means, kept so the trip rule can pair sequences. mean_kl and
// top1_agreement are kUnavailable without comparable alternatives; the mean
// absolute logprob difference of the actual tokens is always there, and is what
// the trip rule uses then.
struct SequenceScore {
  double mean_kl = 0;
  double top1_agreement = 0;
  double mean_nll_difference = 0;  // cand - base
  double mean_abs_logprob_difference = 0;
};
SequenceScore score_sequence(const std::vector<PositionComparison>& positions);

}  // namespace qdrift::tripwire
