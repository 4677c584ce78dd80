// The HTML report in a real browser: runs graded through the real binary and
// the sim, the page rendered by headless Chromium (Debian's `chromium`), and
// assertions on the DOM it built: one bar group per bench, one row per flipped
// item, losses before wins, the filter, and the transcripts of multi-turn flips.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <nlohmann/json.hpp>

#include "process.h"

using namespace qdrift::testing;
using nlohmann::json;

namespace {

const std::string kTestData = std::string(QDRIFT_SOURCE_DIR) + "/tests/data";

std::string chromium_binary() {
  std::stringstream path(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin");
  for (std::string dir; std::getline(path, dir, ':');)
    for (const char* name : {"chromium", "chromium-browser"})
      if (std::filesystem::exists(dir + "/" + name)) return dir + "/" + name;
  return "";
}

// The DOM after the page's script ran, as Chromium serialises it.
std::string rendered_dom(const std::string& url, const TempDir& profile) {
  const std::string chromium = chromium_binary();
  INFO("scripts/install-deps --test installs Debian's chromium");
  REQUIRE_FALSE(chromium.empty());
  const CommandResult r = run_program(chromium, {"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                                 "--user-data-dir=" + profile.file("chromium"), "--dump-dom", url},
                                      {"HOME=" + profile.path()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

long occurrences(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  return std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator());
}

// The data-kind of each flip row, in page order.
std::vector<std::string> row_kinds(const std::string& dom) {
  const std::regex re(R"re(<tr class="flip (loss|win)")re");
  std::vector<std::string> kinds;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), re); it != std::sregex_iterator(); ++it)
    kinds.push_back((*it)[1]);
  return kinds;
}

}  // namespace

TEST_CASE("the HTML report renders in Chromium with one bar group per bench and one row per flipped item",
          "[e2e][report][browser]") {
  TempDir dir;
  const std::vector<std::string> env = {"XDG_CACHE_HOME=" + dir.file("cache"), "QDRIFT_HF_ROWS_URL=http://127.0.0.1:9"};
  const std::string benches = "arith,gsm8k,mmlu_pro,grounded";
  SimProcess fp16({"--seed", "1", "--data-dir", kTestData});
  SimProcess broken({"--variant", "broken", "--seed", "4", "--data-dir", kTestData});
  const CommandResult collected =
      run_qdrift({"collect-baseline", "--bench", benches, "--tier", "smoke", "--data-dir", kTestData, "--endpoint",
                  fp16.endpoint(), "--model", "qdrift-sim", "--out", dir.file("base.json"), "-q", "-c", "32"},
                 env);
  INFO(collected.err);
  REQUIRE(collected.exit_code == 0);
  const CommandResult run =
      run_qdrift({"run", "--bench", benches, "--tier", "smoke", "--data-dir", kTestData, "--endpoint", broken.endpoint(),
                  "--model", "qdrift-sim", "--out", dir.file("cand.json"), "-q", "-c", "32"},
                 env);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);

  const CommandResult report = run_qdrift({"report", dir.file("base.json"), dir.file("cand.json"), "--html",
                                           dir.file("r.html"), "--json", dir.file("r.json"), "--junit", dir.file("r.xml")});
  INFO(report.err);
  CHECK(report.exit_code == 1);  // the verdict's exit code: degraded
  const json grade = json::parse(read_text(dir.file("r.json")));
  long flips = 0, losses = 0;
  for (const json& b : grade["benches"]) {
    INFO(b["bench"]);
    REQUIRE(b["flips"].size() == b["losses"].get<std::size_t>() + b["wins"].get<std::size_t>());
    flips += static_cast<long>(b["flips"].size());
    losses += b["losses"].get<long>();
  }
  REQUIRE(flips > 0);

