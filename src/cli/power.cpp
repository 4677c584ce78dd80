// `qdrift power`: plan a comparison. How small a loss can N items catch, or how
// many items a loss of a given size needs, at a given flip rate.
#include <cmath>
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "qdrift/stats.h"

namespace qdrift::cli {

void setup_power(CLI::App* cmd, PowerOptions& o) {
  cmd->add_option("--n", o.items, "items per run (prints the minimum detectable loss)");
  cmd->add_option("--mde", o.loss, "a loss in accuracy, as a fraction: 0.02 = 2 points (prints the items needed)");
  cmd->add_option("--flip-rate", o.flip_rate,
                  "share of items that flip between two runs of the same model, at one sample each")
      ->capture_default_str();
  cmd->add_option("--samples", o.samples, "K samples per item")->capture_default_str();
  cmd->add_option("--alpha", o.alpha, "false-alarm rate of the one-sided test")->capture_default_str();
  cmd->add_option("--power", o.power, "wanted chance of detecting the loss")->capture_default_str();
  cmd->add_option("--benches", o.benches,
                  "with --mde: the overall test's power over these benches, as name:items[:K],... (a loss of --mde "
                  "on every one)");
  cmd->footer(
      "Measure --flip-rate from two baseline runs of your model (`qdrift diff a.json b.json` shows flips),\n"
      "or read it off an earlier report. Examples:\n"
      "  qdrift power --n 1000 --flip-rate 0.1\n"
      "  qdrift power --mde 0.02 --flip-rate 0.1 --samples 4\n"
      "  qdrift power --mde 0.02 --flip-rate 0.1 --benches gsm8k:1319,mmlu_pro:3600,gpqa:198,aime_2026:30:4");
}

namespace {

// "gsm8k:1319,aime_2026:30:4" -> benches with their sizes and K.
struct BenchPlan {
  std::string name;
  std::int64_t items = 0;
  int samples = 1;
};
Result<std::vector<BenchPlan>> parse_bench_plan(const std::string& list) {
  std::vector<BenchPlan> plans;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t end = std::min(list.find(',', start), list.size());
    const std::string entry = list.substr(start, end - start);
    start = end + 1;
    BenchPlan plan;
    char name[128] = {0};
    long long items = 0;
    int samples = 1, consumed = 0;
    const int fields = std::sscanf(entry.c_str(), "%127[^:]:%lld%n:%d%n", name, &items, &consumed, &samples, &consumed);
    if (fields < 2 || static_cast<std::size_t>(consumed) != entry.size() || items < 1 || samples < 1)
      return Status::Usage(fmt::format("--benches: '{}' is not name:items or name:items:K (e.g. gsm8k:1319, "
                                       "aime_2026:30:4)",
                                       entry));
    plans.push_back({name, items, samples});
  }
  return plans;
}

// The overall test's plan: its power at --mde, and how many items --power needs.
Result<Outcome> plan_overall(const PowerOptions& o) {
  auto plans = parse_bench_plan(o.benches);
  if (!plans.ok()) return plans.status();
  std::vector<stats::PlannedBench> benches;
  double items = 0;
  for (const BenchPlan& p : *plans) {
    benches.push_back({static_cast<double>(p.items), o.flip_rate / p.samples});
    items += static_cast<double>(p.items);
  }
  // Before anything else rejects, the overall test holds kOverallWeight of alpha.
  const double level = o.alpha * kOverallWeight;
  const double power = stats::overall_power(benches, o.loss, level);
  const double factor = stats::overall_items_factor(benches, o.loss, level, o.power);
  std::printf("overall test over %zu benches, %.0f items: power %.2f against a loss of %.2f points on every bench\n",
              plans->size(), items, power, 100 * o.loss);
  std::printf("items needed for power %.2f: %.0f (each bench's size × %.2f)\n", o.power, std::ceil(items * factor),
              factor);
  std::printf(
      "assumptions: flip rate %.3f at one sample on every bench, divided by K; the overall test at alpha × %.1f = %.3f\n"
      "(its share of the Holm family before any other test rejects); inverse-variance weights; normal approximation.\n",
      o.flip_rate, kOverallWeight, level);
  return Outcome::kOk;
}

}  // namespace

Result<Outcome> run_power(const PowerOptions& o) {
  if (!o.benches.empty()) {
    if (!(o.loss > 0) || o.items > 0) return Status::Usage("--benches plans a loss: give --mde LOSS and not --n");
    if (!(o.flip_rate > 0 && o.flip_rate <= 1)) return Status::Usage("--flip-rate must be in (0, 1]");
    if (!(o.alpha > 0 && o.alpha < 1) || !(o.power > 0 && o.power < 1))
      return Status::Usage("--alpha and --power must be between 0 and 1");
    return plan_overall(o);
  }
  if ((o.items > 0) == (o.loss > 0)) return Status::Usage("give exactly one of --n N or --mde LOSS");
  if (!(o.flip_rate > 0 && o.flip_rate <= 1)) return Status::Usage("--flip-rate must be in (0, 1]");
  if (o.samples < 1) return Status::Usage("--samples must be at least 1");
  if (!(o.alpha > 0 && o.alpha < 1) || !(o.power > 0 && o.power < 1))
    return Status::Usage("--alpha and --power must be between 0 and 1");
  // K samples average the per-item sampling noise down by K (see assumptions).
  const double effective_flips = o.flip_rate / o.samples;
  if (o.items > 0) {
    const double loss = stats::mcnemar_minimum_detectable_loss(o.items, effective_flips, o.alpha, o.power);
    if (loss <= 0) {
      std::printf("No loss smaller than the flip rate is detectable with %lld items at power %.2f.\n",
                  static_cast<long long>(o.items), o.power);
    } else {
      std::printf("minimum detectable loss: %.2f points (%.4f) with %lld items\n", 100 * loss, loss,
                  static_cast<long long>(o.items));
    }
  } else {
    if (o.loss >= effective_flips)
      return Status::Usage(fmt::format("--mde {} is not smaller than the effective flip rate {:.4f}: a loss is carried "
                                       "by flips, so it cannot exceed them",
                                       o.loss, effective_flips));
    const double items = stats::mcnemar_items_needed(effective_flips, o.loss, o.alpha, o.power);
    std::printf("items needed: %.0f to detect a loss of %.2f points\n", items, 100 * o.loss);
  }
  std::printf(
      "assumptions: flip rate %.3f at one sample, K = %d (per-item noise variance %.4f), one-sided alpha %.3f,\n"
      "power %.2f; items independent; noise symmetric; the loss spread so it does not change the noise.\n"
      "Normal approximation to the paired test (Connor 1987 for K = 1; per-item means for K > 1).\n",
      o.flip_rate, o.samples, effective_flips, o.alpha, o.power);
  return Outcome::kOk;
}

}  // namespace qdrift::cli
