// Server detection by probing distinctive routes.
#include "engine/server_kind.h"

#include <nlohmann/json.hpp>

namespace qdrift {

std::string detect_server_kind(const Endpoint& endpoint, const PoolOptions& pool) {
  const std::string root = endpoint.root_url();
  const std::vector<std::string> headers = endpoint.auth_headers();
  PoolOptions probe = pool;
  probe.retry.max_attempts = 1;
  probe.request_timeout_s = 10;
  auto get_json = [&](const std::string& path) {
    HttpResponse response = http_fetch({"GET", root + path, "", headers, 0}, probe);
    nlohmann::json doc = response.ok() ? nlohmann::json::parse(response.body, nullptr, false) : nlohmann::json();
    return doc.is_object() ? doc : nlohmann::json();
  };
  if (auto info = get_json("/info"); info.is_object() && info.value("router", "").find("text-generation") != std::string::npos)
    return "tgi";
  if (auto sglang = get_json("/get_server_info"); sglang.is_object() && !sglang.empty()) return "sglang";
  if (auto props = get_json("/props"); props.is_object() && props.contains("default_generation_settings"))
    return "llamacpp";
  if (auto version = get_json("/version"); version.is_object() && version.contains("version")) return "vllm";
  return "openai";
}

}  // namespace qdrift
