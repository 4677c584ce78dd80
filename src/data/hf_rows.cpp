// The dataset viewer /rows client. The first page is fetched alone (it tells the
// split's size); the rest go through an HttpPool a few at a time, and are put
// back in order. Every page is checked before its rows are kept.
//
// What the viewer answers (huggingface/dataset-viewer, docs/source/rows.md and
// libs/libapi): 200 {"features":[…],"rows":[{"row_idx":i,"row":{…},
// "truncated_cells":[]}],"num_rows_total":N,"num_rows_per_page":100,
// "partial":false}. Errors are {"error":"…"} with an X-Error-Code header:
// 401 ExternalUnauthenticatedError (no token, dataset private or gated),
// 404 ExternalAuthenticatedError (a token without access: the viewer hides
// whether the dataset exists), 404 ResponseNotFound, 422 bad parameters,
// 500 ResponseNotReady (worth a retry).
#include "data/hf_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "qdrift/http_pool.h"

namespace qdrift {

namespace {

using nlohmann::json;

// Anything we quote from a server or a transport error goes through this, so the
// token cannot reach a message even if something echoes it back.
std::string scrub(std::string text, const std::string& token) {
  if (token.empty()) return text;
  for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at)) {
    text.replace(at, token.size(), "<HF_TOKEN>");
  }
  return text;
}

// The viewer's {"error": "..."} text, else the start of the body, on one line.
std::string viewer_error_text(const std::string& body, const std::string& token) {
  std::string text = body;
  try {
    json parsed = json::parse(body);
    if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_string()) text = parsed["error"];
  } catch (const json::exception&) {
  }
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() > 240) text = text.substr(0, 240) + "…";
  return scrub(text, token);
}

std::string hub_url(const DataOptions& options) {
  return options.hub_url.empty() ? std::string(kDefaultHubUrl) : options.hub_url;
}

Status gated_error(const DatasetSource& source, const DataOptions& options, long status) {
  return Status::BadInput(fmt::format(
      "{}: the dataset viewer refused access (HTTP {}): the dataset is gated or private. Accept the dataset's terms "
      "on the hub at {}/datasets/{} while logged in, then set HF_TOKEN to a read token of that account ({})",
      source.dataset, status, hub_url(options), source.dataset,
      options.token.empty() ? "no token was sent" : "the token sent was refused or has no access"));
}

Status http_error(const DatasetSource& source, const DataOptions& options, const std::string& base, std::int64_t offset,
                  const HttpResponse& response) {
  const std::string& token = options.token;
  if (response.status == 0) {
    return Status::Endpoint(fmt::format("{}: cannot reach the dataset viewer at {} (offset {}, {} tries): {}",
                                        source.dataset, base, offset, response.attempts,
                                        scrub(response.transport_error, token)));
  }
  if (response.ok()) {  // a 2xx with a transport error: the body hit the size cap
    return Status::Endpoint(fmt::format("{}: page at offset {} from the dataset viewer: {}", source.dataset, offset,
                                        scrub(response.transport_error, token)));
  }
  const std::string said = viewer_error_text(response.body, token);
  const bool gated_words = said.find("gated") != std::string::npos || said.find("private") != std::string::npos;
  if (response.status == 401 || response.status == 403 || (response.status == 404 && gated_words)) {
    return gated_error(source, options, response.status);
  }
  if (response.status == 404) {
    return Status::BadInput(fmt::format("{}: the dataset viewer has no config '{}' split '{}' (HTTP 404: {})",
                                        source.dataset, source.config, source.split, said));
  }
  return Status::Endpoint(fmt::format("{}: the dataset viewer answered HTTP {} at offset {} after {} tries: {}",
                                      source.dataset, response.status, offset, response.attempts, said));
}

HttpRequest page_request(const std::string& base, const DatasetSource& source, const std::string& token,
                         std::int64_t offset) {
  HttpRequest request;
  request.method = "GET";
  request.url = rows_page_url(base, source, offset, kRowsPageLength);
  request.headers.push_back("Accept: application/json");
  if (!token.empty()) request.headers.push_back("Authorization: Bearer " + token);
  request.tag = static_cast<std::uint64_t>(offset);
  return request;
}