  const std::string dom = rendered_dom("file://" + dir.file("r.html"), dir);
  CHECK(occurrences(dom, R"(<svg class="bars")") == static_cast<long>(grade["benches"].size()));
  CHECK(occurrences(dom, R"(<section class="bench )") == 4);
  const std::vector<std::string> kinds = row_kinds(dom);
  CHECK(static_cast<long>(kinds.size()) == flips);
  CHECK(std::is_sorted(kinds.begin(), kinds.end()));  // "loss" < "win": every loss before every win
  CHECK(std::count(kinds.begin(), kinds.end(), "loss") == losses);
  CHECK(dom.find("class=\"verdict degraded\"") != std::string::npos);
  REQUIRE(grade["overall"].is_object());  // four benches: the overall test ran, and the page shows it
  CHECK(dom.find("<p class=\"who\" id=\"overall\">overall test") != std::string::npos);
  // Every row is shown, and the script counted them.
  CHECK(occurrences(dom, R"(<tr class="flip [a-z]+" data-bench="[a-z_0-9]+" data-kind="[a-z]+" hidden)") == 0);
  CHECK(dom.find("showing <span id=\"f-shown\">" + std::to_string(flips) + " of " + std::to_string(flips)) !=
        std::string::npos);
  // The agent bench's flips open their transcripts from both runs.
  const long grounded_flips = static_cast<long>(
      std::find_if(grade["benches"].begin(), grade["benches"].end(), [](const json& b) { return b["bench"] == "grounded"; })
          ->at("flips")
          .size());
  CHECK(occurrences(dom, R"(<details id="ep-\d+")") == grounded_flips);
  CHECK(occurrences(dom, R"(<a class="episode" href="#ep-\d+")") == grounded_flips);
  CHECK(dom.find("[assistant]") != std::string::npos);

  // The filter, from the query string: only the arith losses stay visible.
  long arith_losses = 0;
  for (const json& b : grade["benches"])
    if (b["bench"] == "arith") arith_losses = b["losses"].get<long>();
  const std::string filtered = rendered_dom("file://" + dir.file("r.html") + "?bench=arith&kind=loss", dir);
  const long hidden = occurrences(filtered, R"(<tr class="flip [a-z]+" data-bench="[a-z_0-9]+" data-kind="[a-z]+" hidden)");
  CHECK(flips - hidden == arith_losses);

  // From the saved JSON report: the same page, less the transcripts (the JSON does not hold them).
  const CommandResult again = run_qdrift({"report", dir.file("r.json"), "--html", dir.file("from-json.html")});
  CHECK(again.exit_code == 1);
  const std::string from_json = rendered_dom("file://" + dir.file("from-json.html"), dir);
  CHECK(occurrences(from_json, R"(<svg class="bars")") == static_cast<long>(grade["benches"].size()));
  CHECK(static_cast<long>(row_kinds(from_json).size()) == flips);

  // JUnit: one test case per bench, a failure for each degraded one.
  const std::string junit = read_text(dir.file("r.xml"));
  CHECK(occurrences(junit, "<testcase ") == 4);
}

TEST_CASE("qdrift report refuses what it cannot render with one line - exit 3", "[e2e][report]") {
  TempDir dir;
  write_text(dir.file("not.json"), "{\"hello\": 1}");
  write_text(dir.file("run.json"), "{\"schema\": 2, \"kind\": \"run\", \"benches\": {}}");
  write_text(dir.file("exists.html"), "keep me");
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const Case cases[] = {
      {{"report", dir.file("not.json"), "--html", dir.file("o.html")}, "not a qdrift JSON report"},
      {{"report", dir.file("run.json"), "--html", dir.file("o.html")}, "is a run file; give the baseline and the candidate"},
      {{"report", dir.file("not.json")}, "name at least one output"},
      {{"report", dir.file("not.json"), "--md", dir.file("o.md")}, "only --html can be written"},
      {{"report", dir.file("not.json"), "--html", dir.file("exists.html")}, "exists; pass --force"},
      {{"report", dir.file("missing.json"), "--html", dir.file("o.html")}, "missing.json"},
  };
  for (const Case& c : cases) {
    const CommandResult r = run_qdrift(c.args);
    INFO(c.says << "\n" << r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  CHECK(read_text(dir.file("exists.html")) == "keep me");
  CHECK_FALSE(std::filesystem::exists(dir.file("o.html")));
}

TEST_CASE("the demo writes every report format of each comparison into its folder and names them", "[e2e][report]") {
  TempDir dir;
  const CommandResult demo = run_qdrift({"demo", "--tier", "smoke", "--out-dir", dir.path()});
  INFO(demo.err);
  REQUIRE(demo.exit_code == 0);
  for (const char* slug : {"fp16-again", "int4", "broken"})
    for (const char* extension : {"txt", "md", "json", "xml", "html"}) {
      const std::string name = std::string("report-") + slug + "." + extension;
      INFO(name);
      CHECK(std::filesystem::file_size(dir.file(name)) > 100);
    }
  CHECK(demo.out.find("report-{fp16-again,int4,broken}.html") != std::string::npos);
  CHECK(demo.out.find(dir.file("report-int4.html")) != std::string::npos);
  CHECK(json::parse(read_text(dir.file("report-broken.json")))["verdict"] == "degraded");
  CHECK(json::parse(read_text(dir.file("report-fp16-again.json")))["verdict"] == "pass");
  CHECK(read_text(dir.file("report-broken.xml")).find("failures=\"1\"") != std::string::npos);
  CHECK(read_text(dir.file("report-broken.md")).find("**Verdict:** DEGRADED") != std::string::npos);
}
