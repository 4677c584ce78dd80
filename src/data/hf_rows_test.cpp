// The /rows client against a fake viewer on loopback: paging and order, retry
// on 429, the gated message (without the token), the Bearer header, and every
// kind of bad page that must fail instead of returning fewer rows.
#include "data/hf_rows.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "fake_viewer.h"
#include "process.h"

using namespace qdrift;
using nlohmann::json;
using qdrift::testing::FakeViewer;
using qdrift::testing::ViewerRequest;

namespace {

DatasetSource test_source() {
  DatasetSource source;
  source.bench = "toy";
  source.dataset = "acme/toy-set";
  source.config = "main";
  source.split = "test";
  return source;
}

DataOptions fast_options(const FakeViewer& viewer) {
  DataOptions options;
  options.base_url = viewer.base_url();
  options.retry.initial_backoff_s = 0.01;  // keep retries quick
  options.retry.max_backoff_s = 0.05;
  options.retry.max_attempts = 3;
  options.request_timeout_s = 10;
  return options;
}

std::string fetch_error(const FakeViewer& viewer, const DataOptions& options) {
  auto rows = fetch_viewer_rows(test_source(), options);
  REQUIRE_FALSE(rows.ok());
  return rows.status().message();
}

}  // namespace

TEST_CASE("viewer url encodes every parameter", "[dataset]") {
  DatasetSource source = test_source();
  source.config = "a b&c=d";
  CHECK(rows_page_url("http://h/", source, 200, 100) ==
        "http://h/rows?dataset=acme%2Ftoy-set&config=a%20b%26c%3Dd&split=test&offset=200&length=100");
  CHECK(url_encode("é~._-") == "%C3%A9~._-");
}

TEST_CASE("viewer 250 rows arrive as 3 pages concatenated in order", "[dataset]") {
  FakeViewer viewer(250);
  DataOptions options = fast_options(viewer);
  std::vector<std::pair<std::int64_t, std::int64_t>> progress;
  options.on_progress = [&](std::int64_t done, std::int64_t total) { progress.emplace_back(done, total); };
  auto rows = fetch_viewer_rows(test_source(), options);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 250);
  for (std::size_t i = 0; i < rows->size(); ++i) REQUIRE((*rows)[i]["id"] == static_cast<std::int64_t>(i));

  std::multiset<std::int64_t> offsets;
  for (const ViewerRequest& request : viewer.requests()) {
    offsets.insert(request.offset);
    CHECK(request.length == 100);
    CHECK(request.dataset == "acme/toy-set");
    CHECK(request.config == "main");
    CHECK(request.split == "test");
    CHECK(request.authorization.empty());  // no token, no header
  }
  CHECK(offsets == std::multiset<std::int64_t>{0, 100, 200});
  REQUIRE(progress.size() == 3);
  CHECK(progress.back() == std::make_pair<std::int64_t, std::int64_t>(250, 250));
}

