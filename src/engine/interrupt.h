// Ctrl-C and SIGTERM during a run. The first signal stops new requests and gives
// those in flight a bounded time to finish (their samples reach the checkpoint);
// a second signal, or the end of that time, abandons them. Every checkpoint line
// is written and flushed whole, so even an abandoned run resumes cleanly.
#pragma once

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace qdrift {

// SIGUSR1 is blocked while a watch lives and only wakes its thread to end it.
inline constexpr int kWakeSignal = SIGUSR1;

class InterruptWatch {
 public:
  // `stop` asks the work to stop pulling; `abort` abandons what is in flight.
  // Both are called from the watching thread.
  InterruptWatch(std::function<void()> stop, std::function<void()> abort, double grace_seconds);
  ~InterruptWatch();  // stops watching and restores the signal mask
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

  bool interrupted() const { return signals_.load() > 0; }
  int signal_number() const { return last_signal_.load(); }

 private:
  void watch();

  std::function<void()> stop_, abort_;
  double grace_seconds_;
  sigset_t watched_{}, previous_{};
  std::atomic<int> signals_{0}, last_signal_{0};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace qdrift
