// The process-wide HumanEval sandbox, made lazily under a mutex.
#include "humaneval/shared_sandbox.h"

#include <cstdlib>
#include <memory>
#include <mutex>

namespace qdrift::humaneval {

namespace {

std::mutex sandbox_mutex;
// Never destroyed while scoring threads may hold the pointer: it lives to process exit.
std::unique_ptr<Sandbox> shared;

Status refusal(const std::string& reason) {
  return Status::Usage("humaneval: " + reason +
                       "; refusing to run model-written code without a sandbox (leave humaneval out with --bench, "
                       "or pass --allow-unsandboxed to run it anyway on a machine you can afford to lose)");
}

// Sandbox::Create's message starts "sandbox: <cause>; refusing ..."; keep the cause.
std::string cause(const std::string& message) {
  std::string text = message.rfind("sandbox: ", 0) == 0 ? message.substr(9) : message;
  return text.substr(0, text.find("; refusing"));
}

}  // namespace

std::string bwrap_path() {
  const char* path = std::getenv("QDRIFT_BWRAP");
  return path && *path ? path : SandboxOptions().bwrap_path;
}

Result<const Sandbox*> prepare_sandbox(bool allow_unsandboxed) {
  std::lock_guard<std::mutex> lock(sandbox_mutex);
  if (shared) {
    if (!shared->sandboxed() && !allow_unsandboxed) return refusal(shared->unsandboxed_reason());
    return shared.get();
  }
  SandboxOptions options;
  options.bwrap_path = bwrap_path();
  options.allow_unsandboxed = allow_unsandboxed;
  Result<Sandbox> made = Sandbox::Create(options);
  if (!made.ok()) {
    const std::string& message = made.status().message();
    // Only the refusal names --allow-unsandboxed; a missing python3 is its own error.
    if (message.find("refusing to run model-written code") != std::string::npos) return refusal(cause(message));
    return Status::Usage("humaneval: " + message);
  }
  shared = std::make_unique<Sandbox>(std::move(made).value());
  return shared.get();
}

Result<const Sandbox*> scoring_sandbox() {
  {
    std::lock_guard<std::mutex> lock(sandbox_mutex);
    if (shared) return shared.get();
  }
  return prepare_sandbox(false);
}

}  // namespace qdrift::humaneval
