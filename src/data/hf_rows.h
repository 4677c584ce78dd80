// A client of the Hugging Face dataset viewer's /rows endpoint: fetches a whole
// split in pages of 100 and checks every page (row count, row_idx, truncation,
// partial results) so a bench never gets silently fewer rows.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/dataset.h"
#include "qdrift/status.h"

namespace qdrift {

inline constexpr int kRowsPageLength = 100;  // the viewer's maximum `length`

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view text);

// {base}/rows?dataset=…&config=…&split=…&offset=…&length=…
std::string rows_page_url(std::string_view base_url, const DatasetSource& source, std::int64_t offset, int length);

// Every row of the split, in order, as the `row` objects of the viewer's pages.
// Uses options.base_url (or kDefaultRowsBaseUrl), token, concurrency, retry,
// request_timeout_s and on_progress. Error messages never contain the token.
Result<std::vector<nlohmann::json>> fetch_viewer_rows(const DatasetSource& source, const DataOptions& options);

}  // namespace qdrift