TEST_CASE("viewer exact multiple of 100 and an empty split", "[dataset]") {
  FakeViewer hundred(200);
  auto rows = fetch_viewer_rows(test_source(), fast_options(hundred));
  REQUIRE(rows.ok());
  CHECK(rows->size() == 200);
  CHECK(hundred.requests().size() == 2);  // no third request for an empty page

  FakeViewer empty(0);
  auto none = fetch_viewer_rows(test_source(), fast_options(empty));
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("viewer 429 with Retry-After 0 is retried then succeeds", "[dataset]") {
  std::atomic<int> refused{0};
  FakeViewer viewer(150, [&](const ViewerRequest& request, httplib::Response& res) {
    if (request.offset != 100 || refused++ > 0) return false;
    res.status = 429;
    res.set_header("Retry-After", "0");
    res.set_content(R"({"error":"rate limited"})", "application/json");
    return true;
  });
  auto rows = fetch_viewer_rows(test_source(), fast_options(viewer));
  REQUIRE(rows.ok());
  CHECK(rows->size() == 150);
  CHECK(refused.load() == 2);  // refused once, then let through
  CHECK(viewer.requests().size() == 3);
}

TEST_CASE("viewer token is sent as a Bearer header", "[dataset]") {
  FakeViewer viewer(120);
  DataOptions options = fast_options(viewer);
  options.token = "hf_testtoken123";
  REQUIRE(fetch_viewer_rows(test_source(), options).ok());
  for (const ViewerRequest& request : viewer.requests()) CHECK(request.authorization == "Bearer hf_testtoken123");
}

TEST_CASE("viewer gated 401 says accept the terms and set HF_TOKEN without the token", "[dataset]") {
  const std::string token = "hf_secretvalue987";
  FakeViewer viewer(10, [&](const ViewerRequest& request, httplib::Response& res) {
    res.status = 401;
    res.set_header("X-Error-Code", "ExternalUnauthenticatedError");
    // The viewer's body shape; this one also echoes the credential to prove we scrub it.
    res.set_content(
        json{{"error", "Not accessible without authentication (private or gated). " + request.authorization}}.dump(),
        "application/json");
    return true;
  });
  DataOptions options = fast_options(viewer);
  options.token = token;
  options.hub_url = "https://hub.example";
  const std::string message = fetch_error(viewer, options);
  CHECK(message.find("acme/toy-set") != std::string::npos);
  CHECK(message.find("gated") != std::string::npos);
  CHECK(message.find("Accept the dataset's terms") != std::string::npos);
  CHECK(message.find("https://hub.example/datasets/acme/toy-set") != std::string::npos);
  CHECK(message.find("HF_TOKEN") != std::string::npos);
  CHECK(message.find(token) == std::string::npos);
  CHECK(viewer.requests().size() == 1);  // 401 is final, not retried
}

TEST_CASE("viewer 404 hiding a gated dataset from a token gets the gated message", "[dataset]") {
  FakeViewer viewer(10, [](const ViewerRequest&, httplib::Response& res) {
    res.status = 404;
    res.set_header("X-Error-Code", "ExternalAuthenticatedError");
    res.set_content(R"({"error":"Not accessible with these credentials (private or gated)."})", "application/json");
    return true;
  });
  DataOptions options = fast_options(viewer);
  options.token = "hf_x";
  CHECK(fetch_error(viewer, options).find("Accept the dataset's terms") != std::string::npos);
}

TEST_CASE("viewer plain 404 names the config and split", "[dataset]") {
  FakeViewer viewer(10, [](const ViewerRequest&, httplib::Response& res) {
    res.status = 404;
    res.set_content(R"({"error":"Not found."})", "application/json");
    return true;
  });
  CHECK(fetch_error(viewer, fast_options(viewer)) ==
        "acme/toy-set: the dataset viewer has no config 'main' split 'test' (HTTP 404: Not found.)");
}

TEST_CASE("viewer truncated page body is an error naming the offset", "[dataset]") {
  FakeViewer viewer(250, [&viewer](const ViewerRequest& request, httplib::Response& res) {
    if (request.offset != 100) return false;
    const std::string body = viewer.page(100, 100).dump();
    res.set_content(body.substr(0, body.size() / 2), "application/json");  // cut mid-JSON
    return true;
  });
  const std::string message = fetch_error(viewer, fast_options(viewer));
  CHECK(message.find("acme/toy-set") != std::string::npos);
  CHECK(message.find("offset 100") != std::string::npos);
  CHECK(message.find("not valid JSON") != std::string::npos);
}

TEST_CASE("viewer connection closed mid-page is an error naming the offset", "[dataset]") {
  FakeViewer viewer(250, [&viewer](const ViewerRequest& request, httplib::Response& res) {
    if (request.offset != 200) return false;
    const std::string body = viewer.page(200, 100).dump();
    // Promise the whole body, send half, hang up: curl sees a short transfer.
    res.set_content_provider(
        body.size(), "application/json",
        [half = body.substr(0, body.size() / 2)](std::size_t, std::size_t, httplib::DataSink& sink) {
          sink.write(half.data(), half.size());
          return false;
        });
    return true;
  });
  const std::string message = fetch_error(viewer, fast_options(viewer));
  CHECK(message.find("acme/toy-set") == 0);
  CHECK(message.find("offset 200, 3 tries") != std::string::npos);  // retried, then given up
}

TEST_CASE("viewer pages that do not add up are errors not fewer rows", "[dataset]") {
  using Mutate = std::function<void(json&)>;
  auto error_for = [](Mutate mutate) {
    FakeViewer* self = nullptr;
    FakeViewer viewer(250, [&self, mutate](const ViewerRequest& request, httplib::Response& res) {
      if (request.offset != 100) return false;
      json page = self->page(100, 100);
      mutate(page);
      res.set_content(page.dump(), "application/json");
      return true;
    });
    self = &viewer;
    auto rows = fetch_viewer_rows(test_source(), fast_options(viewer));
    REQUIRE_FALSE(rows.ok());
    CHECK(rows.status().message().find("acme/toy-set: bad page at offset 100") == 0);
    return rows.status().message();
  };
  CHECK(error_for([](json& p) { p["rows"].erase(p["rows"].size() - 1); }).find("99 rows where 100 were due") !=
        std::string::npos);
  CHECK(error_for([](json& p) { p["partial"] = true; }).find("partial") != std::string::npos);
  CHECK(error_for([](json& p) { p["rows"][3]["truncated_cells"] = {"text"}; }).find("row 103 has truncated cells") !=
        std::string::npos);
  CHECK(error_for([](json& p) { p["num_rows_total"] = 260; }).find("changed from 250 to 260") != std::string::npos);
  CHECK(error_for([](json& p) { p["rows"][0]["row_idx"] = 0; }).find("is not row 100") != std::string::npos);
  CHECK(error_for([](json& p) { p.erase("rows"); }).find("no rows array") != std::string::npos);
}

TEST_CASE("viewer unreachable is an endpoint error", "[dataset]") {
  DataOptions options;
  options.base_url = "http://127.0.0.1:" + std::to_string(qdrift::testing::closed_port());
  options.retry.max_attempts = 1;
  auto rows = fetch_viewer_rows(test_source(), options);
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.status().kind() == ErrorKind::kEndpoint);
  CHECK(rows.status().message().find("cannot reach the dataset viewer at " + options.base_url + " (offset 0") !=
        std::string::npos);
}