// What one page must look like. `total` is the split size from the first page
// (nullopt while reading the first page, which sets it).
Status take_page(const DatasetSource& source, std::int64_t offset, const std::string& body,
                 std::optional<std::int64_t>& total, std::vector<json>& rows) {
  auto bad = [&](const std::string& what) {
    return Status::Endpoint(
        fmt::format("{}: bad page at offset {} from the dataset viewer: {}", source.dataset, offset, what));
  };
  json page;
  try {
    page = json::parse(body);
  } catch (const json::parse_error& e) {
    return bad(fmt::format("not valid JSON (cut short or damaged at byte {} of {})", e.byte, body.size()));
  } catch (const json::exception&) {  // out_of_range 406: a number too large for a double
    return bad("not valid JSON (a number out of range)");
  }
  if (!page.is_object() || !page.contains("rows") || !page["rows"].is_array() || !page.contains("num_rows_total") ||
      !page["num_rows_total"].is_number_integer()) {
    return bad("no rows array or num_rows_total");
  }
  if (page.value("partial", false)) {
    return bad("partial: true (the viewer could not read the whole split; use --data-dir with the published file)");
  }
  const auto page_total = page["num_rows_total"].get<std::int64_t>();
  if (page_total < 0) return bad("negative num_rows_total");
  if (total && *total != page_total) {
    return bad(fmt::format("num_rows_total changed from {} to {} during the pull; pull again", *total, page_total));
  }
  total = page_total;
  const std::int64_t expected = std::clamp<std::int64_t>(page_total - offset, 0, kRowsPageLength);
  json& entries = page["rows"];
  if (static_cast<std::int64_t>(entries.size()) != expected) {
    return bad(fmt::format("{} rows where {} were due (split of {})", entries.size(), expected, page_total));
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    json& entry = entries[i];
    const std::int64_t row_idx = offset + static_cast<std::int64_t>(i);
    if (!entry.is_object() || entry.value("row_idx", json()) != json(row_idx) || !entry.contains("row") ||
        !entry["row"].is_object()) {
      return bad(fmt::format("entry {} is not row {} (row_idx and a row object)", i, row_idx));
    }
    const json truncated = entry.value("truncated_cells", json::array());
    if (!truncated.is_array() || !truncated.empty()) {
      return bad(fmt::format("row {} has truncated cells {}", row_idx, truncated.dump()));
    }
    rows.push_back(std::move(entry["row"]));
  }
  return Status::Ok();
}

}  // namespace

std::string url_encode(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

std::string rows_page_url(std::string_view base_url, const DatasetSource& source, std::int64_t offset, int length) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  return fmt::format("{}/rows?dataset={}&config={}&split={}&offset={}&length={}", base_url, url_encode(source.dataset),
                     url_encode(source.config), url_encode(source.split), offset, length);
}

Result<std::vector<json>> fetch_viewer_rows(const DatasetSource& source, const DataOptions& options) {
  const std::string base = options.base_url.empty() ? std::string(kDefaultRowsBaseUrl) : options.base_url;
  PoolOptions pool_options;
  pool_options.concurrency = std::max(1, options.concurrency);
  pool_options.request_timeout_s = options.request_timeout_s;
  pool_options.retry = options.retry;
  pool_options.verbose = options.verbose;

  // The first page alone: it says how many rows (and pages) there are.
  std::optional<std::int64_t> total;
  std::vector<json> first;
  HttpResponse response = http_fetch(page_request(base, source, options.token, 0), pool_options);
  if (!response.ok() || !response.transport_error.empty()) return http_error(source, options, base, 0, response);
  QDRIFT_TRY(take_page(source, 0, response.body, total, first));
  std::int64_t done_rows = static_cast<std::int64_t>(first.size());
  if (options.on_progress) options.on_progress(done_rows, *total);

  const std::int64_t page_count = (*total + kRowsPageLength - 1) / kRowsPageLength;
  std::vector<std::vector<json>> pages(static_cast<std::size_t>(std::max<std::int64_t>(page_count, 1)));
  pages[0] = std::move(first);
  Status failure;
  std::int64_t next_page = 1;
  HttpPool pool(pool_options);
  pool.run(
      [&]() -> std::optional<HttpRequest> {
        if (next_page >= page_count || !failure.ok()) return std::nullopt;
        return page_request(base, source, options.token, kRowsPageLength * next_page++);
      },
      [&](HttpRequest&& request, HttpResponse&& page_response) {
        if (!failure.ok()) return;
        const auto offset = static_cast<std::int64_t>(request.tag);
        Status status = page_response.ok() && page_response.transport_error.empty()
                            ? take_page(source, offset, page_response.body, total,
                                        pages[static_cast<std::size_t>(offset / kRowsPageLength)])
                            : http_error(source, options, base, offset, page_response);
        if (!status.ok()) {
          failure = std::move(status);
          pool.abort();  // the pull has failed; later pages are wasted work
          return;
        }
        done_rows += static_cast<std::int64_t>(pages[static_cast<std::size_t>(offset / kRowsPageLength)].size());
        if (options.on_progress) options.on_progress(done_rows, *total);
      });
  if (!failure.ok()) return failure;

  std::vector<json> rows;
  rows.reserve(static_cast<std::size_t>(*total));
  for (std::vector<json>& page : pages) {
    for (json& row : page) rows.push_back(std::move(row));
  }
  if (static_cast<std::int64_t>(rows.size()) != *total) {  // e.g. the pool was interrupted
    return Status::Endpoint(fmt::format("{}: pulled {} of {} rows", source.dataset, rows.size(), *total));
  }
  return rows;
}

}  // namespace qdrift
