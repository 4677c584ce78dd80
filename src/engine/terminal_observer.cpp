// The terminal observer: a one-line progress display on stderr.
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "engine/run_observer.h"

namespace qdrift {

namespace {

class TerminalObserver final : public RunObserver {
 public:
  explicit TerminalObserver(bool progress) : notes_(progress), redraw_(progress && ::isatty(STDERR_FILENO)) {}

  void warning(std::string_view line) override { print_line(line); }
  void note(std::string_view line) override {
    if (notes_) print_line(line);
  }
  void samples_started(std::size_t total, std::size_t already) override {
    total_ = total;
    done_ = start_done_ = already;
    start_ = std::chrono::steady_clock::now();
  }
  void sample_finished(std::string_view bench) override {
    ++done_;
    if (!redraw_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done_ != total_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done_ - start_done_) / seconds : 0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
    std::fprintf(stderr, "\r\033[K%.*s  %zu/%zu samples  %.1f/s  ETA %.0fs", static_cast<int>(bench.size()),
                 bench.data(), done_, total_, rate, eta);
    std::fflush(stderr);
    drawn_ = true;
  }
  void samples_finished() override { clear(); }

 private:
  void clear() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
    drawn_ = false;
  }
  void print_line(std::string_view line) {
    clear();
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  }

  bool notes_, redraw_;
  bool drawn_ = false;
  std::size_t total_ = 0, done_ = 0, start_done_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

std::unique_ptr<RunObserver> terminal_observer(bool progress) { return std::make_unique<TerminalObserver>(progress); }

}  // namespace qdrift
