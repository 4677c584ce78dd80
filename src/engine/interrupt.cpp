// The signal-watching thread: signals are blocked in every thread and taken
// here with sigtimedwait, so no work happens inside a signal handler.
#include "engine/interrupt.h"

#include <pthread.h>

#include <chrono>
#include <cstdio>

namespace qdrift {

InterruptWatch::InterruptWatch(std::function<void()> stop, std::function<void()> abort, double grace_seconds)
    : stop_(std::move(stop)), abort_(std::move(abort)), grace_seconds_(grace_seconds) {
  sigemptyset(&watched_);
  sigaddset(&watched_, SIGINT);
  sigaddset(&watched_, SIGTERM);
  sigaddset(&watched_, kWakeSignal);
  // Blocked before the thread starts, so it and the pool's threads inherit the mask.
  pthread_sigmask(SIG_BLOCK, &watched_, &previous_);
  thread_ = std::thread([this] { watch(); });
}

InterruptWatch::~InterruptWatch() {
  done_ = true;
  // Wake the watcher now rather than at its next tick: every run ends here, and
  // up to 100 ms of waiting on each would be most of a short run's wall time.
  if (thread_.joinable()) {
    pthread_kill(thread_.native_handle(), kWakeSignal);
    thread_.join();
  }
  // A signal that arrived after the work ended is still pending: take it here,
  // so unblocking does not kill the process while it writes the final file.
  timespec zero{0, 0};
  while (sigtimedwait(&watched_, nullptr, &zero) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

void InterruptWatch::watch() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point deadline{};
  bool aborted = false;
  while (!done_) {
    timespec tick{0, 100'000'000};  // 100 ms: notice done_ and the grace deadline promptly
    const int signal = sigtimedwait(&watched_, nullptr, &tick);
    if (signal == kWakeSignal) continue;  // the destructor's: look at done_
    if (signal > 0) {
      last_signal_ = signal;
      if (++signals_ == 1) {
        std::fprintf(stderr, "\nqdrift: %s: no new requests; waiting up to %.0f s for those in flight "
                     "(again to stop now)\n", signal == SIGINT ? "interrupted" : "terminated", grace_seconds_);
        deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(grace_seconds_));
        stop_();
      } else if (!aborted) {
        aborted = true;
        abort_();
      }
    }
    if (signals_ > 0 && !aborted && Clock::now() >= deadline) {
      aborted = true;
      abort_();
    }
  }
}

}  // namespace qdrift
