// The shard rule and the I/N text.
#include "record/shard.h"

#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "util/hash.h"

namespace qdrift {

namespace {

// A job array of more machines than this is surely a typo.
constexpr int kMaxShards = 100000;

}  // namespace

std::optional<int> shard_number(std::string_view text) {
  int value = 0;
  if (text.empty() || text.front() == '+' || text.front() == '-') return std::nullopt;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

int shard_of(std::string_view bench, std::string_view item_id, int count) {
  return static_cast<int>(hash_parts({"shard", bench, item_id}) % static_cast<std::uint64_t>(count));
}

bool in_shard(const Shard& shard, std::string_view bench, std::string_view item_id) {
  return shard_of(bench, item_id, shard.count) == shard.index;
}

Status check_shard(const Shard& shard) {
  if (shard.count < 1 || shard.count > kMaxShards)
    return Status::Usage(fmt::format("the count N must be between 1 and {}", kMaxShards));
  if (shard.index < 0 || shard.index >= shard.count)
    return Status::Usage(fmt::format("the index must be 0 to {} (shards are numbered from 0)", shard.count - 1));
  return Status::Ok();
}

Result<Shard> parse_shard(std::string_view text) {
  const std::size_t slash = text.find('/');
  const auto index = shard_number(text.substr(0, slash));
  const auto count = slash == std::string_view::npos ? std::nullopt : shard_number(text.substr(slash + 1));
  if (!index || !count)
    return Status::Usage(fmt::format(
        "--shard '{}': expected I/N (shard I of N, 0-based, e.g. 0/4) or auto (from a Kubernetes Indexed Job or a "
        "Slurm job array)",
        text));
  const Shard shard{*index, *count};
  if (Status s = check_shard(shard); !s.ok()) return Status::Usage(fmt::format("--shard '{}': {}", text, s.message()));
  return shard;
}

std::string shard_name(const Shard& shard) { return fmt::format("{}/{}", shard.index, shard.count); }

}  // namespace qdrift
