// ScoringQueue: every task runs, off the posting thread, several at once, and
// finish() returns only when all of them (and any they post) are done.
#include "engine/scoring_queue.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>

using namespace qdrift;

TEST_CASE("the scoring queue runs every task off the caller's thread before finish returns", "[runner][humaneval]") {
  std::atomic<int> done{0}, on_caller{0}, running{0}, most_at_once{0};
  const auto caller = std::this_thread::get_id();
  {
    ScoringQueue queue(2);
    for (int i = 0; i < 20; ++i)
      queue.post([&] {
        const int now = ++running;
        for (int seen = most_at_once; now > seen && !most_at_once.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // a sandbox run, scaled down
        on_caller += std::this_thread::get_id() == caller;
        --running;
        ++done;
      });
    queue.post([&] { queue.post([&] { ++done; }); });  // posted from a task: still run
    queue.finish();
    CHECK(done == 21);
    queue.finish();  // idempotent; the destructor calls it again
  }
  CHECK(on_caller == 0);
  CHECK(most_at_once == 2);  // the pool's thread would have run them one by one
}
