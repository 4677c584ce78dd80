// The HTML page from a JSON report: what it draws for an exam and an agent bench,
// that model-written text cannot become markup, and that a report from another
// version (fields missing or of another type) still renders.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "qdrift/report.h"

using namespace qdrift;
using nlohmann::ordered_json;

namespace {

ordered_json exam_report() {
  return ordered_json::parse(R"json({
    "verdict": "degraded", "verdict_line": "DEGRADED", "alpha": 0.05, "mismatches": [], "notes": [],
    "benches": [{
      "bench": "exam", "comparable": true, "n": 39, "baseline_acc": 0.9, "candidate_acc": 0.6,
      "baseline_ci95": [0.8, 0.95], "candidate_ci95": [0.45, 0.75], "ci95": [-0.4, -0.1], "delta": -0.3,
      "losses": 1, "wins": 0, "p_adjusted": 0.01, "samples": 3, "status": "DEGRADED (gate)", "mode": "no-think · 3 seeds",
      "turns_ratio": 1.5, "turn_cap_baseline": 0.0, "turn_cap_candidate": 0.1,
      "traits": [{"trait": "T1", "name": "Honesty", "gate": 100, "scenarios": 7, "baseline_passed": 7,
                  "candidate_passed": 5, "gate_failed": true}],
      "flips": [{"id": "s1", "outcome": "loss", "prompt_opening": "Tell <b>me</b>",
                 "baseline": {"answer": "ok", "explanation": "fine", "correct": 3, "sample": 0},
                 "candidate": {"answer": "<script>alert(1)</script>", "explanation": "a \"quoted\" & <i>odd</i> reason",
                               "correct": 0, "sample": 0}, "multi_turn": true}]
    }],
    "tripwire": {"status": "absent", "summary": "tripwire: absent"}
  })json");
}

}  // namespace

TEST_CASE("html: an exam's gate table, turns used, and model text kept as text", "[report]") {
  const std::string html = render_html(exam_report(), {{{"exam", "s1"}, {"[user] hi\n", "[assistant] <img src=x>\n"}}});
  CHECK(html.find("<tr class=\"trait degraded\"><td>T1 Honesty</td><td>7/7</td><td>5/7</td><td>100%</td>") !=
        std::string::npos);
  CHECK(html.find("<dd class=\"turns\">1.50× the baseline's</dd>") != std::string::npos);
  CHECK(html.find("turn-cap hits</dt><dd>0.0% → 10.0%") != std::string::npos);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("a &quot;quoted&quot; &amp; &lt;i&gt;odd&lt;/i&gt; reason") != std::string::npos);
  CHECK(html.find("Tell &lt;b&gt;me&lt;/b&gt;") != std::string::npos);
  CHECK(html.find("<img src=x>") == std::string::npos);  // the transcript too
  CHECK(html.find("<details id=\"ep-0\">") != std::string::npos);
  CHECK(html.find(" 0/3 right") != std::string::npos);  // K > 1: how many of the samples were right
}

TEST_CASE("html: a report with missing or mistyped fields still renders", "[report]") {
  const ordered_json odd = ordered_json::parse(
      R"({"verdict": "pass", "benches": [{"bench": 7, "losses": "x", "flips": {"no": 1}}, "not an object"],
          "tripwire": 3, "notes": [1, "a note"]})");
  const std::string html = render_html(odd);
  CHECK(html.find("<!doctype html>") == 0);
  CHECK(html.find("a note") != std::string::npos);
  CHECK(html.find("no item changed outcome") != std::string::npos);
  CHECK(render_html(ordered_json::array()).find("</html>") != std::string::npos);
}
