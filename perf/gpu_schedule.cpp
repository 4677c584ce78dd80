// Time to verdict on one GPU: the standard tier against `qdrift sim --gpu`
// (one 80 GB GPU serving an 8B model, played `--speedup` times faster than
// real time), once in the run file's order and once longest-first (qdrift's
// default), each on a fresh server. For each it prints the GPU's virtual time
// from the first request to the last answer, the lower bound no order can beat
// (include/qdrift/virtual_gpu.h), the batch occupancy and the prefix cache's share.
//
//   build/gpu_schedule [--data-dir DIR] [--speedup S] [-c N] [--bench a,b,...]
//
// The dataset benches read DIR (default ../../shared/data, the public copies
// beside the project); mmlu_pro has no public copy there and is left out.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/runner.h"
#include "qdrift/http_pool.h"
#include "qdrift/sim.h"

using namespace qdrift;

namespace {

struct Settings {
  std::string data_dir = "../../shared/data";
  double speedup = 50;
  int concurrency = 256;
  std::vector<std::string> benches = {"gsm8k", "gpqa", "ifeval", "humaneval", "aime_2026", "hmmt_feb_2026"};
};

struct Outcome {
  double wall_seconds = 0;
  nlohmann::json gpu;  // /sim/stats's "gpu"
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) parts.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

Result<Outcome> play(const Settings& settings, TaskOrder order, const std::filesystem::path& dir) {
  SimOptions sim;
  sim.data_dir = settings.data_dir;
  sim.gpu = true;
  sim.gpu_options.speedup = settings.speedup;
  auto server = SimServer::start(sim);
  if (!server.ok()) return server.status();
  RunOptions options;
  options.endpoint.base_url = (*server)->base_url();
  options.kind = "baseline";
  options.benches = settings.benches;
  options.tier = Tier::kStandard;
  options.data.data_dir = settings.data_dir;
  options.tripwire = false;
  options.progress = false;
  options.allow_unsandboxed = true;
  options.order = order;
  options.pool.concurrency = settings.concurrency;
  options.out = (dir / (order == TaskOrder::kRunOrder ? "run-order.json" : "longest-first.json")).string();
  const auto start = std::chrono::steady_clock::now();
  auto run = execute_run(options);
  if (!run.ok()) return run.status();
  Outcome outcome;
  outcome.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const HttpResponse stats =
      http_fetch({"GET", "http://127.0.0.1:" + std::to_string((*server)->port()) + "/sim/stats", "", {}, 0}, {});
  outcome.gpu = nlohmann::json::parse(stats.body)["gpu"];
  return outcome;
}

void print_row(const char* label, const Outcome& o) {
  const nlohmann::json& g = o.gpu;
  const double elapsed = g["elapsed_seconds"].get<double>(), bound = g["lower_bound_seconds"].get<double>();
  std::printf("%-15s %9.1f s %9.1f s %7.3f %9.1f%% %9.1f%% %9.1f s\n", label, elapsed, bound, elapsed / bound,
              100 * g["occupancy"].get<double>(),
              100 * g["cached_prompt_tokens"].get<double>() / std::max(1.0, g["prompt_tokens"].get<double>()),
              o.wall_seconds);
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 < argc && flag == "--data-dir") settings.data_dir = argv[++i];
    else if (i + 1 < argc && flag == "--speedup") settings.speedup = std::atof(argv[++i]);
    else if (i + 1 < argc && flag == "-c") settings.concurrency = std::atoi(argv[++i]);
    else if (i + 1 < argc && flag == "--bench") settings.benches = split(argv[++i]);
    else {
      std::fprintf(stderr, "usage: %s [--data-dir DIR] [--speedup S] [-c N] [--bench a,b,...]\n", argv[0]);
      return 2;
    }
  }
  if (!std::filesystem::is_directory(settings.data_dir)) {
    std::fprintf(stderr, "%s: no such directory (the public dataset copies; pass --data-dir)\n", settings.data_dir.c_str());
    return 2;
  }
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "qdrift-gpu-schedule";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::vector<Outcome> outcomes;
  for (TaskOrder order : {TaskOrder::kRunOrder, TaskOrder::kLongestFirst}) {
    auto outcome = play(settings, order, dir);
    if (!outcome.ok()) {
      std::fprintf(stderr, "%s\n", outcome.status().message().c_str());
      return 1;
    }
    outcomes.push_back(*outcome);
  }
  const nlohmann::json& g = outcomes.back().gpu;
  std::printf("standard tier (%zu benches), one virtual GPU (max batch 256), -c %d, %.0fx real time\n",
              settings.benches.size(), settings.concurrency, settings.speedup);
  std::printf("%ld sequences, %ld decode tokens, %ld prompt tokens, longest completion %ld tokens\n\n",
              g["sequences"].get<long>(), g["decode_tokens"].get<long>(), g["prompt_tokens"].get<long>(),
              g["longest_completion"].get<long>());
  std::printf("%-15s %11s %11s %7s %10s %10s %11s\n", "order", "GPU time", "lower bound", "ratio", "occupancy",
              "cached", "wall");
  print_row("run file order", outcomes[0]);
  print_row("longest first", outcomes[1]);
  const double before = outcomes[0].gpu["elapsed_seconds"].get<double>();
  const double after = outcomes[1].gpu["elapsed_seconds"].get<double>();
  std::printf("\nlongest first finishes %.1f%% sooner (%.0f s of GPU time saved)\n", 100 * (1 - after / before),
              before - after);
  std::filesystem::remove_all(dir);
  return 0;
}
