// Reading a dataset bench's rows: load them through the dataset layer and pull
// typed fields out with errors that name the file (or source), the row and the
// field, so a malformed dataset is one clear line, never a mis-graded item.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "qdrift/bench.h"
#include "qdrift/dataset.h"
#include "qdrift/status.h"

namespace qdrift::rows {

// The rows of `source` for a query, with where they came from for messages.
struct BenchRows {
  std::vector<nlohmann::json> rows;
  std::string location;  // the file or URL, for messages
};
Result<BenchRows> load(const DatasetSource& source, const ItemQuery& query);

// "gsm8k/test.jsonl: row 12: field 'answer'" — the prefix of a row's error.
std::string where(const BenchRows& rows, std::size_t index, const std::string& field);

// A string field (numbers are accepted and printed, as CSV and the viewer differ).
Result<std::string> text(const BenchRows& rows, std::size_t index, const std::string& field);
// A list of strings.
Result<std::vector<std::string>> text_list(const BenchRows& rows, std::size_t index, const std::string& field);
// Whether the row has the field, non-null.
bool has(const BenchRows& rows, std::size_t index, const std::string& field);

// The smoke tier: up to `count` items chosen by a fixed hash of their ids (not the
// run seed), kept in dataset order, so every smoke run everywhere sees the same set.
std::vector<Item> smoke_slice(const std::vector<Item>& items, std::size_t count);

// A bench's every item (full tier, seed 0) beside the rows they were built
// from, for a simulator that rates items by what the rows say and they do not.
struct ItemsAndRows {
  std::vector<Item> items;
  BenchRows rows;
};
Result<ItemsAndRows> full_items_and_rows(const Bench& bench, const DataOptions& data);

}  // namespace qdrift::rows
