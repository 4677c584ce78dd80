// Shards (`--shard I/N`): which items of a bench a shard runs, and the I/N text.
// The rule depends only on the bench name and the item id — not on the seed, the
// order or the other items — so every machine of a job agrees on it without
// talking, and a shard's samples are exactly the ones the whole run would draw.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "qdrift/record.h"
#include "qdrift/status.h"

namespace qdrift {

// Item `item_id` of `bench` is in shard `shard_of(...)` of `count`: the stable
// 64-bit hash hash_parts({"shard", bench, item_id}) (FNV-1a over length-prefixed
// parts, SplitMix64 finish; util/hash.h) modulo `count`. Part of the file
// format: changing it would split a job's shards differently on old and new qdrift.
int shard_of(std::string_view bench, std::string_view item_id, int count);
bool in_shard(const Shard& shard, std::string_view bench, std::string_view item_id);

// 1 <= count <= 100000 and 0 <= index < count, or a Usage error saying which
// fails (callers say where the numbers came from first).
Status check_shard(const Shard& shard);

// "I/N" with 0 <= I < N, both decimal: a Usage error naming the flag otherwise.
Result<Shard> parse_shard(std::string_view text);

// "1/3"
std::string shard_name(const Shard& shard);

// The whole of `text` as a non-negative decimal that fits an int ("07" is 7;
// "", "+1", "-1", " 1", "1.0" are not): how shard indexes and counts are read,
// from the flag and from a scheduler's environment alike.
std::optional<int> shard_number(std::string_view text);

}  // namespace qdrift
