// A fake Hugging Face dataset viewer for tests: a real cpp-httplib server on
// 127.0.0.1 (ephemeral port) that serves /rows pages of synthetic rows
// {"id": i, "text": "row i"} the way the real viewer shapes them, records every
// request, and lets a test answer any request itself to inject faults.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace qdrift::testing {

struct ViewerRequest {
  std::string dataset, config, split, authorization;
  std::int64_t offset = -1;
  std::int64_t length = -1;
};

class FakeViewer {
 public:
  // Runs before the normal page is served; return true after answering `res`.
  using Hook = std::function<bool(const ViewerRequest&, httplib::Response&)>;

  explicit FakeViewer(std::int64_t total_rows, Hook hook = nullptr) : total_(total_rows), hook_(std::move(hook)) {
    server_.Get("/rows", [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeViewer() {
    server_.stop();
    thread_.join();
  }
  FakeViewer(const FakeViewer&) = delete;
  FakeViewer& operator=(const FakeViewer&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::vector<ViewerRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

  // The page body the real viewer would send for `offset`.
  nlohmann::json page(std::int64_t offset, std::int64_t length) const {
    nlohmann::json rows = nlohmann::json::array();
    for (std::int64_t i = offset; i < std::min(total_, offset + length); ++i) {
      rows.push_back({{"row_idx", i},
                      {"row", {{"id", i}, {"text", "row " + std::to_string(i)}}},
                      {"truncated_cells", nlohmann::json::array()}});
    }
    return {{"features", nlohmann::json::array({{{"feature_idx", 0}, {"name", "id"}}})},
            {"rows", rows},
            {"num_rows_total", total_},
            {"num_rows_per_page", 100},
            {"partial", false}};
  }

 private:
  void serve(const httplib::Request& req, httplib::Response& res) {
    ViewerRequest seen;
    seen.dataset = req.get_param_value("dataset");
    seen.config = req.get_param_value("config");
    seen.split = req.get_param_value("split");
    seen.authorization = req.get_header_value("Authorization");
    seen.offset = std::stoll(req.get_param_value("offset"));
    seen.length = std::stoll(req.get_param_value("length"));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(seen);
    }
    if (hook_ && hook_(seen, res)) return;
    res.set_content(page(seen.offset, seen.length).dump(), "application/json");
  }

  std::int64_t total_;
  Hook hook_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::vector<ViewerRequest> requests_;
};

}  // namespace qdrift::testing
