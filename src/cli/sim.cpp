// `qdrift sim`: serve a simulated OpenAI-compatible model until interrupted.
#include <csignal>
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"

namespace qdrift::cli {

namespace {

// --gpu and its knobs; defaults are roughly one 80 GB GPU serving an 8B model.
void add_gpu_flags(CLI::App* cmd, SimOptions& o) {
  VirtualGpuOptions& g = o.gpu_options;
  cmd->add_flag("--gpu", o.gpu,
                "answer with the timing of one GPU under continuous batching (prefill, prefix cache, decode steps "
                "slowing as the batch grows, a maximum batch) and think as long as a reasoning model; "
                "GET /sim/stats then reports busy time, batch occupancy and the schedule's lower bound");
  const std::string group = "GPU timing (with --gpu)";
  cmd->add_option("--gpu-max-batch", g.max_batch, "sequences decoded together at most (vLLM's max_num_seqs)")
      ->check(CLI::Range(1, 65536))->capture_default_str()->group(group);
  cmd->add_option("--gpu-step-ms", g.step_ms, "milliseconds for a decode step with one sequence")
      ->check(CLI::Range(0.001, 1e6))->capture_default_str()->group(group);
  cmd->add_option("--gpu-step-ms-per-seq", g.step_ms_per_seq, "milliseconds each decoding sequence adds to a step")
      ->check(CLI::Range(0.0, 1e6))->capture_default_str()->group(group);
  cmd->add_option("--gpu-prefill-ms-per-token", g.prefill_ms_per_token, "milliseconds to prefill one prompt token")
      ->check(CLI::Range(0.0, 1e6))->capture_default_str()->group(group);
  cmd->add_option("--gpu-token-budget", g.token_budget, "tokens one step may process, prefill chunks included")
      ->check(CLI::Range(1, 1 << 24))->capture_default_str()->group(group);
  cmd->add_option("--gpu-kv-tokens", g.kv_tokens, "tokens the prefix cache holds")
      ->check(CLI::Range(std::int64_t{16}, std::int64_t{1} << 40))->capture_default_str()->group(group);
  cmd->add_option("--gpu-speedup", g.speedup,
                  "virtual seconds per wall second: 60 plays an hour of GPU time in a minute")
      ->check(CLI::Range(0.001, 1e6))->capture_default_str()->group(group);
}

}  // namespace

void setup_sim(CLI::App* cmd, SimOptions& o) {
  cmd->add_option("--port", o.port, "port to listen on; 0 picks a free one")->capture_default_str();
  cmd->add_option("--variant", o.variant, "fp16, int4 or broken")->check(CLI::IsMember({"fp16", "int4", "broken"}))->capture_default_str();
  cmd->add_option("--degrade", o.degrade, "damage strength instead of the variant's (0 none, 0.2 ~ int4, 2+ broken)");
  cmd->add_option("--seed", o.seed, "the server's own sampling noise; same seed + same requests = same answers")->capture_default_str();
  cmd->add_option("--model-name", o.model_name, "the model name it serves")->capture_default_str();
  cmd->add_option("--latency", o.latency_ms, "milliseconds added to every chat and logprobs response")->capture_default_str();
  cmd->add_option("--fail-rate", o.fail_rate, "share of chat requests answered with HTTP 500")->capture_default_str();
  cmd->add_option("--drop-rate", o.drop_rate, "share of chat requests whose connection closes mid-response")
      ->capture_default_str();
  cmd->add_option("--garbage-rate", o.garbage_rate,
                  "share answered 200 with an unusable body, of --garbage-kinds in turn")
      ->capture_default_str();
  cmd->add_option("--garbage-kinds", o.garbage_kinds,
                  "comma-separated unusable bodies to send (default: all): html, cut, no-choices, null-content, "
                  "empty-content, number-content, object-choices, bad-utf8 (answer bytes not UTF-8), oversize "
                  "(just over the body cap qdrift sets for the request's max_tokens)")
      ->delimiter(',');
  cmd->add_option("--stall-rate", o.stall_rate, "share held --stall-ms before answering (latency spikes)")
      ->capture_default_str();
  cmd->add_option("--stall-ms", o.stall_ms, "how long a stalled request is held")->capture_default_str();
  cmd->add_option("--api-key", o.api_key, "require this Bearer token (HTTP 401 otherwise)");
  cmd->add_option("--reasoning-field", o.reasoning_field, "where reasoning goes: reasoning, reasoning_content, think-tags")
      ->capture_default_str();
  cmd->add_option("--data-dir", o.data_dir,
                  "dataset benches' local files, as `run --data-dir` (the cache is read too; never the network)");
  add_bench_file_option(cmd, o.bench_files);
  cmd->add_flag("--judge", o.judge,
                "serve as the exam's judge: grade each request's transcript by a fixed rule and answer with a "
                "VERDICT line (serve it under its own --model-name)");
  cmd->add_option("--judge-noise", o.judge_noise,
                  "with --judge: the share of verdicts it reverses (by the exact request, so asking again gives the "
                  "same answer)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_flag("--batch-noise", o.batch_noise,
                "make answers depend on the batch they are computed in, like a server that is not batch invariant: "
                "a request alone is answered exactly, concurrent ones (held 5 ms each) vary on near-tie items "
                "(test `qdrift noise` against it)");
  add_gpu_flags(cmd, o);
  cmd->add_flag("--refuse-tools", o.refuse_tools,
                "answer a request that offers tools with HTTP 400, as vLLM does without --enable-auto-tool-choice");
  cmd->add_flag("--no-echo{false}", o.echo_logprobs,
                "refuse echo + logprobs with HTTP 400, as some vLLM versions do (prompt_logprobs still works)");
  cmd->footer(
      "The first line on stdout is exactly `listening on http://127.0.0.1:PORT`; the API is under /v1.\n"
      "Two sims with the same variant and different --seed behave like two runs of one\n"
      "non-deterministic server. Logprobs: /v1/completions (echo, prompt_logprobs,\n"
      "return_tokens_as_token_ids) as vLLM, POST /generate as SGLang ({\"text\"}) or TGI ({\"inputs\"}).\n"
      "Stop it with Ctrl-C or SIGTERM.");
}

Result<Outcome> run_sim(const SimOptions& o) {
  // Block the stop signals before the server starts threads, so they inherit the
  // mask and this thread alone receives them through sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // Registered before the server starts: its threads read the registry unlocked.
  QDRIFT_TRY(load_custom_benches(o.bench_files));
  auto server = SimServer::start(o);
  if (!server.ok()) return server.status();
  std::printf("listening on http://%s:%d\n", o.host.c_str(), (*server)->port());
  std::fflush(stdout);
  std::string served;
  for (const std::string& line : (*server)->model().served_benches()) served += (served.empty() ? "" : ", ") + line;
  std::fprintf(stderr, "serving benches: %s\n", served.c_str());
  int received = 0;
  sigwait(&stop_signals, &received);
  (*server)->stop();
  return Outcome::kOk;
}

}  // namespace qdrift::cli
