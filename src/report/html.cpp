// The HTML report: one self-contained page (inline CSS, SVG and a little script,
// nothing fetched) built from the JSON report, so `--format html` and
// `qdrift report saved.json --html out.html` draw the same page.
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qdrift/report.h"
#include "report/xml_escape.h"

namespace qdrift {

namespace {

using nlohmann::ordered_json;

// Lenient reads: a report saved by another version may lack a field or hold another type.
const ordered_json& field(const ordered_json& j, const char* key) {
  static const ordered_json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}
std::string text_at(const ordered_json& j, const char* key) {
  const ordered_json& v = field(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}
double number_at(const ordered_json& j, const char* key) {
  const ordered_json& v = field(j, key);
  return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
}
bool flag_at(const ordered_json& j, const char* key) {
  const ordered_json& v = field(j, key);
  return v.is_boolean() && v.get<bool>();
}
const ordered_json& array_at(const ordered_json& j, const char* key) {
  static const ordered_json kEmpty = ordered_json::array();
  const ordered_json& v = field(j, key);
  return v.is_array() ? v : kEmpty;
}
// A [low, high] pair, or NaNs.
std::pair<double, double> interval_at(const ordered_json& j, const char* key) {
  const ordered_json& v = array_at(j, key);
  if (v.size() != 2 || !v[0].is_number() || !v[1].is_number())
    return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  return {v[0].get<double>(), v[1].get<double>()};
}

std::string esc(std::string_view text) { return xml_escape(text); }
std::string number_text(double value, const char* format = "{:.3f}") {
  return std::isnan(value) ? "–" : fmt::format(fmt::runtime(format), value);
}
std::string points_text(double delta) { return std::isnan(delta) ? "–" : fmt::format("{:+.1f}", 100 * delta); }
std::string p_text(double p) { return std::isnan(p) ? "–" : p < 0.001 ? "<0.001" : fmt::format("{:.3f}", p); }

// A CSS class for a status: "ok", "degraded" or "nc".
std::string status_class(const std::string& status) {
  if (status.rfind("DEGRADED", 0) == 0 || status == "degraded" || status == "tripped") return "degraded";
  if (status.find("NOT COMPARABLE") != std::string::npos || status == "not_comparable") return "nc";
  return "ok";
}

constexpr const char* kStyle = R"css(
:root { --ok:#1a7f37; --bad:#cf222e; --nc:#9a6700; --base:#8c959f; --cand:#0969da; --ink:#1f2328; --mute:#59636e; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1180px; padding: 20px; }
h1 { font-size: 15px; font-weight: 600; color: var(--mute); margin: 0 0 8px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
h3 { font-size: 16px; margin: 0; }
.verdict { border-radius: 8px; padding: 14px 18px; color: #fff; font-size: 20px; font-weight: 650; }
.verdict.ok { background: var(--ok); } .verdict.degraded { background: var(--bad); } .verdict.nc { background: var(--nc); }
.who { color: var(--mute); margin: 8px 0; }
.pill { display: inline-block; border-radius: 10px; padding: 1px 9px; font-size: 12px; font-weight: 600; color: #fff; }
.pill.ok { background: var(--ok); } .pill.degraded { background: var(--bad); } .pill.nc { background: var(--nc); }
.tag { display: inline-block; border: 1px solid #d0d7de; border-radius: 10px; padding: 0 8px; font-size: 12px;
       color: var(--mute); }
.benches { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 14px; }
.bench, .card { border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 14px; break-inside: avoid; }
.bench header { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 6px; }
.bench.degraded { border-color: var(--bad); }
svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
dt { color: var(--mute); } dd { margin: 0; }
.reason { color: var(--mute); font-size: 12px; margin: 6px 0 0; }
pre.summary { white-space: pre-wrap; font-size: 12px; margin: 4px 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid #eaeef2; }
th { font-size: 12px; color: var(--mute); font-weight: 600; }
td code { background: #f6f8fa; padding: 0 4px; border-radius: 4px; word-break: break-all; }
.expl { color: var(--mute); font-size: 12px; display: block; }
.prompt { max-width: 300px; font-size: 12px; }
tr.loss td.kind { color: var(--bad); font-weight: 600; } tr.win td.kind { color: var(--ok); font-weight: 600; }
.filters { display: flex; gap: 12px; align-items: center; margin-bottom: 8px; }
details { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 12px; margin: 8px 0; }
details .sides { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
details pre { white-space: pre-wrap; font-size: 12px; background: #f6f8fa; padding: 8px; border-radius: 6px; }
ul.plain { margin: 4px 0; padding-left: 20px; }
@media print { .filters { display: none; } body { max-width: none; } details { break-inside: avoid; } }
)css";

// Filters the flipped items by bench and by loss / win; the state lives in the
// query string (?bench=gsm8k&kind=loss) so a link can carry it.
constexpr const char* kScript = R"js(
(function () {
  var bench = document.getElementById('f-bench'), kind = document.getElementById('f-kind');
  if (!bench || !kind) return;
  var rows = document.querySelectorAll('tr.flip'), shown = document.getElementById('f-shown');
  var query = new URLSearchParams(location.search);
  if (query.get('bench')) bench.value = query.get('bench');
  if (query.get('kind')) kind.value = query.get('kind');
  function apply() {
    var n = 0;
    rows.forEach(function (row) {
      var keep = (bench.value === '' || row.dataset.bench === bench.value) &&
                 (kind.value === '' || row.dataset.kind === kind.value);
      row.hidden = !keep;
      n += keep ? 1 : 0;
    });
    shown.textContent = n + ' of ' + rows.length;
  }
  bench.addEventListener('change', apply);
  kind.addEventListener('change', apply);
  document.querySelectorAll('a.episode').forEach(function (a) {
    a.addEventListener('click', function () { document.getElementById(a.getAttribute('href').slice(1)).open = true; });
  });
  apply();
})();
)js";

std::string verdict_section(const ordered_json& report) {
  const std::string verdict = text_at(report, "verdict");
  std::string line = text_at(report, "verdict_line");
  if (line.empty()) line = verdict;
  std::string out = fmt::format("<div class=\"verdict {}\" id=\"verdict\">{}</div>\n", status_class(verdict), esc(line));
  const std::string candidate = text_at(report, "candidate_label"), baseline = text_at(report, "baseline_label");
  if (!candidate.empty() || !baseline.empty())
    out += fmt::format("<p class=\"who\">candidate <b>{}</b> against baseline <b>{}</b> · α {}</p>\n", esc(candidate),
                       esc(baseline), number_text(number_at(report, "alpha"), "{}"));
  if (const ordered_json& overall = field(report, "overall"); overall.is_object())
    out += fmt::format("<p class=\"who\" id=\"overall\">overall test, every bench's items in one weighted sign-flip "
                       "test: p = {} ({} after Holm) · <b>{}</b></p>\n",
                       p_text(number_at(overall, "p_value")), p_text(number_at(overall, "p_adjusted")),
                       flag_at(overall, "degraded") ? "DEGRADED" : "no loss detected");
  const ordered_json& mismatches = array_at(report, "mismatches");
  if (!mismatches.empty()) {
    out += "<div class=\"card\"><b>Not comparable: these settings differ from the baseline</b><ul class=\"plain\">";
    for (const ordered_json& m : mismatches) {
      const std::string bench = text_at(m, "bench");
      out += fmt::format("<li>{}{}: baseline <code>{}</code>, candidate <code>{}</code></li>",
                         esc(bench.empty() ? "" : bench + "."), esc(text_at(m, "field")),
                         esc(field(m, "baseline").dump()), esc(field(m, "candidate").dump()));
    }
    out += "</ul></div>\n";
  }
  return out;
}

// Per-text drift of the candidate and of the noise floor as two strips of dots
// on a log axis (the values span decades; zero sits at the left edge).
std::string drift_strip(const std::vector<double>& floor, const std::vector<double>& candidate, const std::string& unit) {
  double low = std::numeric_limits<double>::infinity(), high = 0;
  for (const auto* values : {&floor, &candidate})
    for (double v : *values)
      if (v > 0) low = std::min(low, v), high = std::max(high, v);
  if (!(high > 0)) return "<p class=\"reason\">every text matched the reference exactly</p>\n";
  low = std::max(low, high / 1e5);
  const double lo = std::floor(std::log10(low)), hi = std::max(lo + 1, std::ceil(std::log10(high)));
  constexpr double kLeft = 110, kWidth = 640;
  const auto x = [&](double v) {
    const double at = v > 0 ? (std::log10(std::max(v, low)) - lo) / (hi - lo) : 0.0;
    return kLeft + kWidth * std::clamp(at, 0.0, 1.0);
  };
  std::string svg = fmt::format("<svg class=\"strip\" width=\"{}\" height=\"96\" role=\"img\" aria-label=\"per-text {}\">",
                                kLeft + kWidth + 20, esc(unit));
  for (double decade = lo; decade <= hi; ++decade) {
    const double at = kLeft + kWidth * (decade - lo) / (hi - lo);
    svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"8\" y2=\"72\" stroke=\"#eaeef2\"/>"
                       "<text x=\"{0:.1f}\" y=\"88\" text-anchor=\"middle\">1e{1:.0f}</text>",
                       at, decade);
  }
  const auto row = [&](const std::vector<double>& values, double y, const char* label, const char* colour) {
    std::string out = fmt::format("<text x=\"0\" y=\"{:.0f}\">{}</text>", y + 4, label);
    for (double v : values)
      out += fmt::format("<circle class=\"dot\" cx=\"{:.1f}\" cy=\"{:.0f}\" r=\"3.5\" fill=\"{}\" fill-opacity=\"0.45\"/>",
                         x(v), y, colour);
    return out;
  };
  svg += row(floor, 24, "noise floor", "#8c959f");
  svg += row(candidate, 54, "candidate", "#0969da");
  return svg + "</svg>\n";
}

std::string tripwire_section(const ordered_json& t) {
  const std::string status = text_at(t, "status");
  std::string out = "<h2>Tripwire</h2>\n<div class=\"card\" id=\"tripwire\">";
  out += fmt::format("<pre class=\"summary\">{}</pre>", esc(text_at(t, "summary")));
  if (status == "ok" || status == "tripped") {
    std::vector<double> floor, candidate;
    for (const ordered_json& v : array_at(t, "floor_per_text"))
      if (v.is_number()) floor.push_back(v.get<double>());
    for (const ordered_json& v : array_at(t, "per_text"))
      if (v.is_number()) candidate.push_back(v.get<double>());
    const std::string unit = text_at(t, "metric") == "kl" ? "mean KL per token" : "mean |Δ log p| per token";
    if (!candidate.empty()) {
      out += fmt::format("<p class=\"reason\">{} of each reference text: the baseline's own repeat (the serving noise "
                         "floor) and the candidate</p>",
                         esc(unit));
      out += drift_strip(floor, candidate, unit);
    }
  }
  return out + "</div>\n";
}

// Baseline and candidate accuracy as bars with their 95% intervals as whiskers.
std::string accuracy_bars(const ordered_json& b) {
  constexpr double kLeft = 70, kWidth = 230;
  std::string svg = "<svg class=\"bars\" width=\"360\" height=\"58\" role=\"img\" aria-label=\"accuracy\">";
  const auto bar = [&](const char* label, double accuracy, std::pair<double, double> ci, double y, const char* colour) {
    if (std::isnan(accuracy)) return fmt::format("<text x=\"0\" y=\"{:.0f}\">{}: –</text>", y + 13, label);
    std::string out = fmt::format("<text x=\"0\" y=\"{:.0f}\">{}</text>", y + 13, label);
    out += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"18\" fill=\"{}\" rx=\"2\"/>", kLeft,
                       y, kWidth * std::clamp(accuracy, 0.0, 1.0), colour);
    if (!std::isnan(ci.first)) {
      const double x1 = kLeft + kWidth * std::clamp(ci.first, 0.0, 1.0);
      const double x2 = kLeft + kWidth * std::clamp(ci.second, 0.0, 1.0);
      out += fmt::format("<path class=\"ci\" d=\"M{0:.1f} {1} V{2} M{0:.1f} {3} H{4:.1f} M{4:.1f} {1} V{2}\" "
                         "stroke=\"#1f2328\" stroke-width=\"1.5\"/>",
                         x1, y + 3, y + 15, y + 9, x2);
    }
    out += fmt::format("<text x=\"{}\" y=\"{:.0f}\">{:.3f}</text>", kLeft + kWidth + 8, y + 13, accuracy);
    return out;
  };
  svg += bar("baseline", number_at(b, "baseline_acc"), interval_at(b, "baseline_ci95"), 4, "#8c959f");
  svg += bar("candidate", number_at(b, "candidate_acc"), interval_at(b, "candidate_ci95"), 32,
             status_class(text_at(b, "status")) == "degraded" ? "#cf222e" : "#0969da");
  return svg + "</svg>\n";
}

// Losses to the left, wins to the right, on a scale shared by every bench.
std::string flip_bar(const ordered_json& b, double scale) {
  const double losses = number_at(b, "losses"), wins = number_at(b, "wins");
  if (std::isnan(losses) || std::isnan(wins)) return "";
  constexpr double kMiddle = 180, kHalf = 110;
  const double l = scale > 0 ? kHalf * losses / scale : 0, w = scale > 0 ? kHalf * wins / scale : 0;
  return fmt::format(
      "<svg class=\"flipbar\" width=\"360\" height=\"26\" role=\"img\" aria-label=\"losses and wins\">"
      "<rect x=\"{:.1f}\" y=\"4\" width=\"{:.1f}\" height=\"14\" fill=\"#cf222e\"/>"
      "<rect x=\"{}\" y=\"4\" width=\"{:.1f}\" height=\"14\" fill=\"#1a7f37\"/>"
      "<line x1=\"{}\" x2=\"{}\" y1=\"0\" y2=\"22\" stroke=\"#1f2328\"/>"
      "<text x=\"{:.1f}\" y=\"15\" text-anchor=\"end\">{:.0f} losses</text>"
      "<text x=\"{:.1f}\" y=\"15\">{:.0f} wins</text></svg>\n",
      kMiddle - l, l, kMiddle, w, kMiddle, kMiddle, kMiddle - l - 4, losses, kMiddle + w + 4, wins);
}

std::string percent(double share) { return std::isnan(share) ? "–" : fmt::format("{:.1f}%", 100 * share); }

std::string trait_table(const ordered_json& b) {
  const ordered_json& traits = array_at(b, "traits");
  if (traits.empty()) return "";
  std::string out = "<table class=\"traits\"><tr><th>trait</th><th>baseline</th><th>candidate</th><th>gate</th>"
                    "<th></th></tr>";
  for (const ordered_json& t : traits) {
    const double n = number_at(t, "scenarios");
    const auto score = [&](const char* key) {
      const double passed = number_at(t, key);
      return n > 0 ? fmt::format("{:.0f}/{:.0f}", passed, n) : std::string("–");
    };
    const bool failed = flag_at(t, "gate_failed");
    out += fmt::format("<tr class=\"trait{}\"><td>{} {}</td><td>{}</td><td>{}</td><td>{:.0f}%</td><td>{}</td></tr>",
                       failed ? " degraded" : "", esc(text_at(t, "trait")), esc(text_at(t, "name")),
                       score("baseline_passed"), score("candidate_passed"), number_at(t, "gate"),
                       failed ? "<span class=\"pill degraded\">below gate</span>" : "");
  }
  return out + "</table>\n";
}

std::string bench_card(const ordered_json& b, double flip_scale) {
  const std::string status = text_at(b, "status").empty() ? (flag_at(b, "comparable") ? "ok" : "NOT COMPARABLE")
                                                          : text_at(b, "status");
  const std::string name = text_at(b, "bench");
  std::string out = fmt::format("<section class=\"bench {}\" data-bench=\"{}\"><header><h3>{}</h3>"
                                "<span class=\"pill {}\">{}</span>",
                                status_class(status), esc(name), esc(name), status_class(status), esc(status));
  if (const std::string mode = text_at(b, "mode"); !mode.empty()) out += fmt::format("<span class=\"tag\">{}</span>", esc(mode));
  out += "</header>\n";
  if (!flag_at(b, "comparable")) return out + "<p class=\"reason\">settings differ from the baseline</p></section>\n";
  out += accuracy_bars(b) + flip_bar(b, flip_scale);
  const auto ci = interval_at(b, "ci95");
  out += "<dl>";
  out += fmt::format("<dt>Δ points</dt><dd>{} [{}, {}] · n {}</dd>", points_text(number_at(b, "delta")),
                     points_text(ci.first), points_text(ci.second), number_text(number_at(b, "n"), "{:.0f}"));
  out += fmt::format("<dt>p (Holm)</dt><dd>{} ({})</dd>", p_text(number_at(b, "p_adjusted")), esc(text_at(b, "test")));
  out += fmt::format("<dt>cap hits</dt><dd>{} → {}</dd>", percent(number_at(b, "trunc_baseline")),
                     percent(number_at(b, "trunc_candidate")));
  if (!std::isnan(number_at(b, "turn_cap_baseline")))
    out += fmt::format("<dt>turn-cap hits</dt><dd>{} → {}</dd>", percent(number_at(b, "turn_cap_baseline")),
                       percent(number_at(b, "turn_cap_candidate")));
  if (const double turns = number_at(b, "turns_ratio"); !std::isnan(turns))
    out += fmt::format("<dt>turns used</dt><dd class=\"turns\">{:.2f}× the baseline's</dd>", turns);
  if (const double failed = number_at(b, "failed_candidate") + number_at(b, "failed_baseline"); failed > 0)
    out += fmt::format("<dt>failed samples</dt><dd>{:.0f} baseline, {:.0f} candidate</dd>", number_at(b, "failed_baseline"),
                       number_at(b, "failed_candidate"));
  out += "</dl>\n" + trait_table(b);
  if (const std::string reason = text_at(b, "reason"); !reason.empty())
    out += fmt::format("<p class=\"reason\">{}</p>", esc(reason));
  return out + "</section>\n";
}

std::string side_cell(const ordered_json& side, double samples) {
  std::string out = fmt::format("<td><code>{}</code>", esc(text_at(side, "answer").empty() ? "(none)" : text_at(side, "answer")));
  if (samples > 1) out += fmt::format(" {:.0f}/{:.0f} right", number_at(side, "correct"), samples);
  return out + fmt::format("<span class=\"expl\">{}</span></td>", esc(text_at(side, "explanation")));
}

struct FlipRow {
  std::string bench;
  const ordered_json* item;
  double samples;
};

std::string flips_section(const std::vector<FlipRow>& flips, const std::vector<std::string>& benches,
                          const FlipEpisodes& episodes) {
  std::string out = fmt::format("<h2>Flipped items</h2>\n");
  if (flips.empty()) return out + "<p class=\"reason\">no item changed outcome</p>\n";
  out += "<div class=\"filters\"><label>bench <select id=\"f-bench\"><option value=\"\">all</option>";
  for (const std::string& b : benches) out += fmt::format("<option>{}</option>", esc(b));
  out += "</select></label><label>outcome <select id=\"f-kind\"><option value=\"\">losses and wins</option>"
         "<option value=\"loss\">losses</option><option value=\"win\">wins</option></select></label>"
         "<span>showing <span id=\"f-shown\"></span></span></div>\n";
  out += "<table id=\"flips\"><thead><tr><th>bench</th><th>item</th><th></th><th>prompt</th><th>baseline</th>"
         "<th>candidate</th></tr></thead><tbody>\n";
  std::string details;
  for (std::size_t n = 0; n < flips.size(); ++n) {
    const ordered_json& f = *flips[n].item;
    const std::string kind = text_at(f, "outcome") == "win" ? "win" : "loss";
    const std::string id = text_at(f, "id");
    std::string item_cell = esc(id);
    if (auto it = episodes.find({flips[n].bench, id}); it != episodes.end()) {
      item_cell += fmt::format("<br><a class=\"episode\" href=\"#ep-{}\">transcript</a>", n);
      details += fmt::format("<details id=\"ep-{}\"><summary>{} / {}: {}</summary><div class=\"sides\">"
                             "<div><b>baseline</b><pre>{}</pre></div><div><b>candidate</b><pre>{}</pre></div></div></details>\n",
                             n, esc(flips[n].bench), esc(id), kind, esc(it->second.first), esc(it->second.second));
    }
    out += fmt::format("<tr class=\"flip {0}\" data-bench=\"{1}\" data-kind=\"{0}\"><td>{1}</td><td>{2}</td>"
                       "<td class=\"kind\">{0}</td><td class=\"prompt\">{3}</td>{4}{5}</tr>\n",
                       kind, esc(flips[n].bench), item_cell, esc(text_at(f, "prompt_opening")),
                       side_cell(field(f, "baseline"), flips[n].samples), side_cell(field(f, "candidate"), flips[n].samples));
  }
  out += "</tbody></table>\n";
  if (!details.empty()) out += "<h2>Transcripts of flipped multi-turn items</h2>\n" + details;
  return out;
}

}  // namespace

std::string render_html(const ordered_json& report, const FlipEpisodes& episodes) {
  const ordered_json& benches = array_at(report, "benches");
  double flip_scale = 0;
  std::vector<FlipRow> losses, wins;
  std::vector<std::string> names;
  for (const ordered_json& b : benches) {
    flip_scale = std::max({flip_scale, number_at(b, "losses"), number_at(b, "wins")});
    names.push_back(text_at(b, "bench"));
    for (const ordered_json& f : array_at(b, "flips"))
      (text_at(f, "outcome") == "win" ? wins : losses).push_back({names.back(), &f, number_at(b, "samples")});
  }
  losses.insert(losses.end(), wins.begin(), wins.end());

  std::string out = fmt::format("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                                "<title>qdrift: {}</title><style>{}</style></head>\n<body>\n<h1>qdrift report</h1>\n",
                                esc(text_at(report, "verdict")), kStyle);
  out += verdict_section(report);
  out += "<h2>Benches</h2>\n<p class=\"reason\">Bars: each side's accuracy, the whiskers its 95% interval. Below "
         "them: items lost (red) and won (green) against the baseline, on one scale for every bench.</p>\n"
         "<div class=\"benches\">\n";
  for (const ordered_json& b : benches) out += bench_card(b, flip_scale);
  out += "</div>\n";
  const ordered_json& notes = array_at(report, "notes");
  if (!notes.empty()) {
    out += "<ul class=\"plain notes\">";
    for (const ordered_json& note : notes)
      if (note.is_string()) out += fmt::format("<li>{}</li>", esc(note.get<std::string>()));
    out += "</ul>\n";
  }
  if (const ordered_json& t = field(report, "tripwire"); t.is_object()) out += tripwire_section(t);
  out += flips_section(losses, names, episodes);
  out += fmt::format("<script>{}</script>\n</body></html>\n", kScript);
  return out;
}

}  // namespace qdrift
