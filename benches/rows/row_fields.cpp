// Typed field access for dataset rows.
#include "rows/row_fields.h"

#include <algorithm>

#include <fmt/format.h>

#include "util/hash.h"

namespace qdrift::rows {

Result<BenchRows> load(const DatasetSource& source, const ItemQuery& query) {
  auto loaded = load_rows(source, query.data);
  if (!loaded.ok()) return loaded.status();
  if (loaded->rows.empty()) return Status::BadInput(fmt::format("{}: no rows", loaded->location));
  return BenchRows{std::move(loaded->rows), loaded->location};
}

Result<ItemsAndRows> full_items_and_rows(const Bench& bench, const DataOptions& data) {
  const ItemQuery query{Tier::kFull, 0, data};
  auto items = bench.items(query);
  if (!items.ok()) return items.status();
  auto rows = load(bench.sources().front(), query);
  if (!rows.ok()) return rows.status();
  return ItemsAndRows{std::move(items).value(), std::move(rows).value()};
}

std::string where(const BenchRows& rows, std::size_t index, const std::string& field) {
  return fmt::format("{}: row {}: field '{}'", rows.location, index + 1, field);
}

bool has(const BenchRows& rows, std::size_t index, const std::string& field) {
  const nlohmann::json& row = rows.rows[index];
  return row.is_object() && row.contains(field) && !row[field].is_null();
}

Result<std::string> text(const BenchRows& rows, std::size_t index, const std::string& field) {
  const nlohmann::json& row = rows.rows[index];
  if (!row.is_object()) return Status::BadInput(fmt::format("{}: row {}: not an object", rows.location, index + 1));
  if (!row.contains(field) || row[field].is_null())
    return Status::BadInput(where(rows, index, field) + " is missing");
  const nlohmann::json& value = row[field];
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return value.dump();
  return Status::BadInput(where(rows, index, field) + " is not text");
}

Result<std::vector<std::string>> text_list(const BenchRows& rows, std::size_t index, const std::string& field) {
  const nlohmann::json& row = rows.rows[index];
  if (!row.is_object() || !row.contains(field) || !row[field].is_array())
    return Status::BadInput(where(rows, index, field) + " is missing or not a list");
  std::vector<std::string> out;
  for (const nlohmann::json& value : row[field]) {
    if (!value.is_string()) return Status::BadInput(where(rows, index, field) + " holds a non-text entry");
    out.push_back(value.get<std::string>());
  }
  return out;
}

std::vector<Item> smoke_slice(const std::vector<Item>& items, std::size_t count) {
  if (items.size() <= count) return items;
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return hash_parts({"smoke", items[a].id}) < hash_parts({"smoke", items[b].id});
  });
  order.resize(count);
  std::sort(order.begin(), order.end());
  std::vector<Item> slice;
  for (std::size_t i : order) slice.push_back(items[i]);
  return slice;
}

}  // namespace qdrift::rows
