// --bench-file and the loading of custom bench specs shared by run,
// collect-baseline, sim and data.
#include "cli/commands.h"
#include "custom/custom_bench.h"

namespace qdrift::cli {

void add_bench_file_option(CLI::App* cmd, std::vector<std::string>& files) {
  cmd->add_option("--bench-file", files,
                  "custom bench spec (JSON, see docs/custom-benches.md), agent scenario or exam spec; repeatable. Specs in ./benches/*.json "
                  "are loaded too");
}

Status load_custom_benches(const std::vector<std::string>& files) {
  std::vector<std::string> specs = discover_custom_bench_files(kCustomBenchDir);
  specs.insert(specs.end(), files.begin(), files.end());
  return register_custom_benches(specs);
}

}  // namespace qdrift::cli
