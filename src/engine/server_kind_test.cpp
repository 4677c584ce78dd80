// Server detection against small HTTP servers that answer as each kind does.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <thread>

#include "engine/server_kind.h"

using namespace qdrift;

namespace {

// Serves one GET route with a JSON body on a free loopback port.
class FakeServer {
 public:
  // `key` non-empty: answers only requests with "Authorization: Bearer <key>" (401 otherwise).
  FakeServer(const std::string& path, const std::string& body, const std::string& key = "") {
    server_.Get(path, [body, key](const httplib::Request& req, httplib::Response& res) {
      if (!key.empty() && req.get_header_value("Authorization") != "Bearer " + key) {
        res.status = 401;
        return;
      }
      res.set_content(body, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeServer() {
    server_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

std::string detect(const std::string& path, const std::string& body) {
  FakeServer server(path, body);
  Endpoint endpoint;
  endpoint.base_url = server.base();
  return detect_server_kind(endpoint, PoolOptions{});
}

}  // namespace

TEST_CASE("server kinds are told apart by their own routes", "[server]") {
  CHECK(detect("/info", R"({"model_id":"m","router":"text-generation-router","version":"2.4.0"})") == "tgi");
  CHECK(detect("/get_server_info", R"({"model_path":"m","tp_size":1})") == "sglang");
  CHECK(detect("/props", R"({"default_generation_settings":{"n_ctx":4096},"total_slots":1})") == "llamacpp");
  CHECK(detect("/version", R"({"version":"0.10.1"})") == "vllm");
  CHECK(detect("/nothing", "{}") == "openai");
}

TEST_CASE("server detection sends the endpoint's key", "[server]") {
  FakeServer server("/version", R"({"version":"0.10.1"})", "sk-detect");
  Endpoint endpoint{server.base() + "/", "m", "sk-detect"};  // a trailing slash is fine
  CHECK(detect_server_kind(endpoint, PoolOptions{}) == "vllm");
  endpoint.api_key.clear();
  CHECK(detect_server_kind(endpoint, PoolOptions{}) == "openai");  // refused without the key
}
