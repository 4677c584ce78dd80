// VirtualGpu: one scheduler thread plays the GPU's steps in virtual time and
// wakes each caller when its sequence is done.
#include "qdrift/virtual_gpu.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "util/hash.h"

namespace qdrift {

namespace {

using Clock = std::chrono::steady_clock;

// A prompt's full 16-token blocks, each hash covering the whole prefix up to it
// (as vLLM's block hashes do), so a match is always a shared prefix.
std::vector<std::uint64_t> prefix_blocks(std::string_view prompt) {
  constexpr std::size_t kBlockBytes = kPrefixBlockTokens * kBytesPerToken;
  std::vector<std::uint64_t> blocks;
  std::uint64_t chained = 0;
  for (std::size_t at = 0; at + kBlockBytes <= prompt.size(); at += kBlockBytes) {
    chained = mix64(chained ^ hash64(prompt.substr(at, kBlockBytes)));
    blocks.push_back(chained);
  }
  return blocks;
}

// Least-recently-used block hashes, up to a capacity in blocks.
class PrefixCache {
 public:
  explicit PrefixCache(std::size_t capacity) : capacity_(capacity) {}
  // Leading blocks present; each one found becomes most recently used.
  std::size_t match(const std::vector<std::uint64_t>& blocks) {
    std::size_t n = 0;
    for (; n < blocks.size(); ++n) {
      const auto found = where_.find(blocks[n]);
      if (found == where_.end()) break;
      order_.splice(order_.begin(), order_, found->second);
    }
    return n;
  }
  void insert(const std::vector<std::uint64_t>& blocks) {
    for (std::uint64_t block : blocks) {
      if (const auto found = where_.find(block); found != where_.end()) {
        order_.splice(order_.begin(), order_, found->second);
        continue;
      }
      order_.push_front(block);
      where_[block] = order_.begin();
      if (order_.size() > capacity_) {
        where_.erase(order_.back());
        order_.pop_back();
      }
    }
  }

 private:
  std::size_t capacity_;
  std::list<std::uint64_t> order_;  // most recent first
  std::unordered_map<std::uint64_t, std::list<std::uint64_t>::iterator> where_;
};

struct Sequence {
  std::vector<std::uint64_t> blocks;
  std::int64_t prompt_tokens = 0;
  std::int64_t prefill_left = 0;
  std::int64_t decode_left = 0;  // tokens after the one the prefill step produces
  std::int64_t cached_tokens = 0;
  bool finishing = false;  // its last token was computed in the step being played
  bool done = false;       // the step's time has passed: its caller may answer
};

}  // namespace

struct VirtualGpu::Impl {
  explicit Impl(VirtualGpuOptions o)
      : options(o), cache(static_cast<std::size_t>(std::max<std::int64_t>(1, o.kv_tokens / kPrefixBlockTokens))) {
    anchor_wall = Clock::now();
    thread = std::thread([this] { schedule(); });
  }
  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    work.notify_all();
    thread.join();
  }

  // Virtual time while idle: it runs with the wall clock, `speedup` times faster.
  double idle_virtual_now(Clock::time_point wall) const {
    return anchor_virtual + std::chrono::duration<double>(wall - anchor_wall).count() * options.speedup;
  }
  double step_seconds(std::int64_t decoding, std::int64_t prefill_tokens) const {
    return (options.step_ms + options.step_ms_per_seq * static_cast<double>(decoding) +
            options.prefill_ms_per_token * static_cast<double>(prefill_tokens)) /
           1000.0;
  }

  std::int64_t serve(std::string_view prompt, std::int64_t completion_tokens) {
    auto sequence = std::make_shared<Sequence>();
    sequence->blocks = prefix_blocks(prompt);
    sequence->prompt_tokens =
        std::max<std::int64_t>(1, (static_cast<std::int64_t>(prompt.size()) + kBytesPerToken - 1) / kBytesPerToken);
    sequence->decode_left = std::max<std::int64_t>(0, completion_tokens - 1);
    std::unique_lock<std::mutex> lock(mutex);
    note_arrival(*sequence);
    waiting.push_back(sequence);
    work.notify_all();
    finished.wait(lock, [&] { return sequence->done || stopping; });
    return sequence->cached_tokens;
  }

  // For the lower bound: prompt tokens no earlier request shared, and the
  // longest sequence alone.
  void note_arrival(const Sequence& s) {
    const double arrival = idle ? idle_virtual_now(Clock::now()) : virtual_now;
    if (idle && !woken_at) woken_at = arrival;
    if (!first_arrival) first_arrival = arrival;
    std::int64_t fresh = s.prompt_tokens - static_cast<std::int64_t>(s.blocks.size()) * kPrefixBlockTokens;
    for (std::uint64_t block : s.blocks) fresh += seen_blocks.insert(block).second ? kPrefixBlockTokens : 0;
    unique_prompt_tokens += fresh;
    stats.longest_completion = std::max(stats.longest_completion, s.decode_left + 1);
  }

  void admit() {
    while (static_cast<int>(running.size()) < options.max_batch && !waiting.empty()) {
      std::shared_ptr<Sequence> s = waiting.front();
      waiting.pop_front();
      const std::int64_t cached =
          std::min<std::int64_t>(static_cast<std::int64_t>(cache.match(s->blocks)) * kPrefixBlockTokens,
                                 s->prompt_tokens - 1);  // the last token is always computed
      s->cached_tokens = cached;
      s->prefill_left = s->prompt_tokens - cached;
      stats.prompt_tokens += s->prompt_tokens;
      stats.cached_prompt_tokens += cached;
      running.push_back(std::move(s));
    }
    stats.max_running = std::max(stats.max_running, static_cast<int>(running.size()));
  }

