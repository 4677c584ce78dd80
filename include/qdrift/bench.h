// A bench is a set of items plus chat() (the request for one item) and score()
// (the grade of one response), registered by name. How `qdrift sim` plays a
// bench lives beside it, in its BenchSim (qdrift/bench_sim.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/dataset.h"
#include "qdrift/episode.h"
#include "qdrift/openai.h"
#include "qdrift/record.h"
#include "qdrift/status.h"

namespace qdrift {

struct Item {
  std::string id;          // stable across runs; items are paired on it
  std::string prompt;      // the user message
  std::string answer;      // the gold answer, normalised
  std::string stratum;     // "" when the bench is not stratified
  double weight = 1;       // full-set items this one stands for: N_h / n_h in a stratified slice
  std::string detail;      // how this run presented the item, recorded in the run file (gpqa: choice order)
};

// How a bench runs unless flags say otherwise.
struct BenchDefaults {
  bool think = false;     // reasoning on or off
  int samples = 1;        // K samples per item
  int max_tokens = 2048;  // generation cap per request
};

enum class Tier { kSmoke, kStandard, kFull };
std::optional<Tier> parse_tier(std::string_view name);
std::string tier_name(Tier tier);

struct ItemQuery {
  Tier tier = Tier::kStandard;
  std::uint64_t seed = 0;   // the run seed: benches that draw, shuffle or generate items use it
  DataOptions data;         // where dataset rows come from (--data-dir, cache, network)
};

// What a run lets a bench's scoring do (set from run / collect-baseline flags).
struct ScoringOptions {
  bool allow_unsandboxed = false;  // --allow-unsandboxed: run model-written code without bubblewrap
  std::string tool_protocol;       // --tool-protocol: "text" or "native" for an agent bench; "" = its default
  std::string judge_model;         // --judge-model: the judge a judged bench (exam) will ask; "" = none
  std::string cache_dir;           // qdrift's cache root (a judged bench keeps its verdicts there); "" = none
};

// How a bench will grade in this run, recorded in its settings and compared
// like the sampling: a baseline and a candidate must have graded the same way.
struct ScoringSetup {
  std::string code_execution;  // "sandboxed", "unsandboxed", or "" for a bench that runs no model-written code
  std::string tool_protocol;   // "text" or "native" for a bench that offers tools, else ""
  std::string judge = {};      // the judge model and its prompt's version for a judged bench, else ""
  std::vector<TraitGate> traits = {};  // a judged exam's traits and gates (recorded with the bench)
};

// A grade is never a bare number: the extracted answer and why it was judged so.
struct Score {
  bool correct = false;
  std::string answer;       // what was extracted ("" when nothing was found)
  std::string explanation;  // one short line
};

class Bench {
 public:
  virtual ~Bench() = default;
  virtual std::string name() const = 0;
  virtual std::string version() const = 0;  // bumped when prompts or scoring change
  virtual std::string summary() const = 0;  // one line for --help and listings
  virtual BenchDefaults defaults() const = 0;
  // Where its rows come from; empty for a bench that generates its items.
  virtual std::vector<DatasetSource> sources() const { return {}; }

  virtual Result<std::vector<Item>> items(const ItemQuery& query) const = 0;
  virtual std::vector<ChatMessage> chat(const Item& item) const = 0;
  virtual Score score(const Item& item, const ChatResponse& response) const = 0;
  // Called by the runner at plan time, before any request: a bench whose score()
  // needs more than the response (a sandbox for model-written code) readies it here,
  // so a run that could not grade fails before it spends GPU time. Returns how it
  // will grade (recorded in the bench's settings). Called once per run, before
  // any episode starts; score() and episodes may then run on several threads at
  // once, so they must be thread-safe.
  virtual Result<ScoringSetup> prepare_scoring(const ScoringOptions& options) const { return ScoringSetup{}; }
  // Whether its episodes ask a judge endpoint (the exam): a tier's default set
  // leaves such a bench out when no judge is configured; naming it is an error then.
  virtual bool needs_judge() const { return false; }
  // One (item, sample) as an episode. The default is one model turn asked with
  // chat() and graded by score(); a multi-turn bench returns its own.
  virtual std::unique_ptr<Episode> start_episode(const Item& item, const SamplingParams& sampling) const {
    return make_one_shot_episode(*this, item, sampling);
  }
};

// Benches by name: the built-in ones, then the custom ones registered at run
// time. The registry owns them for the life of the process.
const Bench* find_bench(std::string_view name);
std::vector<const Bench*> all_benches();
// The benches a tier runs when --bench is not given: the tier's built-in set
// plus every registered custom bench (the user asked for those by file).
std::vector<const Bench*> default_benches(Tier tier);

// Loads custom bench specs (README "Custom benches"; the same file named twice
// counts once) and makes them the registry's custom set, replacing any earlier
// set; benches a later call drops stay alive, so pointers handed out remain
// valid. Fails with BadInput, changing nothing, on a bad spec or data file, a
// name used by two specs, or a name of a built-in bench. Call it before any
// thread looks benches up: the registry is not locked.
Status register_custom_benches(const std::vector<std::string>& spec_paths);

// Adds a bench made in code (a program embedding qdrift, or a test's own): found
// by name and listed, never in a tier's default set. Fails on a name in use.
// Call it before any thread looks benches up.
Status register_bench(std::unique_ptr<Bench> bench);
std::vector<const Bench*> custom_benches();

// A stratified slice: from each stratum of `population`, round(fraction * N_h)
// items (at least one), chosen deterministically from `seed` and kept in their
// original order; each gets weight N_h / n_h so accuracy reweights to the full set.
std::vector<Item> stratified_slice(const std::vector<Item>& population, double fraction, std::uint64_t seed);

// sha256 over the exact items used (ids, prompts, answers, strata), so a
// baseline and a candidate can prove they saw the same items.
std::string items_sha256(const std::vector<Item>& items);

}  // namespace qdrift
