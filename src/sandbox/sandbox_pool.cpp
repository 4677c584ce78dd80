// run_all: a fixed set of worker threads, each taking the next program from a shared
// counter until none are left.
#include <algorithm>
#include <atomic>
#include <thread>

#include "qdrift/sandbox.h"

namespace qdrift {

std::vector<Result<SandboxRun>> run_all(const Sandbox& sandbox, const std::vector<std::string>& programs) {
  std::vector<Result<SandboxRun>> results(programs.size(), Status::Internal("sandbox: not run"));
  const unsigned workers =
      std::max(1u, std::min<unsigned>(sandbox.options().workers, static_cast<unsigned>(programs.size())));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < programs.size(); i = next++) results[i] = sandbox.run(programs[i]);
  };
  std::vector<std::thread> threads;
  for (unsigned worker = 1; worker < workers; ++worker) threads.emplace_back(work);
  work();
  for (std::thread& thread : threads) thread.join();
  return results;
}

}  // namespace qdrift
