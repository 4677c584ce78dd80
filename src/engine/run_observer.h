// Everything a run says while it runs goes through a RunObserver: the terminal
// one prints warnings always, notes and a redrawn progress line unless quiet;
// tests record what was said. The stages never print.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace qdrift {

// One bench's progress as its samples land, for the progress display.
struct BenchTally {
  std::string_view bench;
  std::size_t items_done = 0;  // items with every sample kept, restored ones included
  std::size_t items = 0;
  std::int64_t requests = 0;   // model requests behind this bench's samples kept by this process (an episode's turns)
  std::int64_t run_requests = 0;  // the same over every bench of the run
  // Against a comparable baseline, over the items finished so far (in any
  // order): items lost and won. Both -1 when there is no such baseline.
  std::int64_t losses = -1, wins = -1;
};

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // Said even with -q: the operator must know (code runs unsandboxed).
  virtual void warning(std::string_view line) {}
  // Said unless quiet: a dropped torn line, the tripwire's result.
  virtual void note(std::string_view line) {}
  // The sample stage begins: `total` samples, `already` of them from the checkpoint.
  virtual void samples_started(std::size_t total, std::size_t already) {}
  // One sample finished (called one at a time), with its bench's progress.
  virtual void sample_finished(const BenchTally& tally) {}
  virtual void samples_finished() {}
};

// stderr: warnings always; notes and progress when `progress`. On a terminal the
// progress is one line redrawn at most ten times a second; otherwise (a CI log)
// one line per bench at each tenth of its items and at its end.
std::unique_ptr<RunObserver> terminal_observer(bool progress);

}  // namespace qdrift
