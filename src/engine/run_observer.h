// Everything a run says while it runs goes through a RunObserver: the terminal
// one prints warnings always, notes and a redrawn progress line unless quiet;
// tests record what was said. The stages never print.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace qdrift {

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // Said even with -q: the operator must know (code runs unsandboxed).
  virtual void warning(std::string_view line) {}
  // Said unless quiet: a dropped torn line, the tripwire's result.
  virtual void note(std::string_view line) {}
  // The sample stage begins: `total` samples, `already` of them from the checkpoint.
  virtual void samples_started(std::size_t total, std::size_t already) {}
  // One sample finished (called one at a time).
  virtual void sample_finished(std::string_view bench) {}
  virtual void samples_finished() {}
};

// stderr: warnings always; notes when `progress`; the progress line only when
// `progress` and stderr is a terminal, redrawn at most ten times a second.
std::unique_ptr<RunObserver> terminal_observer(bool progress);

}  // namespace qdrift
