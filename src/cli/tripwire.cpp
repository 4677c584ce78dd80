// `qdrift tripwire`: only the logprob tripwire against --baseline (seconds).
#include <cstdio>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>

#include "cli/commands.h"
#include "engine/interrupt.h"
#include "engine/server_kind.h"
#include "engine/tripwire_stage.h"

namespace qdrift::cli {

void setup_tripwire(CLI::App* cmd, TripwireOptions& o) {
  o.handle_signals = true;
  cmd->add_option("--baseline", o.baseline, "baseline file with a tripwire reference")->required();
  add_endpoint_flags(cmd, o.endpoint, /*model_required=*/true);
  cmd->add_option("--server", o.endpoint.server, "server kind: vllm, sglang, tgi, llamacpp, openai")->capture_default_str();
  cmd->add_option("-c,--concurrency", o.pool.concurrency, "requests kept in flight")->capture_default_str();
  cmd->add_option("--format", o.format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->add_option("--alpha", o.alpha, "false-trip rate of the paired test")->capture_default_str();
  cmd->add_flag("-v,--verbose", o.verbose,
                "print each request (server detection, logprobs) and its answer on stderr (the API key is redacted)");
  cmd->footer(
      "Exit codes: 0 within the baseline's noise floor, 1 tripped, 3 error, a server that\n"
      "cannot return prompt logprobs (llama.cpp), or stopped by Ctrl-C/SIGTERM (nothing is kept:\n"
      "run it again).");
}

Result<Outcome> run_tripwire(const TripwireOptions& o) {
  if (Status s = require_base_url(o.endpoint); !s.ok()) return s;
  auto baseline = load_run_file(o.baseline);
  if (!baseline.ok()) return baseline.status();
  if (baseline->tripwire.status != "reference")
    return Status::BadInput(fmt::format("{}: has no tripwire reference (collect the baseline with this qdrift, "
                                        "without --no-tripwire)", o.baseline));
  // As in a run: the first signal stops new requests and lets those in flight
  // finish (bounded), a second abandons them; either way exit 3.
  StopSource stop_source;
  std::optional<InterruptWatch> watch;
  if (o.handle_signals)
    watch.emplace([&stop_source] { stop_source.stop(); }, [&stop_source] { stop_source.abort(); },
                  o.interrupt_grace_s);
  const auto signalled = [&watch] { return watch && watch->interrupted(); };
  PoolOptions pool = o.pool;
  pool.stop_source = &stop_source;
  pool.verbose = o.verbose;
  const Status stopped = Status::Interrupted(
      "stopped by a signal during the tripwire probe: nothing is kept, run the same command again");
  Endpoint endpoint = o.endpoint;
  if (endpoint.server == "auto") endpoint.server = detect_server_kind(endpoint, pool);
  if (signalled()) return stopped;
  TripwireStageOptions stage{endpoint, pool, o.alpha};
  TripwireRecord probe = probe_candidate(baseline->tripwire, stage);
  if (signalled()) return stopped;
  if (probe.status == "unsupported") return Status::Endpoint("tripwire unsupported: " + probe.reason);
  if (probe.status == "absent") return Status::Internal("tripwire probe returned nothing");
  // Grade through the same path as diff, with no benches, so the figures match.
  RunFile candidate;
  candidate.config = baseline->config;  // same tier and seed: nothing to call not comparable
  candidate.tripwire = std::move(probe);
  Grade grade = grade_run(*baseline, candidate, o.alpha);
  grade.notes.clear();
  if (o.format == "json") {
    std::fputs(render_report(grade, ReportFormat::kJson).c_str(), stdout);
  } else {
    std::fputs(render_tripwire_lines(grade.tripwire).c_str(), stdout);
  }
  return grade.tripwire.status == "tripped" ? Outcome::kDegraded : Outcome::kOk;
}

}  // namespace qdrift::cli
