// A small user agent scenario written to a directory, for the tests: a CSV
// and a text file under data/, a tool of the user's own under tools/bin/
// (bound at /opt/shop, on PATH inside the sandbox), and three questions, one
// of each kind, with the commands the simulator sends.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "process.h"
#include "util/hash.h"

namespace qdrift::testing {

inline const char* const kShopSales = "region,units\nnorth,12\nsouth,30\neast,7\n";
inline const char* const kShopNotes = "Units are counted when shipped.\n";

// The spec as JSON; write_agent_scenario writes it with the files it pins.
inline nlohmann::json agent_scenario_spec(const std::string& dir) {
  return {
      {"agent_scenario", 1},
      {"name", "shop"},
      {"version", "1"},
      {"data", "data"},
      {"files", {{"sales.csv", sha256_hex(kShopSales)}, {"notes.txt", sha256_hex(kShopNotes)}}},
      {"describe", "- sales.csv: region,units - units sold per region\n- notes.txt: how units are counted"},
      {"binds", {{{"host", dir + "/tools"}, {"sandbox", "/opt/shop"}}}},
      {"path", {"/opt/shop/bin"}},
      {"questions",
       {{{"id", "total"}, {"question", "How many units were sold in all? Answer with a whole number."},
         {"answer", "49"}, {"kind", "count"}, {"command", "shop-total"}},
        {{"id", "best"}, {"question", "Which region sold the most units? Answer with its name."},
         {"answer", "south"}, {"kind", "text"}, {"command", "sort -t, -k2 -n /data/sales.csv | tail -1 | cut -d, -f1"}},
        {{"id", "mean"}, {"question", "What is the mean of units per region, rounded to 2 decimals?"},
         {"answer", "16.33"}, {"kind", "number"}, {"tolerance", 0.011},
         {"command", "awk -F, 'NR > 1 { s += $2; n++ } END { printf \"%.2f\\n\", s / n }' /data/sales.csv"}}}},
  };
}

// Writes data/, tools/bin/shop-total and shop.json into `dir` (readable by the
// uid sandboxed commands run as); returns the spec's path.
inline std::string write_agent_scenario(const std::string& dir, const nlohmann::json& spec) {
  std::filesystem::create_directories(dir + "/data");
  std::filesystem::create_directories(dir + "/tools/bin");
  write_text(dir + "/data/sales.csv", kShopSales);
  write_text(dir + "/data/notes.txt", kShopNotes);
  write_text(dir + "/tools/bin/shop-total", "#!/bin/sh\nawk -F, 'NR > 1 { s += $2 } END { print s }' /data/sales.csv\n");
  for (const char* path : {"", "/data", "/tools", "/tools/bin", "/tools/bin/shop-total"}) chmod((dir + path).c_str(), 0755);
  for (const char* path : {"/data/sales.csv", "/data/notes.txt"}) chmod((dir + path).c_str(), 0644);
  write_text(dir + "/shop.json", spec.dump(2));
  return dir + "/shop.json";
}

}  // namespace qdrift::testing
