// Custom benches: a Bench defined by a JSON spec file at run time (README
// "Custom benches"). The registry (qdrift/bench.h, register_custom_benches)
// loads them through load_custom_bench and owns them for the process.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "qdrift/bench.h"

namespace qdrift {

// Loads the spec and, when it names a local data file, reads and checks every
// row now, so a bad spec or data file fails before any request is sent. A
// dataset-viewer source is read later, when items are asked for.
Result<std::unique_ptr<Bench>> load_custom_bench(const std::string& spec_path);

// The *.json files directly inside `dir`, sorted by name; none when `dir` is
// not a directory.
std::vector<std::string> discover_custom_bench_files(const std::string& dir);

namespace custom {
struct CustomSpec;
// The spec a custom bench was loaded from; null for any other bench.
const CustomSpec* spec_of(const Bench& bench);
}  // namespace custom

}  // namespace qdrift
