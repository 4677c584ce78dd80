// ScoringQueue: a fixed set of worker threads draining one task queue.
#include "engine/scoring_queue.h"

#include <algorithm>

namespace qdrift {

ScoringQueue::ScoringQueue(unsigned workers) {
  if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
}

ScoringQueue::~ScoringQueue() { finish(); }

void ScoringQueue::post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  ready_.notify_one();
}

void ScoringQueue::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finishing_ = true;
  }
  ready_.notify_all();
  for (std::thread& thread : threads_)
    if (thread.joinable()) thread.join();
  threads_.clear();
}

void ScoringQueue::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return finishing_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // finishing and drained
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace qdrift
