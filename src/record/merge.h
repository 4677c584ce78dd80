// `qdrift merge`: the N shard files of one run (`run --shard I/N`) joined into
// the whole run's file. Pure: files are read and written by the caller, so the
// rules are tested on values. The result is item for item what an unsharded run
// records: each bench's items in the whole run's order (their `position`),
// request counts summed, the latest shard's finishing time, shard 0's tripwire
// (the only shard that runs it) and endpoint.
#pragma once

#include <string>
#include <vector>

#include "qdrift/record.h"
#include "qdrift/status.h"

namespace qdrift {

struct ShardFile {
  std::string path;  // named in every error about this file
  RunFile run;
};

struct MergedRun {
  RunFile run;
  std::vector<std::string> notes;  // what the merge chose that a reader should know (shards' endpoints differed)
};

// Refuses, as one BadInput line naming the file and the cause: a file that is
// not a shard, or stopped early, or has an item short of its samples; shards
// whose kind, model, server, qdrift version, tier, seed, limit, shard count,
// benches, bench settings, dataset hashes, repeats or traits differ; a shard
// index given twice; an item in two files or in the wrong shard; a missing
// shard; and items of the whole run that no file holds.
Result<MergedRun> merge_shards(const std::vector<ShardFile>& shards);

}  // namespace qdrift
