// The CustomBench class: a Bench whose items, prompts and grading all come
// from a CustomSpec. Items are paired across runs by their id (id_field, else
// the row number) and asked exactly as the template renders them: choices are
// never shuffled, so the simulator finds them by the prompt (custom_sim.cpp).
#include "custom/custom_bench.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "custom/custom_items.h"
#include "custom/custom_scoring.h"
#include "custom/custom_spec.h"
#include "data/text_rows.h"
#include "exam/exam_bench.h"
#include "exam/exam_spec.h"
#include "grounded/user_scenario.h"
#include "util/files.h"

namespace qdrift {

namespace {

namespace fs = std::filesystem;
using custom::CustomSpec;

constexpr std::size_t kSmokeItems = 50;  // smoke: the first rows, a fixed slice for pipelines

class CustomBench final : public Bench {
 public:
  CustomBench(CustomSpec spec, std::vector<Item> file_items)
      : spec_(std::move(spec)), file_items_(std::move(file_items)) {}

  std::string name() const override { return spec_.name; }
  // The spec's bytes are part of the version: a baseline and a candidate graded
  // under different specs (prompt, extraction, answers) are never comparable.
  std::string version() const override { return fmt::format("{}+spec.{}", spec_.version, spec_.sha256.substr(0, 16)); }
  std::string summary() const override { return spec_.summary; }
  BenchDefaults defaults() const override { return {spec_.think, spec_.samples, spec_.max_tokens}; }

  std::vector<DatasetSource> sources() const override {
    DatasetSource source;
    source.bench = spec_.name;
    if (spec_.source) {
      source.dataset = spec_.source->dataset;
      source.config = spec_.source->config;
      source.split = spec_.source->split;
    } else {
      // An absolute local_file is the spec's own data file, found whatever --data-dir says.
      source.local_file = fs::absolute(spec_.data_path).lexically_normal().string();
      source.local_format = spec_.data_format;
    }
    return {source};
  }

  Result<std::vector<Item>> items(const ItemQuery& query) const override {
    std::vector<Item> items;
    if (spec_.source) {
      auto loaded = viewer_items(query.data);
      if (!loaded.ok()) return loaded.status();
      items = std::move(loaded).value();
    } else {
      items = file_items_;
    }
    if (query.tier == Tier::kSmoke && items.size() > kSmokeItems) items.resize(kSmokeItems);
    return items;
  }

  std::vector<ChatMessage> chat(const Item& item) const override { return {{"user", item.prompt}}; }

  const CustomSpec& spec() const { return spec_; }

  Score score(const Item& item, const ChatResponse& response) const override {
    return custom::score_custom(spec_, item, response.content, response.finish_reason);
  }

 private:
  Result<std::vector<Item>> viewer_items(const DataOptions& data) const {
    DatasetSource source = sources().front();
    auto rows = load_rows(source, data);
    if (!rows.ok()) return rows.status();
    std::vector<std::string> where;
    for (std::size_t i = 0; i < rows->rows.size(); ++i)
      where.push_back(fmt::format("{} {}/{} row {}", source.dataset, source.config, source.split, i + 1));
    return custom::build_items(spec_, rows->rows, where);
  }

  CustomSpec spec_;
  std::vector<Item> file_items_;  // from a local data file, read once when the spec loads
};

// Reads the spec's data file and builds its items; errors name file and line.
Result<std::vector<Item>> file_items(const CustomSpec& spec) {
  Result<std::string> text = read_file(spec.data_path);
  if (!text.ok()) return Status::BadInput(fmt::format("{}: \"data\": {}", spec.path, text.status().message()));
  auto rows = spec.data_format == LocalFormat::kCsv ? parse_csv_rows(*text, spec.data_path)
                                                    : parse_jsonl_rows(*text, spec.data_path);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::BadInput(fmt::format("{}: no rows (the data of {})", spec.data_path, spec.path));
  const std::vector<int> lines = custom::row_lines(*text, spec.data_format);
  std::vector<std::string> where;
  for (std::size_t i = 0; i < rows->size(); ++i)
    where.push_back(i < lines.size() ? fmt::format("{}:{}", spec.data_path, lines[i])
                                     : fmt::format("{} row {}", spec.data_path, i + 1));
  return custom::build_items(spec, *rows, where);
}

}  // namespace

const custom::CustomSpec* custom::spec_of(const Bench& bench) {
  const auto* custom_bench = dynamic_cast<const CustomBench*>(&bench);
  return custom_bench ? &custom_bench->spec() : nullptr;
}

Result<std::unique_ptr<Bench>> load_custom_bench(const std::string& spec_path) {
  // --bench-file takes three kinds of spec; an agent scenario and an exam say so in their first key.
  if (auto text = read_file(spec_path); text.ok()) {
    if (grounded::is_agent_scenario_spec(*text)) return grounded::load_agent_scenario_bench(spec_path);
    if (exam::is_exam_spec(*text)) return exam::load_exam_bench(spec_path);
  }
  Result<CustomSpec> spec = custom::load_custom_spec(spec_path);
  if (!spec.ok()) return spec.status();
  std::vector<Item> items;
  if (!spec->source) {
    auto loaded = file_items(*spec);
    if (!loaded.ok()) return loaded.status();
    items = std::move(loaded).value();
  }
  return std::unique_ptr<Bench>(std::make_unique<CustomBench>(std::move(spec).value(), std::move(items)));
}

std::vector<std::string> discover_custom_bench_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".json" && entry.is_regular_file(ec)) files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace qdrift
