// Runs scoring off the HTTP pool's thread. The pool is one event loop, and its
// completion callback runs on it: a HumanEval program takes ~50 ms in the sandbox,
// during which no other transfer would be finished, retried or started, so with fast
// answers the run would be paced by scoring, one program at a time. The runner hands
// each response here instead; tasks run on a few worker threads, in any order.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace qdrift {

class ScoringQueue {
 public:
  // `workers` threads; 0 = one per core (sandboxed programs are CPU-bound).
  explicit ScoringQueue(unsigned workers = 0);
  ~ScoringQueue();  // finish()
  ScoringQueue(const ScoringQueue&) = delete;
  ScoringQueue& operator=(const ScoringQueue&) = delete;

  // Queues a task. Unbounded: a queued task holds one parsed response (kilobytes).
  void post(std::function<void()> task);
  // Runs every task posted so far (and any they post), then stops the workers.
  void finish();

 private:
  void work();
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool finishing_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace qdrift
