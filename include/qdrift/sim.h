// The simulated endpoint (DESIGN §9): a real HTTP server on loopback speaking
// vLLM's response shapes, serving a model whose per-item skill a variant lowers
// (mostly on items with a small margin, as quantization does) and whose
// sampling noise makes two runs disagree like a real non-deterministic serve.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qdrift/status.h"
#include "qdrift/virtual_gpu.h"

namespace qdrift {

class SimCatalog;

// The unusable 200 bodies `--garbage-rate` sends: an HTML error page, JSON cut
// in half, no choices, null content, empty content (and no reasoning), content
// that is a number, choices that is an object, answer bytes that are not UTF-8,
// and a body just over the cap qdrift sets for the request (chat_response_cap).
inline constexpr std::string_view kSimGarbageKinds[] = {
    "html", "cut", "no-choices", "null-content", "empty-content", "number-content", "object-choices", "bad-utf8",
    "oversize"};

inline constexpr int kBatchNoiseHoldMs = 5;

// Under --gpu, reasoning is this many times longer than the plain sim's (median
// 1,500 to 6,000 tokens by difficulty, with a log-normal tail reaching a 32k cap),
// and answers without reasoning take a median of kGpuAnswerTokens tokens.
inline constexpr double kGpuReasoningScale = 10;
inline constexpr double kGpuReasoningSpread = 1.0;  // sigma of the log-normal (0.5 without --gpu)
inline constexpr double kGpuAnswerTokens = 150;

struct SimOptions {
  std::string variant = "fp16";         // fp16 | int4 | broken
  std::optional<double> degrade;        // overrides the variant's damage (0 none, 0.2 ~ int4, 2+ broken)
  std::uint64_t seed = 0;               // the server's own sampling noise
  std::string model_name = "qdrift-sim";
  int latency_ms = 0;                   // a fixed delay added to every chat and logprobs response
  double fail_rate = 0;                 // share of chat requests answered with HTTP 500
  double drop_rate = 0;                 // share whose connection is closed mid-response
  double garbage_rate = 0;              // share answered 200 with an unusable body, of garbage_kinds in turn
  std::vector<std::string> garbage_kinds;  // a subset of kSimGarbageKinds; empty = all of them
  double stall_rate = 0;                // share held for stall_ms before the answer (latency spikes)
  int stall_ms = 3000;
  std::string api_key;                  // when set, requests must send "Authorization: Bearer <key>"
  std::string reasoning_field = "reasoning";  // reasoning | reasoning_content | think-tags
  std::string data_dir;                 // dataset benches' local files (as run --data-dir)
  std::string cache_dir;                // "" = qdrift's default dataset cache
  std::vector<std::string> bench_files; // custom bench specs; `qdrift sim` registers them before serving
  bool echo_logprobs = true;            // false: echo + logprobs is refused (400), prompt_logprobs works
  bool refuse_tools = false;            // a request with `tools` gets vLLM's 400 for a server without tool calling
  bool judge = false;                   // --judge: answer every chat request as the exam's judge (exam/exam_sim.h)
  double judge_noise = 0.005;           // --judge-noise: share of verdicts the sim judge reverses
  // --batch-noise: a chat answer depends on the batch it is computed in, as on a
  // server that is not batch invariant. Alone it is exact; each request is held
  // kBatchNoiseHoldMs so that concurrent ones share a batch.
  bool batch_noise = false;
  // --gpu: answer with the timing of one GPU serving the model (qdrift/virtual_gpu.h),
  // and think for as long as a reasoning model does (kGpuReasoningScale).
  bool gpu = false;
  VirtualGpuOptions gpu_options;
  std::string host = "127.0.0.1";
  int port = 0;                         // 0 picks a free port
};

// How much a variant hurts: the logit shift on marginal items, on all items,
// and the chance of rambling into the token cap.
struct SimDamage {
  double focused = 0;   // shift at margin 0, fading with |margin|
  double uniform = 0;   // shift on every item
  double ramble = 0.005;
};
Result<SimDamage> sim_damage(const SimOptions& options);

// What a chat request gets back: HTTP status and body.
struct SimReply {
  int status = 200;
  std::string body;
  // Under --gpu, what the answer costs the virtual GPU: the prompt as the chat
  // template lays it out (every message), and the tokens it generates.
  std::string gpu_prompt{};
  std::int64_t gpu_tokens{};
};

// One position of teacher-forced text under the simulated model: the actual
// token and the full next-token distribution (33 tokens: the actual one and 32
// others), sorted most likely first, as log-probabilities.
struct SimTokenDistribution {
  std::string actual;
  std::vector<std::pair<std::string, double>> logprobs;
};

// The simulator's token id: a hash of the token text, as SGLang, TGI and vLLM's
// return_tokens_as_token_ids report ids.
long long sim_token_id(const std::string& token);

// The largest `logprobs` a completions request may ask for, as vLLM's default cap.
inline constexpr int kSimMaxLogprobs = 20;

// The simulated model itself, without HTTP: deterministic in (options, request body).
class SimModel {
 public:
  SimModel(SimOptions options, SimDamage damage);
  // `batch_draw` (0 when the request was alone) moves its sample's random draw
  // part of the way: items near the edge of right and wrong answer differently.
  SimReply chat(const std::string& request_body, std::uint64_t batch_draw = 0) const;
  // POST /v1/completions with echo + logprobs, vLLM's legacy shape.
  SimReply completions(const std::string& request_body) const;
  // POST /generate with return_logprob and logprob_start_len 0, SGLang's shape.
  SimReply sglang_generate(const std::string& request_body) const;
  // POST /generate with {"inputs", "parameters": {details, decoder_input_details}}, TGI's shape.
  SimReply tgi_generate(const std::string& request_body) const;
  // The exact distributions behind completions(), for tests of the estimators.
  // Words (with their leading space) are the tokens; the first has no distribution.
  std::vector<SimTokenDistribution> prompt_distributions(const std::string& text, std::int64_t request_seed = 0) const;
  std::string models_body() const;

 // The dataset benches it can answer, and those it cannot (data not local), for its banner.
  std::vector<std::string> served_benches() const;
  std::vector<std::string> skipped_benches() const;

 private:
  SimOptions options_;
  SimDamage damage_;
  std::shared_ptr<const SimCatalog> catalog_;  // shared: copies of a model reuse the index
};

class SimServer {
 public:
  static Result<std::unique_ptr<SimServer>> start(const SimOptions& options);
  ~SimServer();
  int port() const;
  std::string base_url() const;  // http://HOST:PORT/v1
  const SimModel& model() const;
  void stop();

  struct Impl;

 private:
  explicit SimServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace qdrift
