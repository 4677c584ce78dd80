// The terminal observer: progress on stderr, redrawn in place on a terminal and
// as a line per tenth of each bench in a log.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "engine/run_observer.h"

namespace qdrift {

namespace {

// "42s", "3m05s", "1h12m"
std::string duration_text(double seconds) {
  const auto s = static_cast<long>(seconds + 0.5);
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

class TerminalObserver final : public RunObserver {
 public:
  explicit TerminalObserver(bool progress) : progress_(progress), redraw_(progress && ::isatty(STDERR_FILENO)) {}

  void warning(std::string_view line) override { print_line(line); }
  void note(std::string_view line) override {
    if (progress_) print_line(line);
  }
  void samples_started(std::size_t total, std::size_t already) override {
    total_ = total;
    done_ = start_done_ = already;
    start_ = std::chrono::steady_clock::now();
  }
  void sample_finished(const BenchTally& tally) override {
    ++done_;
    if (!progress_) return;
    const auto now = std::chrono::steady_clock::now();
    if (redraw_) {
      if (done_ != total_ && now - last_ < std::chrono::milliseconds(100)) return;
      last_ = now;
      std::fprintf(stderr, "\r\033[K%s", status(tally, now).c_str());
      std::fflush(stderr);
      drawn_ = true;
      return;
    }
    // A log: a line when the bench passes each tenth of its items, and at its end.
    const std::size_t tenth = tally.items == 0 ? 10 : 10 * tally.items_done / tally.items;
    std::size_t& printed = tenths_[std::string(tally.bench)];
    if (tenth <= printed) return;
    printed = tenth;
    print_line(status(tally, now));
  }
  void samples_finished() override { clear(); }

 private:
  // "gsm8k 528/1319 items (40%) · 3 losses, 1 win vs baseline · 85 req/s · ETA 1m12s"
  std::string status(const BenchTally& t, std::chrono::steady_clock::time_point now) const {
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double samples_per_s = seconds > 0 ? static_cast<double>(done_ - start_done_) / seconds : 0;
    std::string line = fmt::format("{} {}/{} items ({:.0f}%)", t.bench, t.items_done, t.items,
                                   t.items ? 100.0 * static_cast<double>(t.items_done) / static_cast<double>(t.items) : 100);
    if (t.losses >= 0)
      line += fmt::format(" · {} loss{}, {} win{} vs baseline", t.losses, t.losses == 1 ? "" : "es", t.wins,
                          t.wins == 1 ? "" : "s");
    line += fmt::format(" · {:.0f} req/s", seconds > 0 ? static_cast<double>(t.run_requests) / seconds : 0.0);
    if (done_ < total_ && samples_per_s > 0)
      line += " · ETA " + duration_text(static_cast<double>(total_ - done_) / samples_per_s);
    return line;
  }
  void clear() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
    drawn_ = false;
  }
  void print_line(std::string_view line) {
    clear();
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  }

  bool progress_, redraw_;
  bool drawn_ = false;
  std::size_t total_ = 0, done_ = 0, start_done_ = 0;
  std::map<std::string, std::size_t> tenths_;     // per bench, the last tenth printed (logs)
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

std::unique_ptr<RunObserver> terminal_observer(bool progress) { return std::make_unique<TerminalObserver>(progress); }

}  // namespace qdrift