  // One step: decode a token for every prefilled sequence, prefill chunks with
  // the rest of the budget. Returns its virtual duration.
  double step() {
    std::int64_t decoding = 0;
    for (const auto& s : running) decoding += s->prefill_left == 0;
    std::int64_t budget = std::max<std::int64_t>(0, options.token_budget - decoding), prefilled = 0;
    std::vector<Sequence*> prefilled_now;
    for (const auto& s : running) {
      if (s->prefill_left == 0) {
        s->decode_left -= 1;
        stats.decode_tokens += 1;
        if (s->decode_left <= 0) s->finishing = true;
        continue;
      }
      const std::int64_t take = std::min(s->prefill_left, budget - prefilled);
      if (take <= 0) continue;
      prefilled += take;
      s->prefill_left -= take;
      if (s->prefill_left == 0) prefilled_now.push_back(s.get());
    }
    for (Sequence* s : prefilled_now) {
      cache.insert(s->blocks);
      stats.decode_tokens += 1;  // the prefill step's own token, free of decode cost
      first_tokens += 1;
      if (s->decode_left <= 0) s->finishing = true;
    }
    const double seconds = step_seconds(decoding, prefilled);
    stats.steps += 1;
    stats.busy_seconds += seconds;
    stats.batch_seconds += static_cast<double>(running.size()) * seconds;
    return seconds;
  }

  void retire() {
    for (const auto& s : running) s->done = s->finishing;
    const auto end = std::remove_if(running.begin(), running.end(), [](const auto& s) { return s->done; });
    const auto retired = std::distance(end, running.end());
    running.erase(end, running.end());
    if (retired > 0) {
      stats.sequences += retired;
      last_finish = virtual_now;
      finished.notify_all();
    }
  }

  // Steps while there is work, each taking its virtual time in wall time
  // divided by `speedup`; answers go out when their step's time has passed.
  void schedule() {
    std::unique_lock<std::mutex> lock(mutex);
    while (true) {
      work.wait(lock, [&] { return stopping || !waiting.empty() || !running.empty(); });
      if (stopping) {
        finished.notify_all();
        return;
      }
      if (idle) {  // work after a pause: virtual time ran on till the first arrival
        virtual_now = woken_at.value_or(idle_virtual_now(Clock::now()));
        woken_at.reset();
        anchor_virtual = virtual_now;
        anchor_wall = Clock::now();  // this thread's wake-up latency is not the GPU's
        idle = false;
      }
      admit();
      virtual_now += step();
      const Clock::time_point due =
          anchor_wall + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>((virtual_now - anchor_virtual) / options.speedup));
      lock.unlock();
      std::this_thread::sleep_until(due);
      lock.lock();
      retire();
      if (running.empty() && waiting.empty()) {
        idle = true;
        anchor_virtual = virtual_now;
        anchor_wall = std::max(due, Clock::now());
      }
    }
  }

  VirtualGpuStats snapshot() const {
    VirtualGpuStats out = stats;
    if (first_arrival) out.elapsed_seconds = std::max(0.0, last_finish - *first_arrival);
    // Every step costs step_ms + step_ms_per_seq × its decoding sequences +
    // prefill_ms_per_token × its prefill tokens, so summed over a run:
    //   time = steps × step_ms + step_ms_per_seq × D + prefill_ms_per_token × P,
    // with D the decode tokens and P the prompt tokens computed. No schedule
    // takes fewer steps than the longest sequence's tokens or D / max_batch, nor
    // computes fewer prompt tokens than the distinct ones.
    const std::int64_t decoded = stats.decode_tokens - first_tokens;
    const double steps = std::max(static_cast<double>(stats.longest_completion),
                                  std::ceil(static_cast<double>(decoded) / options.max_batch));
    out.lower_bound_seconds = (steps * options.step_ms + options.step_ms_per_seq * static_cast<double>(decoded) +
                               options.prefill_ms_per_token * static_cast<double>(unique_prompt_tokens)) /
                              1000.0;
    return out;
  }

  VirtualGpuOptions options;
  mutable std::mutex mutex;
  std::condition_variable work, finished;
  std::deque<std::shared_ptr<Sequence>> waiting;
  std::vector<std::shared_ptr<Sequence>> running;
  PrefixCache cache;
  std::unordered_set<std::uint64_t> seen_blocks;
  std::int64_t unique_prompt_tokens = 0;
  std::int64_t first_tokens = 0;  // tokens that came with a prefill
  VirtualGpuStats stats;
  std::optional<double> first_arrival;
  std::optional<double> woken_at;  // virtual time of the arrival that ends an idle spell
  double last_finish = 0;
  double virtual_now = 0, anchor_virtual = 0;
  Clock::time_point anchor_wall;
  bool idle = true, stopping = false;
  std::thread thread;
};

VirtualGpu::VirtualGpu(VirtualGpuOptions options) : impl_(std::make_unique<Impl>(options)) {}
VirtualGpu::~VirtualGpu() = default;

std::int64_t VirtualGpu::serve(std::string_view prompt, std::int64_t completion_tokens) {
  return impl_->serve(prompt, completion_tokens);
}

VirtualGpuStats VirtualGpu::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->snapshot();
}

const VirtualGpuOptions& VirtualGpu::options() const { return impl_->options; }

}  // namespace qdrift
