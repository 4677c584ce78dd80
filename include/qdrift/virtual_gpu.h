// A virtual GPU for `qdrift sim --gpu`: the timing of a continuously batched
// server (vLLM's scheduler, simplified), so that a client's request order can be
// measured against what a real server would do with it.
//
// Each step decodes one token for every running sequence and spends what is
// left of a token budget on prefill chunks (chunked prefill). A step costs
//   step_ms + step_ms_per_seq × decoding sequences + prefill_ms_per_token × prefill tokens.
// Sequences join between steps up to max_batch, first come first served. A
// prompt's leading 16-token blocks already in the prefix cache (LRU over
// kv_tokens) are not prefilled again. Virtual time runs `speedup` times faster
// than the wall clock, so a perf program can play an hour of GPU time in a minute.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace qdrift {

// Defaults: roughly one 80 GB GPU serving an 8B model in bf16 (docs/performance.md).
struct VirtualGpuOptions {
  int max_batch = 256;                 // vLLM's max_num_seqs
  double step_ms = 12;                 // a decode step with one sequence
  double step_ms_per_seq = 0.06;       // added per decoding sequence (256: 27 ms a step)
  double prefill_ms_per_token = 0.05;  // ~20k prompt tokens/s
  int token_budget = 8192;             // tokens one step may process (max_num_batched_tokens)
  std::int64_t kv_tokens = 400000;     // KV cache, and so the prefix cache, in tokens
  double speedup = 1;                  // virtual seconds per wall second
};

inline constexpr int kPrefixBlockTokens = 16;
inline constexpr int kBytesPerToken = 4;  // the sim's token estimate for prompts

struct VirtualGpuStats {
  double busy_seconds = 0;         // virtual time with at least one sequence running
  double elapsed_seconds = 0;      // virtual time from the first arrival to the last finish
  double batch_seconds = 0;        // running sequences integrated over virtual time
  std::int64_t steps = 0;
  std::int64_t sequences = 0;      // finished
  std::int64_t decode_tokens = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t cached_prompt_tokens = 0;  // served from the prefix cache
  std::int64_t longest_completion = 0;    // tokens
  int max_running = 0;
  // The least virtual time the work seen so far could take on this GPU in any
  // order: max(longest sequence's tokens, decode tokens / max_batch) steps at
  // step_ms, plus step_ms_per_seq per decode token, plus every distinct prompt
  // token prefilled once (docs/performance.md#time-to-verdict-on-a-gpu).
  double lower_bound_seconds = 0;
};

class VirtualGpu {
 public:
  explicit VirtualGpu(VirtualGpuOptions options);
  ~VirtualGpu();
  VirtualGpu(const VirtualGpu&) = delete;
  VirtualGpu& operator=(const VirtualGpu&) = delete;

  // Blocks the calling thread until a sequence with this prompt has been
  // prefilled and has decoded `completion_tokens` tokens; returns the prompt
  // tokens the prefix cache served.
  std::int64_t serve(std::string_view prompt, std::int64_t completion_tokens);
  VirtualGpuStats stats() const;
  const VirtualGpuOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qdrift
