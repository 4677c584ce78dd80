#include "qdrift/virtual_gpu.h"

#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

using qdrift::VirtualGpu;
using qdrift::VirtualGpuOptions;

namespace {

VirtualGpuOptions fast() {
  VirtualGpuOptions o;
  o.speedup = 1000;  // a virtual second in a wall millisecond
  return o;
}

const std::string kPrompt(640, 'p');  // 160 tokens, 10 blocks of 16

}  // namespace

TEST_CASE("a sequence alone: one prefill step, then a decode step per token", "[sim][gpu]") {
  VirtualGpu gpu(fast());
  CHECK(gpu.serve(kPrompt, 101) == 0);
  const auto s = gpu.stats();
  CHECK(s.steps == 101);
  CHECK(s.decode_tokens == 101);
  CHECK(s.sequences == 1);
  CHECK(s.prompt_tokens == 160);
  // 12 ms + 160 × 0.05 ms to prefill, then 100 steps of 12 + 0.06 ms.
  CHECK(s.busy_seconds == Approx(0.020 + 100 * 0.01206));
  CHECK(s.batch_seconds == Approx(s.busy_seconds));
  // Alone, the sequence is its own lower bound, and the GPU met it.
  CHECK(s.lower_bound_seconds == Approx(s.busy_seconds));
  CHECK(s.elapsed_seconds == Approx(s.busy_seconds).epsilon(0.05));
}

TEST_CASE("the prefix cache serves a prompt's blocks seen before, but never its last token", "[sim][gpu]") {
  VirtualGpu gpu(fast());
  gpu.serve(kPrompt, 2);
  CHECK(gpu.serve(kPrompt, 2) == 159);
  CHECK(gpu.serve(kPrompt + std::string(64, 'q'), 2) == 160);  // the shared 10 blocks; the new one is computed
  CHECK(gpu.serve(std::string(640, 'x'), 2) == 0);
  CHECK(gpu.stats().cached_prompt_tokens == 319);

  VirtualGpuOptions tiny = fast();
  tiny.kv_tokens = 160;  // room for one prompt's blocks: the next prompt evicts them
  VirtualGpu small(tiny);
  small.serve(kPrompt, 2);
  small.serve(std::string(640, 'x'), 2);
  CHECK(small.serve(kPrompt, 2) == 0);
}

TEST_CASE("sequences share steps up to the maximum batch", "[sim][gpu]") {
  VirtualGpuOptions o = fast();
  o.max_batch = 4;
  o.speedup = 20;  // slow enough that eight threads starting count as arriving together
  VirtualGpu gpu(o);
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i)
    clients.emplace_back([&gpu, i] { gpu.serve(std::string(640, static_cast<char>('a' + i)), 50); });
  for (auto& c : clients) c.join();
  const auto s = gpu.stats();
  CHECK(s.sequences == 8);
  CHECK(s.max_running == 4);
  CHECK(s.decode_tokens == 8 * 50);
  // Two waves of about 50 steps each, four sequences in every step.
  CHECK(s.steps >= 100);
  CHECK(s.steps <= 110);
  CHECK(s.batch_seconds / s.busy_seconds == Approx(4).epsilon(0.1));
  // Full batches are a quarter of the lower bound's price per token, so the bound sits below.
  CHECK(s.lower_bound_seconds < s.busy_seconds);
}
