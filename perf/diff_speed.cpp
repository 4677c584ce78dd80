// Benchmark: how long does `qdrift diff` take on two standard-tier-sized run
// files (~5,900 items over seven benches: one a 14-stratum slice, two with K = 4)?
// Each sample carries a score explanation of 60-100 characters, as benches write
// them. Writes the files to a temp dir, then times (a) load + grade + render in
// process and (b) the whole `qdrift diff` command as a child process.
// --no-explanations leaves them out, to see what they cost.
//
//   build/diff_speed [path/to/qdrift] [--no-explanations]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include <fmt/format.h>

#include "qdrift/record.h"
#include "qdrift/report.h"
#include "util/files.h"

using namespace qdrift;

namespace {

struct BenchShape {
  const char* name;
  int items;
  int samples;
  int strata;  // 0 = unstratified
};

// A one-line reason of 60-100 characters in the shape the benches write.
std::string explanation(bool correct, const std::string& answer, std::mt19937_64& rng) {
  static const char* const kHow[] = {"\"The answer is X.\"", "\"Answer: X\"", "the last number in the reply",
                                     "\\boxed{X}", "\"#### X\"", "the final line"};
  std::string text = fmt::format("answered {}, expected {} (read from {})", answer, correct ? answer : "42",
                                 kHow[rng() % std::size(kHow)]);
  if (text.size() < 60 || rng() % 2) text += "; 1 of 1 samples agree";
  return text.substr(0, 100);
}

RunFile make_run(const char* kind, std::uint64_t seed, bool explain) {
  const BenchShape shapes[] = {{"gsm8k", 1319, 1, 0},   {"mmlu_pro", 3610, 1, 14}, {"gpqa", 198, 1, 0},
                               {"ifeval", 541, 1, 0},   {"humaneval", 164, 1, 0},  {"aime_2026", 30, 4, 0},
                               {"hmmt_feb_2026", 30, 4, 0}};
  std::mt19937_64 rng(seed), words(seed + 1000);  // words: the outcomes stay the same without explanations
  std::uniform_real_distribution<double> unit;
  RunFile run;
  run.kind = kind;
  run.model = "m";
  run.qdrift_version = "perf";
  run.endpoint = "http://127.0.0.1:1/v1";
  run.server = "vllm";
  for (const BenchShape& shape : shapes) {
    BenchRecord bench{shape.name, {false, shape.samples, 0.7, 0.8, 20, 0, 1.5, 4096, "1", ""}, "sha", {}, std::nullopt};
    for (int i = 0; i < shape.items; ++i) {
      ItemRecord item{std::string(shape.name) + "-" + std::to_string(i), "", {}, 1, ""};
      if (shape.strata) {
        item.stratum = "category-" + std::to_string(i % shape.strata);
        item.weight = 1 / 0.3;
      }
      for (int k = 0; k < shape.samples; ++k) {
        const bool correct = unit(rng) < 0.8;
        SampleRecord sample{correct, correct ? "42" : "7", unit(rng) < 0.02 ? "length" : "stop",
                            static_cast<std::int64_t>(200 + 800 * unit(rng)), 0, ""};
        if (explain) sample.explanation = explanation(correct, sample.answer, words);
        item.samples.push_back(std::move(sample));
      }
      bench.items.push_back(std::move(item));
    }
    run.benches.push_back(std::move(bench));
  }
  return run;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string qdrift = "build/qdrift";
  bool explain = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-explanations") == 0) explain = false;
    else qdrift = argv[i];
  }
  const std::string dir = (std::filesystem::temp_directory_path() / "qdrift-diff-speed").string();
  const std::string baseline_path = dir + "/baseline.json", candidate_path = dir + "/candidate.json";
  if (!write_file_atomically(baseline_path, serialize_run_file(make_run("baseline", 1, explain))).ok() ||
      !write_file_atomically(candidate_path, serialize_run_file(make_run("run", 2, explain))).ok()) {
    std::fprintf(stderr, "cannot write to %s\n", dir.c_str());
    return 1;
  }
  std::int64_t items = 0;
  const auto loaded = load_run_file(baseline_path);
  for (const BenchRecord& b : loaded->benches) items += static_cast<std::int64_t>(b.items.size());
  std::printf("two run files of %lld items each, %s explanations, %.2f MB each\n", static_cast<long long>(items),
              explain ? "with" : "without",
              static_cast<double>(std::filesystem::file_size(baseline_path)) / 1e6);

  std::vector<double> load_ms, grade_ms;
  for (int i = 0; i < 20; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto a = load_run_file(baseline_path);
    auto b = load_run_file(candidate_path);
    const auto loaded_at = std::chrono::steady_clock::now();
    Grade grade = grade_run(*a, *b, 0.05);
    std::string report = render_report(grade, ReportFormat::kJson);
    const auto end = std::chrono::steady_clock::now();
    load_ms.push_back(std::chrono::duration<double, std::milli>(loaded_at - start).count());
    grade_ms.push_back(std::chrono::duration<double, std::milli>(end - loaded_at).count());
  }
  std::printf("  in process: load both %.1f ms, grade + render %.1f ms (medians of 20)\n", median(load_ms),
              median(grade_ms));

  std::vector<double> command;
  for (int i = 0; i < 20; ++i) {
    const auto start = std::chrono::steady_clock::now();
    // posix_spawn, not fork: this process holds the files it loaded above, and
    // copying its page tables into a child would be timed as qdrift's cost.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    std::vector<std::string> args = {qdrift, "diff", baseline_path, candidate_path, "--format", "json"};
    std::vector<char*> argv_child;
    for (std::string& arg : args) argv_child.push_back(arg.data());
    argv_child.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, qdrift.c_str(), &actions, nullptr, argv_child.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    if (spawned == 0) waitpid(pid, &status, 0);
    if (spawned != 0) {
      std::fprintf(stderr, "cannot run %s\n", qdrift.c_str());
      return 1;
    }
    command.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::printf("  `qdrift diff --format json`, whole process: median %.1f ms (20 runs)\n", median(command));
  if (!std::getenv("QDRIFT_KEEP")) std::filesystem::remove_all(dir);
  return 0;
}
